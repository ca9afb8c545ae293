package imageprep

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/disintegration/imaging"
)

// uprightPicture draws the generated EXIF suite's upright picture U: a
// colour gradient, a dark "F", a red disc at the bottom right and a white
// square at the top right, so that no turn or mirror of it looks the same.
func uprightPicture(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	m := min(w, h)
	s := m / 12 // stroke
	in := func(x, y int, x0, y0, x1, y1 float64) bool {
		return float64(x) >= x0 && float64(x) < x1 && float64(y) >= y0 && float64(y) < y1
	}
	fw, fh := float64(w), float64(h)
	cx, cy, r := 0.78*fw, 0.75*fh, m/8
	for y := range h {
		for x := range w {
			c := color.RGBA{
				R: uint8(40 + 180*x/w),
				G: uint8(40 + 180*y/h),
				B: uint8(200 - 150*(x+y)/(w+h)),
				A: 0xFF,
			}
			switch {
			case in(x, y, 0.15*fw, 0.15*fh, 0.15*fw+float64(s), 0.85*fh), // the F's stem
				in(x, y, 0.15*fw, 0.15*fh, 0.6*fw, 0.15*fh+float64(s)),  // its top bar
				in(x, y, 0.15*fw, 0.45*fh, 0.45*fw, 0.45*fh+float64(s)): // its middle bar
				c = color.RGBA{20, 20, 30, 0xFF}
			case in(x, y, 0.82*fw, 0.08*fh, 0.82*fw+float64(s), 0.08*fh+float64(s)):
				c = color.RGBA{250, 250, 250, 0xFF}
			case (float64(x)-cx)*(float64(x)-cx)+(float64(y)-cy)*(float64(y)-cy) < float64(r*r):
				c = color.RGBA{230, 40, 40, 0xFF}
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

// storedFor are ImageMagick's options that store U for orientation k: the
// inverse of what the orientation asks a viewer to do (6: the viewer turns
// clockwise, so the camera stored it turned counter-clockwise).
var storedFor = map[int][]string{
	1: nil,
	2: {"-flop"},
	3: {"-rotate", "180"},
	4: {"-flip"},
	5: {"-transpose"},
	6: {"-rotate", "-90"},
	7: {"-transverse"},
	8: {"-rotate", "90"},
}

// exifTolerance is the largest mean |Δ| of a channel allowed between the
// kiosk's import of a generated orientation file and U fitted the same way
// by Fit, at the display and the thumbnail sizes. The JPEGs are quality 95
// without chroma subsampling, so 2 levels holds with room to spare: the
// worst file measured here is 0.46 levels at the display size (decoded at
// the 7/8 and 5/8 DCT scales, then resized by Fit) and 0.60 at the
// thumbnail size, while a picture shown as stored is 86 levels or more away
// on its worst channel (mirrored top to bottom: 10, 86 and 50 levels for
// R, G and B) or has the wrong shape.
const exifTolerance = maxMeanDiff

// TestGeneratedEXIFOrientation stores one upright picture U (landscape
// 2048×1280 and portrait 1280×2048) the way a camera held in each of the 8
// positions would: the pixels turned by ImageMagick (the inverse of
// orientation k), JPEG quality 95 without chroma subsampling, and the EXIF
// Orientation tag set to k by exiftool (big-endian EXIF for landscape,
// little-endian for portrait). Each must come out upright, as U fitted into
// the display and the thumbnail boxes. So must a copy of each with an XMP
// APP1 segment before the EXIF one (which imaging.AutoOrientation misses),
// and the file without EXIF. A copy whose tag exiftool removed must not
// come out as U: the check can fail. exiftool reads every tag back and
// ImageMagick turns every file upright on its own, so a mistake in making
// the files cannot be shared with the kiosk's reading of them.
func TestGeneratedEXIFOrientation(t *testing.T) {
	dir := generatedSuite(t, toolConvert, toolExiftool)
	kinds := map[string]Size{"L": {2048, 1280}, "P": {1280, 2048}}
	upright := map[string]*image.RGBA{}
	var gen []command
	for kind, s := range kinds {
		upright[kind] = uprightPicture(s.W, s.H)
		writePPM(t, dir, kind+"-U.ppm", upright[kind])
		for k := 1; k <= 8; k++ {
			args := append([]string{"convert", kind + "-U.ppm"}, storedFor[k]...)
			gen = append(gen, cmd(append(args, "-quality", "95", "-sampling-factor", "1x1", fmt.Sprintf("stored-%s-%d.jpg", kind, k))...))
		}
	}
	runAll(t, dir, gen)

	// exiftool, in one run: tag k (and an Artist, so that EXIF stays when
	// the orientation goes), with XMP; then remove the tag from the copies.
	var args []string
	orientations := map[string]int{} // file → the orientation exiftool must read back, 0 for none
	for _, kind := range sortedKeys(kinds) {
		order := map[string]string{"L": "MM", "P": "II"}[kind]
		for k := 1; k <= 8; k++ {
			stored := readFile(t, dir, fmt.Sprintf("stored-%s-%d.jpg", kind, k))
			tagged := fmt.Sprintf("%s-%d.jpg", kind, k)
			xmp := fmt.Sprintf("%s-xmp-%d.jpg", kind, k)
			writeFile(t, dir, tagged, stored)
			writeFile(t, dir, xmp, stored)
			orientations[tagged], orientations[xmp] = k, k
			files := []string{tagged, xmp}
			if k > 1 {
				untagged := fmt.Sprintf("%s-untagged-%d.jpg", kind, k)
				writeFile(t, dir, untagged, stored)
				orientations[untagged] = 0
				files = append(files, untagged)
			}
			args = append(args, "-n", "-q", "-overwrite_original", "-ExifByteOrder="+order,
				fmt.Sprintf("-Orientation=%d", k), "-Artist=Solidarity Kiosk conformance test")
			args = append(args, files...)
			args = append(args, "-execute", "-q", "-overwrite_original", "-XMP-dc:Description=XMP before EXIF", xmp, "-execute")
			if k > 1 {
				args = append(args, "-q", "-overwrite_original", "-Orientation=", files[2], "-execute")
			}
		}
		none := kind + "-none.jpg"
		writeFile(t, dir, none, readFile(t, dir, "stored-"+kind+"-1.jpg"))
		orientations[none] = 0
	}
	writeFile(t, dir, "exiftool.args", []byte(strings.Join(args[:len(args)-1], "\n")+"\n"))
	runAll(t, dir, []command{cmd("exiftool", "-@", "exiftool.args")})
	moveXMPFirst(t, dir, orientations)
	checkExiftoolReads(t, dir, orientations)

	files := readSet(t, dir, "[LP]-*.jpg")
	if len(files) != len(orientations) {
		t.Fatalf("%d files, want %d", len(files), len(orientations))
	}
	checkImageMagickTurns(t, dir, files, upright)

	// The kiosk's import, against U fitted the same way.
	stats := map[Size]*levelStats{}
	want := map[string]*image.RGBA{}
	var notTurned []string
	for _, box := range []Size{DefaultOptions().Display, ThumbBox} {
		stats[box] = &levelStats{}
		for kind := range kinds {
			want[fmt.Sprint(kind, box)] = Fit(upright[kind], box)
		}
	}
	for _, name := range sortedNames(files) {
		kind, untagged := name[:1], strings.Contains(name, "untagged")
		for _, box := range []Size{DefaultOptions().Display, ThumbBox} {
			if untagged && box != ThumbBox {
				continue
			}
			img, info, err := kioskFit(name, files[name], box)
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if o := max(orientations[name], 1); info.Orientation != o {
				t.Errorf("%s: orientation read as %d, want %d", name, info.Orientation, o)
			}
			d, err := compare(img, want[fmt.Sprint(kind, box)])
			if untagged {
				// Shown as stored: turned or mirrored, so far from U.
				if err == nil && d.worst() <= 10 {
					t.Errorf("%s in %v: %v from U: the comparison cannot tell a picture shown as stored from upright", name, box, d)
				}
				if err != nil {
					notTurned = append(notTurned, fmt.Sprintf("%s: %v", name, err))
				} else {
					notTurned = append(notTurned, fmt.Sprintf("%s: %v", name, d))
				}
				continue
			}
			if err == nil && d.worst() > exifTolerance {
				err = fmt.Errorf("%v from U", d)
			}
			if err != nil {
				t.Errorf("%s in %v: %v", name, box, err)
				continue
			}
			stats[box].addDiff(d)
		}
	}
	t.Logf("EXIF orientations (1..8, XMP first, no EXIF; landscape and portrait) against U fitted the same way:\n"+
		"  at the display size %v: %v\n  at the thumbnail size %v: %v\n"+
		"tag removed, shown as stored, against U at %v (must be far):\n  %s",
		DefaultOptions().Display, stats[DefaultOptions().Display], ThumbBox, stats[ThumbBox],
		ThumbBox, strings.Join(notTurned, "\n  "))
	firstAPP1Only(t, files)
	tagged := map[string][]byte{}
	for name, data := range files {
		if orientations[name] > 0 && !strings.Contains(name, "xmp") {
			tagged[name] = data
		}
	}
	timeImport(t, "generated EXIF orientation (the 16 tagged files)", tagged)
}

// moveXMPFirst moves the XMP APP1 segment that exiftool wrote after the
// EXIF one before it, in every *-xmp-* file.
func moveXMPFirst(t *testing.T, dir string, files map[string]int) {
	t.Helper()
	for name := range files {
		if !strings.Contains(name, "-xmp-") {
			continue
		}
		data := readFile(t, dir, name)
		segs, rest, err := jpegSegments(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		exif := slices.IndexFunc(segs, func(s jpegSegment) bool { return s.app1Kind() == "exif" })
		xmp := slices.IndexFunc(segs, func(s jpegSegment) bool { return s.app1Kind() == "xmp" })
		if exif < 0 || xmp < 0 {
			t.Fatalf("%s: exiftool wrote no EXIF (%d) or no XMP (%d)", name, exif, xmp)
		}
		if xmp > exif {
			x := segs[xmp]
			segs = slices.Insert(slices.Delete(segs, xmp, xmp+1), exif, x)
		}
		out := []byte{0xFF, 0xD8}
		for _, s := range segs {
			out = append(out, s.data...)
		}
		writeFile(t, dir, name, append(out, rest...))
	}
}

// checkExiftoolReads reads every file back with exiftool: the orientation
// it finds must be the one written (none for the untagged files), and an
// XMP file's first APP1 must be XMP.
func checkExiftoolReads(t *testing.T, dir string, want map[string]int) {
	t.Helper()
	names := sortedKeys(want)
	x := exec.Command("exiftool", append([]string{"-j", "-n", "-Orientation", "-ExifByteOrder", "-XMP-dc:Description"}, names...)...)
	x.Dir = dir
	out, err := x.Output()
	if err != nil {
		t.Fatalf("exiftool reading the files back: %v", err)
	}
	var got []struct {
		SourceFile    string
		Orientation   int
		ExifByteOrder string
		Description   string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(names) {
		t.Fatalf("exiftool read %d files of %d", len(got), len(names))
	}
	for _, g := range got {
		if g.Orientation != want[g.SourceFile] {
			t.Errorf("%s: exiftool reads orientation %d, want %d", g.SourceFile, g.Orientation, want[g.SourceFile])
		}
		if order := map[byte]string{'L': "MM", 'P': "II"}[g.SourceFile[0]]; !strings.HasSuffix(g.SourceFile, "-none.jpg") && g.ExifByteOrder != order {
			t.Errorf("%s: EXIF byte order %q, want %s", g.SourceFile, g.ExifByteOrder, order)
		}
		if strings.Contains(g.SourceFile, "-xmp-") {
			segs, _, err := jpegSegments(readFile(t, dir, g.SourceFile))
			first := slices.IndexFunc(segs, func(s jpegSegment) bool { return s.marker == 0xE1 })
			if err != nil || first < 0 || segs[first].app1Kind() != "xmp" || g.Description == "" {
				t.Errorf("%s: the first APP1 segment is not XMP (%v)", g.SourceFile, err)
			}
		}
	}
}

// checkImageMagickTurns has ImageMagick turn every file upright by its own
// reading of the tag and scale it to a quarter (-scale, a box filter): each
// must be U scaled the same way, but the untagged ones. The generator's
// turns and tags are then right by a reader other than the kiosk.
func checkImageMagickTurns(t *testing.T, dir string, files map[string][]byte, upright map[string]*image.RGBA) {
	t.Helper()
	names := sortedNames(files)
	var cmds []command
	for kind := range upright {
		cmds = append(cmds, cmd("convert", kind+"-U.ppm", "-scale", "25%", "im-"+kind+"-U.ppm"))
	}
	// Four 2400×1500 pictures at a time stay within ImageMagick's memory limit.
	for chunk := range slices.Chunk(names, 4) {
		args := append([]string{"convert"}, chunk...)
		cmds = append(cmds, cmd(append(args, "-auto-orient", "-scale", "25%",
			"-set", "filename:n", "%t", "+adjoin", "PPM:im-%[filename:n].ppm")...))
	}
	runAll(t, dir, cmds)
	var stats levelStats
	for _, name := range names {
		u, err := readRef(filepath.Join(dir, "im-"+name[:1]+"-U.ppm"))
		if err != nil {
			t.Fatal(err)
		}
		im, err := readRef(filepath.Join(dir, "im-"+strings.TrimSuffix(name, ".jpg")+".ppm"))
		if err != nil {
			t.Fatal(err)
		}
		d, err := compare(onBackdrop(im), onBackdrop(u))
		untagged := strings.Contains(name, "untagged")
		switch {
		case untagged && err == nil && d.worst() <= 10:
			t.Errorf("%s: ImageMagick turns the untagged file upright (%v): the tag was not removed", name, d)
		case untagged:
		case err != nil || d.worst() > maxMeanDiff:
			t.Errorf("%s: ImageMagick's upright reading is not U: %v %v", name, d, err)
		default:
			stats.addDiff(d)
		}
	}
	t.Logf("ImageMagick's own reading (-auto-orient -scale 25%%) against U scaled the same way: %v", &stats)
}

// firstAPP1Only logs what a reader that looks only at the first APP1
// segment (imaging.AutoOrientation) makes of an orientation-6 file with and
// without XMP before the EXIF: the XMP files test that pitfall.
func firstAPP1Only(t *testing.T, files map[string][]byte) {
	t.Helper()
	var out []string
	for _, name := range []string{"L-6.jpg", "L-xmp-6.jpg"} {
		img, err := imaging.Decode(bytes.NewReader(files[name]), imaging.AutoOrientation(true))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, fmt.Sprintf("%s %dx%d", name, img.Bounds().Dx(), img.Bounds().Dy()))
	}
	t.Logf("imaging.AutoOrientation (the first APP1 only), upright is 2048x1280: %s", strings.Join(out, ", "))
}
