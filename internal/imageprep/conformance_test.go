package imageprep

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	xwebp "golang.org/x/image/webp"
)

// The public conformance sets (PngSuite, the EXIF orientation examples,
// libwebp's and libjpeg-turbo's test images) are not committed here: they
// are laid out with their reference decodes by
// testdata/conformance/extract.sh, in ../shared/conformance beside the
// repository or wherever KIOSK_CONFORMANCE_DIR says. Without them these
// tests skip, unless KIOSK_CONFORMANCE_DIR is set, when a missing set fails.
// They skip under -race too: they run on one goroutine, and the race
// detector makes their pixel loops some 20 times slower (over 100 s here).

// maxMeanDiff is how far, in levels per channel on average, the kiosk's
// decode and fit may be from the reference decode fitted the same way.
const maxMeanDiff = 2.0

// conformanceDir is the folder of one conformance set.
func conformanceDir(t *testing.T, set string) string {
	t.Helper()
	if raceDetector {
		t.Skip("conformance sets run without -race")
	}
	root, explicit := os.LookupEnv("KIOSK_CONFORMANCE_DIR")
	if !explicit {
		root = filepath.Join("..", "..", "..", "shared", "conformance")
	}
	dir := filepath.Join(root, set)
	if _, err := os.Stat(dir); err != nil {
		if explicit {
			t.Fatalf("conformance set %s: %v (KIOSK_CONFORMANCE_DIR is set)", set, err)
		}
		t.Skipf("conformance set %s is not laid out here (%v): see testdata/conformance/README.md", set, err)
	}
	return dir
}

// diff is how far two images of one size are apart.
type diff struct {
	mean [3]float64 // mean absolute difference of R, G and B
	max  int        // largest absolute difference of any sample
	n    int        // pixels compared
}

func (d diff) worst() float64 { return max(d.mean[0], d.mean[1], d.mean[2]) }

func (d diff) String() string {
	return fmt.Sprintf("mean |Δ| R %.2f G %.2f B %.2f, max %d", d.mean[0], d.mean[1], d.mean[2], d.max)
}

// compare measures two opaque images of the same size.
func compare(a, b *image.RGBA) (diff, error) { return compareOutside(a, b, image.Rectangle{}) }

// compareOutside measures two opaque images of the same size, leaving out
// the pixels inside hole.
func compareOutside(a, b *image.RGBA, hole image.Rectangle) (diff, error) {
	ab, bb := a.Bounds(), b.Bounds()
	if ab.Dx() != bb.Dx() || ab.Dy() != bb.Dy() {
		return diff{}, fmt.Errorf("size %dx%d, the reference is %dx%d", ab.Dx(), ab.Dy(), bb.Dx(), bb.Dy())
	}
	var sum [3]int64
	var d diff
	for y := range ab.Dy() {
		for x := range ab.Dx() {
			if image.Pt(x, y).In(hole) {
				continue
			}
			d.n++
			pa := a.Pix[a.PixOffset(ab.Min.X+x, ab.Min.Y+y):]
			pb := b.Pix[b.PixOffset(bb.Min.X+x, bb.Min.Y+y):]
			for c := range 3 {
				v := int(pa[c]) - int(pb[c])
				if v < 0 {
					v = -v
				}
				sum[c] += int64(v)
				d.max = max(d.max, v)
			}
		}
	}
	for c := range 3 {
		d.mean[c] = float64(sum[c]) / float64(max(d.n, 1))
	}
	return d, nil
}

// onBackdrop composites a reference decode onto Backdrop, written out here
// rather than with image/draw so it does not share the kiosk's code.
func onBackdrop(src *image.NRGBA) *image.RGBA {
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	bg := [3]int{int(Backdrop.R), int(Backdrop.G), int(Backdrop.B)}
	for y := range b.Dy() {
		for x := range b.Dx() {
			s := src.Pix[src.PixOffset(b.Min.X+x, b.Min.Y+y):]
			d := dst.Pix[dst.PixOffset(x, y):]
			a := int(s[3])
			for c := range 3 {
				d[c] = uint8((int(s[c])*a + bg[c]*(255-a) + 127) / 255)
			}
			d[3] = 0xFF
		}
	}
	return dst
}

// kioskFit is the kiosk's import of one photo up to the pixels: header
// checks, decode (at a reduced scale where the decoder can), orientation,
// fit into box ({0,0}: full size).
func kioskFit(name string, data []byte, box Size) (*image.RGBA, Info, error) {
	img, info, err := Decode(name, data, box, DefaultLimits())
	if err != nil || box.W == 0 {
		return img, info, err
	}
	return Fit(img, box), info, nil
}

// checkAgainst compares the kiosk's import of a file, into box, with a
// reference decode fitted the same way, and adds the difference to stats.
func checkAgainst(t *testing.T, stats *levelStats, name string, data []byte, ref *image.NRGBA, box Size) {
	t.Helper()
	got, _, err := kioskFit(name, data, box)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		stats.add(name, nil, nil, err)
		return
	}
	want := onBackdrop(ref)
	if box.W > 0 {
		want = Fit(want, box)
	}
	d, err := compare(got, want)
	switch {
	case err != nil:
		t.Errorf("%s in %v: %v", name, box, err)
	case d.worst() > maxMeanDiff:
		t.Errorf("%s in %v: %v from the reference", name, box, d)
	}
	stats.add(name, got, want, err)
}

// readRef reads a reference decode: PAM (P7), PPM (P6) or PNG.
func readRef(path string) (*image.NRGBA, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if strings.HasSuffix(path, ".png") {
		src, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		n := image.NewNRGBA(image.Rect(0, 0, src.Bounds().Dx(), src.Bounds().Dy()))
		draw.Draw(n, n.Bounds(), src, src.Bounds().Min, draw.Src)
		return n, nil
	}
	n, err := parsePNM(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return n, nil
}

// parsePNM reads an 8-bit PAM (RGB_ALPHA, RGB, GRAYSCALE, GRAYSCALE_ALPHA)
// or PPM.
func parsePNM(data []byte) (*image.NRGBA, error) {
	r := bufio.NewReader(bytes.NewReader(data))
	var w, h, depth, maxval int
	magic, _ := r.ReadString('\n')
	switch strings.TrimSpace(magic) {
	case "P7":
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return nil, errors.New("PAM header without ENDHDR")
			}
			f := strings.Fields(line)
			if len(f) == 1 && f[0] == "ENDHDR" {
				break
			}
			if len(f) == 2 {
				v, _ := strconv.Atoi(f[1])
				switch f[0] {
				case "WIDTH":
					w = v
				case "HEIGHT":
					h = v
				case "DEPTH":
					depth = v
				case "MAXVAL":
					maxval = v
				}
			}
		}
	case "P6":
		if _, err := fmt.Fscan(r, &w, &h, &maxval); err != nil {
			return nil, fmt.Errorf("PPM header: %w", err)
		}
		if _, err := r.ReadByte(); err != nil { // the one whitespace byte before the samples
			return nil, err
		}
		depth = 3
	default:
		return nil, fmt.Errorf("not a PAM or PPM file (%q)", magic)
	}
	if maxval != 255 || w <= 0 || h <= 0 || depth < 1 || depth > 4 {
		return nil, fmt.Errorf("unsupported PNM: %dx%d depth %d maxval %d", w, h, depth, maxval)
	}
	px := make([]byte, w*h*depth)
	if _, err := io.ReadFull(r, px); err != nil {
		return nil, fmt.Errorf("PNM samples: %w", err)
	}
	n := image.NewNRGBA(image.Rect(0, 0, w, h))
	for i := range w * h {
		s, d := px[i*depth:(i+1)*depth], n.Pix[4*i:4*i+4]
		switch depth {
		case 1, 2:
			d[0], d[1], d[2] = s[0], s[0], s[0]
		default:
			d[0], d[1], d[2] = s[0], s[1], s[2]
		}
		d[3] = 0xFF
		if depth == 2 || depth == 4 {
			d[3] = s[depth-1]
		}
	}
	return n, nil
}

// timeImport logs what importing a set costs: decode and fit into the
// default display box, and the whole Prepare (decode, fit, encode display,
// master and thumbnail).
func timeImport(t *testing.T, set string, files map[string][]byte) {
	t.Helper()
	opt := DefaultOptions()
	var bytesIn int
	start := time.Now()
	for name, data := range files {
		bytesIn += len(data)
		if _, _, err := kioskFit(name, data, opt.Display); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	fit := time.Since(start)
	start = time.Now()
	for name, data := range files {
		if _, err := Prepare(name, data, opt); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	t.Logf("import times, %s: %d files, %d KB: decode+fit into %dx%d %v (%.2f ms a file); Prepare %v",
		set, len(files), bytesIn/1024, opt.Display.W, opt.Display.H, fit.Round(time.Millisecond),
		float64(fit.Microseconds())/1000/float64(max(len(files), 1)), time.Since(start).Round(time.Millisecond))
}

// readSet reads the files of a set that match pattern, by base name.
func readSet(t *testing.T, dir, pattern string) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, pattern))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = data
	}
	return files
}

func sortedNames(files map[string][]byte) []string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// pngSuiteRefusals is what each corrupt PngSuite file is refused for.
var pngSuiteRefusals = map[string]string{
	"xc1n0g08.png": "color type 1",
	"xc9n2c08.png": "color type 9",
	"xcrn0g04.png": "looks like a damaged PNG",
	"xcsn0g01.png": "checksum",
	"xd0n2c08.png": "bit depth 0",
	"xd3n2c08.png": "bit depth 3",
	"xd9n2c08.png": "bit depth 99",
	"xdtn0g01.png": "",
	"xhdn0g08.png": "checksum",
	"xlfn0g04.png": "looks like a damaged PNG",
	"xs1n0g01.png": "looks like a damaged PNG",
	"xs2n0g01.png": "looks like a damaged PNG",
	"xs4n0g01.png": "looks like a damaged PNG",
	"xs7n0g01.png": "looks like a damaged PNG",
}

// TestConformancePngSuite imports every valid PngSuite file and compares it
// with ImageMagick's decode, and refuses every corrupt (x*) one with a reason.
func TestConformancePngSuite(t *testing.T) {
	dir := conformanceDir(t, "pngsuite")
	files := readSet(t, dir, "*.png")
	valid := map[string][]byte{}
	var full, fitted levelStats
	for _, name := range sortedNames(files) {
		data := files[name]
		if !strings.HasPrefix(name, "x") {
			valid[name] = data
			ref, err := readRef(filepath.Join(dir, "ref", strings.TrimSuffix(name, ".png")+".pam"))
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			checkAgainst(t, &full, name, data, ref, Size{})
			checkAgainst(t, &fitted, name, data, ref, Size{W: 24, H: 24})
			continue
		}
		want, known := pngSuiteRefusals[name]
		_, _, err := Decode(name, data, Size{}, DefaultLimits())
		switch {
		case !known:
			t.Errorf("%s: a corrupt file this test does not know", name)
		case err == nil:
			t.Errorf("%s: a corrupt file was accepted", name)
		case !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported):
			t.Errorf("%s: refused with %v, not as damaged or unsupported", name, err)
		case !strings.Contains(err.Error(), want) || len(err.Error()) < len(ErrCorrupt.Error())+10:
			t.Errorf("%s: refused with %q, which does not give the reason %q", name, err, want)
		default:
			t.Logf("%s: %v", name, err)
		}
	}
	if len(valid) < 150 || len(files)-len(valid) != len(pngSuiteRefusals) {
		t.Fatalf("%d valid and %d corrupt files: the set is incomplete", len(valid), len(files)-len(valid))
	}
	t.Logf("PngSuite against ImageMagick's decode:\n  full size: %v\n  fitted into 24x24: %v", &full, &fitted)
	timeImport(t, "PngSuite", valid)
}

// digitHole is where the EXIF orientation examples print their orientation
// number, the one place where the eight files really differ: the middle
// 16% of the width and 20% of the height.
func digitHole(b image.Rectangle) image.Rectangle {
	w, h := b.Dx(), b.Dy()
	return image.Rect(w*42/100, h*40/100, w*58/100, h*60/100)
}

// uprightTolerance is maxMeanDiff for the EXIF examples against their
// orientation-1 file at the display size, where 3 levels are allowed: each
// example is its own quality-73 JPEG of the turned picture, and
// ImageMagick's own upright decodes of Landscape_6 and _7, fitted the same
// way, are 2.41 levels (blue) from Landscape_1. Their strict check is the
// one against ImageMagick's decode of the same file.
var uprightTolerance = map[Size]float64{ThumbBox: maxMeanDiff, DefaultOptions().Display: 3}

// TestConformanceEXIFOrientation imports the eight orientations, landscape
// and portrait: each must match ImageMagick's upright decode of the same file
// at 1/8 scale, and come out as its orientation-1 file (outside the printed
// digit) at the display and thumbnail sizes.
func TestConformanceEXIFOrientation(t *testing.T) {
	dir := conformanceDir(t, "exif-orientation")
	files := readSet(t, dir, "*.jpg")
	if len(files) != 18 {
		t.Fatalf("%d files, want Landscape_0..8 and Portrait_0..8", len(files))
	}
	var strict, fromOne levelStats
	for _, name := range sortedNames(files) {
		ref, err := readRef(filepath.Join(dir, "ref", strings.TrimSuffix(name, ".jpg")+"@1_8.png"))
		if err != nil {
			t.Fatal(err)
		}
		if haveTurboJPEG {
			// 1800x1200 (or 1200x1800) fitted into 225x225 decodes at 1/8 scale.
			checkAgainst(t, &strict, name, files[name], ref, Size{W: 225, H: 225})
			continue
		}
		checkEighth(t, &strict, name, files[name], ref)
	}
	for _, kind := range []string{"Landscape", "Portrait"} {
		for box, tolerance := range uprightTolerance {
			upright, _, err := kioskFit(kind+"_1.jpg", files[kind+"_1.jpg"], box)
			if err != nil {
				t.Fatal(err)
			}
			for o := 0; o <= 8; o++ {
				name := fmt.Sprintf("%s_%d.jpg", kind, o)
				img, info, err := kioskFit(name, files[name], box)
				if err != nil {
					t.Errorf("%s: %v", name, err)
					continue
				}
				if want := max(o, 1); info.Orientation != want {
					t.Errorf("%s: orientation read as %d, want %d", name, info.Orientation, want)
				}
				d, err := compareOutside(img, upright, digitHole(upright.Bounds()))
				if err == nil && d.worst() > tolerance {
					err = fmt.Errorf("%v from %s_1.jpg", d, kind)
				}
				if err != nil {
					t.Errorf("%s in %v: %v", name, box, err)
					continue
				}
				fromOne.addDiff(d)
			}
		}
		checkNotTurned(t, kind, files)
	}
	t.Logf("EXIF orientations:\n  against ImageMagick's upright decode at 1/8 scale: %v\n"+
		"  against orientation 1 at %v and %v, outside the digit: %v",
		&strict, DefaultOptions().Display, ThumbBox, &fromOne)
	timeImport(t, "EXIF orientation", files)
}

// checkEighth is the strict EXIF check of the pure-Go path, whose decoder
// has no reduced DCT scale: a decode at 1/8 scale keeps each 8x8 block's DC
// coefficient, the block's mean, so the kiosk's full-size upright decode,
// averaged over 8x8 blocks, must match ImageMagick's 1/8-scale decode. Fit
// is left out here: its resampling is not the DCT's, and the set carries
// no full-size reference to fit the same way.
func checkEighth(t *testing.T, stats *levelStats, name string, data []byte, ref *image.NRGBA) {
	t.Helper()
	got, _, err := kioskFit(name, data, Size{})
	if err == nil {
		got = blockMean(got, 8)
	}
	want := onBackdrop(ref)
	if err == nil {
		d, cerr := compare(got, want)
		switch {
		case cerr != nil:
			err = cerr
		case d.worst() > maxMeanDiff:
			t.Errorf("%s averaged over 8x8 blocks: %v from the 1/8-scale reference", name, d)
		}
	}
	if err != nil {
		t.Errorf("%s: %v", name, err)
	}
	stats.add(name, got, want, err)
}

// blockMean shrinks an opaque image by n, each pixel the rounded mean of
// an n×n block (a partial block at the right or bottom edge averages what
// it has), as a JPEG decode at 1/n DCT scale does.
func blockMean(src *image.RGBA, n int) *image.RGBA {
	b := src.Bounds()
	w, h := (b.Dx()+n-1)/n, (b.Dy()+n-1)/n
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for by := range h {
		for bx := range w {
			var sum [3]int
			count := 0
			for y := by * n; y < min((by+1)*n, b.Dy()); y++ {
				for x := bx * n; x < min((bx+1)*n, b.Dx()); x++ {
					p := src.Pix[src.PixOffset(b.Min.X+x, b.Min.Y+y):]
					sum[0], sum[1], sum[2] = sum[0]+int(p[0]), sum[1]+int(p[1]), sum[2]+int(p[2])
					count++
				}
			}
			d := dst.Pix[dst.PixOffset(bx, by):]
			for c := range 3 {
				d[c] = uint8((sum[c] + count/2) / count)
			}
			d[3] = 0xFF
		}
	}
	return dst
}

// checkNotTurned shows the comparison can fail: the stored pixels of
// orientation 3 (upside down), not turned, are far from upright.
func checkNotTurned(t *testing.T, kind string, files map[string][]byte) {
	t.Helper()
	name := kind + "_3.jpg"
	info, err := Inspect(name, files[name], DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	stored, err := decodePixels(info, files[name], Size{})
	if err != nil {
		t.Fatal(err)
	}
	upright, _, err := kioskFit(kind+"_1.jpg", files[kind+"_1.jpg"], Size{})
	if err != nil {
		t.Fatal(err)
	}
	if d, err := compareOutside(stored, upright, digitHole(upright.Bounds())); err != nil || d.worst() < 10 {
		t.Errorf("%s not turned: %v, %v: the comparison cannot tell upside down from upright", name, d, err)
	}
}

// pamMD5 is the md5 of an image as dwebp -pam writes it, as listed in
// libwebp_tests.md5.
func pamMD5(n *image.NRGBA) string {
	h := md5.New()
	fmt.Fprintf(h, "P7\nWIDTH %d\nHEIGHT %d\nDEPTH 4\nMAXVAL 255\nTUPLTYPE RGB_ALPHA\nENDHDR\n", n.Rect.Dx(), n.Rect.Dy())
	h.Write(n.Pix)
	return hex.EncodeToString(h.Sum(nil))
}

// webpChunks lists the chunk names of a WebP file, one level deep.
func webpChunks(data []byte) []string {
	var names []string
	for i := 12; i+8 <= len(data); {
		names = append(names, string(data[i:i+4]))
		n := int(data[i+4]) | int(data[i+5])<<8 | int(data[i+6])<<16 | int(data[i+7])<<24
		i += 8 + n + n&1
	}
	return names
}

// TestConformanceLibWebP decodes libwebp's test images: bit-exact with
// libwebp_tests.md5, the lossless vectors equal to their references, and
// the kiosk's import within maxMeanDiff of dwebp's decode.
func TestConformanceLibWebP(t *testing.T) {
	dir := conformanceDir(t, "libwebp")
	files := readSet(t, dir, "*.webp")
	sums := readMD5List(t, filepath.Join(dir, "libwebp_tests.md5"))
	var checked, lossless int
	var full, fitted levelStats
	for _, name := range sortedNames(files) {
		data := files[name]
		if strings.HasPrefix(name, "lossless_vec_") {
			lossless++
			ref := "grid.pam"
			if strings.HasPrefix(name, "lossless_vec_2_") {
				ref = "peak.pam"
			}
			want, err := readRef(filepath.Join(dir, ref))
			if err != nil {
				t.Fatal(err)
			}
			if got := rawWebP(t, name, data); got != nil && !bytes.Equal(got.Pix, want.Pix) {
				t.Errorf("%s: does not decode to %s", name, ref)
			}
			continue
		}
		want, ok := sums[name+".pam"]
		if !ok {
			t.Errorf("%s: not in libwebp_tests.md5", name)
			continue
		}
		checked++
		if got := rawWebP(t, name, data); got != nil && pamMD5(got) != want {
			t.Errorf("%s: decoded pixels differ from libwebp_tests.md5", name)
		}
		ref, err := readRef(filepath.Join(dir, "ref", name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		checkAgainst(t, &full, name, data, ref, Size{})
		checkAgainst(t, &fitted, name, data, ref, Size{W: 100, H: 100})
	}
	t.Logf("libwebp set against dwebp's decode:\n  full size: %v\n  fitted into 100x100: %v", &full, &fitted)
	if checked < 90 || lossless != 32 {
		t.Fatalf("%d files with md5s and %d lossless vectors: the set is incomplete", checked, lossless)
	}
	levelError(t, dir, files)
	timeImport(t, "libwebp", files)
}

// rawWebP decodes a WebP with its header's size, without flattening.
func rawWebP(t *testing.T, name string, data []byte) *image.NRGBA {
	t.Helper()
	info, err := Inspect(name, data, DefaultLimits())
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return nil
	}
	n, err := webpDecode(data, info.Width, info.Height)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return nil
	}
	return n
}

func readMD5List(t *testing.T, path string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sums := map[string]string{}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) == 2 {
			sums[f[1]] = f[0]
		}
	}
	return sums
}

// TestConformanceLibJPEGTurbo imports libjpeg-turbo's test images
// (baseline, progressive, arithmetic-coded) against djpeg's decode, and
// refuses its 12-bit image as unsupported. Fitted into a box, the kiosk
// decodes at a reduced DCT scale: the reference is then djpeg's decode at
// that scale (-scale 1/2). How far that is from a full decode resized by Fit
// is logged.
func TestConformanceLibJPEGTurbo(t *testing.T) {
	dir := conformanceDir(t, "libjpeg-turbo")
	files := readSet(t, dir, "*.jpg")
	var full, half, resized levelStats
	box := Size{W: 114, H: 114} // 227x149 at 1/2 scale is 114x75
	for _, name := range []string{"testorig.jpg", "testimgint.jpg", "testimgari.jpg"} {
		base := filepath.Join(dir, "ref", strings.TrimSuffix(name, ".jpg"))
		ref, err := readRef(base + ".ppm")
		if err != nil {
			t.Fatal(err)
		}
		refHalf, err := readRef(base + "@1_2.ppm")
		if err != nil {
			t.Fatal(err)
		}
		if !haveTurboJPEG && name == "testimgari.jpg" {
			refusedArithmetic(t, name, files[name])
			delete(files, name)
			continue
		}
		checkAgainst(t, &full, name, files[name], ref, Size{})
		if haveTurboJPEG {
			checkAgainst(t, &half, name, files[name], refHalf, box)
			got, _, err := kioskFit(name, files[name], box)
			resized.add(name, got, Fit(onBackdrop(ref), box), err)
			continue
		}
		// Go's decoder has no reduced DCT scale: the kiosk decodes at full
		// size and fits, so the reference is the full-size one fitted the
		// same way; how far the 1/2-scale decode is is logged.
		checkAgainst(t, &resized, name, files[name], ref, box)
		got, _, err := kioskFit(name, files[name], box)
		half.add(name, got, onBackdrop(refHalf), err)
	}
	if haveTurboJPEG {
		t.Logf("libjpeg-turbo set against djpeg's decode:\n  full size: %v\n  fitted into %v (1/2 DCT scale): %v\n"+
			"  the same, against the full-size reference resized by Fit: %v", &full, box, &half, &resized)
	} else {
		t.Logf("libjpeg-turbo set against djpeg's decode, pure-Go path (arithmetic coding refused):\n  full size: %v\n"+
			"  fitted into %v, against the full-size reference resized by Fit: %v\n"+
			"  the same, against djpeg's 1/2-scale decode: %v", &full, box, &resized, &half)
	}
	_, _, err := Decode("monkey12.jpg", files["monkey12.jpg"], Size{}, DefaultLimits())
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "a 12-bit JPEG") {
		t.Errorf("monkey12.jpg: %v, want unsupported as a 12-bit JPEG", err)
	}
	delete(files, "monkey12.jpg")
	timeImport(t, "libjpeg-turbo", files)
}

// refusedArithmetic checks that the pure-Go path refuses an
// arithmetic-coded JPEG as unsupported, saying so by name.
func refusedArithmetic(t *testing.T, name string, data []byte) {
	t.Helper()
	_, _, err := Decode(name, data, Size{}, DefaultLimits())
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "arithmetic-coded") {
		t.Errorf("%s: %v, want unsupported as an arithmetic-coded JPEG", name, err)
	}
}

// levelStats sums how far one decoder's output is from the reference over a set.
type levelStats struct {
	sum       float64 // sum of |Δ| over every R, G and B sample
	samples   int
	max       int     // largest |Δ| of any sample
	worstFile float64 // largest per-file mean |Δ| of a channel
	files     int
	failed    []string // files the decoder refused
}

func (s *levelStats) add(name string, got, want *image.RGBA, err error) {
	if err == nil {
		var d diff
		if d, err = compare(got, want); err == nil {
			s.addDiff(d)
			return
		}
	}
	s.failed = append(s.failed, name)
}

func (s *levelStats) addDiff(d diff) {
	s.sum += (d.mean[0] + d.mean[1] + d.mean[2]) * float64(d.n)
	s.samples += 3 * d.n
	s.max = max(s.max, d.max)
	s.worstFile = max(s.worstFile, d.worst())
	s.files++
}

func (s *levelStats) String() string {
	out := fmt.Sprintf("%d files: mean |Δ| %.2f levels, max |Δ| %d, worst file mean %.2f",
		s.files, s.sum/float64(max(s.samples, 1)), s.max, s.worstFile)
	if len(s.failed) > 0 {
		out += fmt.Sprintf("; refused %d: %s", len(s.failed), strings.Join(s.failed, " "))
	}
	return out
}

// levelError measures, over the lossy files (a VP8 chunk, with or without
// alpha), how far golang.org/x/image/webp (before) and the kiosk's libwebp
// decode (after) are from dwebp's decode, at full size on the backdrop.
func levelError(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	var before, after levelStats
	for _, name := range sortedNames(files) {
		data := files[name]
		if chunks := webpChunks(data); !slices.Contains(chunks, "VP8 ") || slices.Contains(chunks, "VP8L") {
			continue
		}
		ref, err := readRef(filepath.Join(dir, "ref", name+".png"))
		if err != nil {
			t.Fatal(err)
		}
		want := onBackdrop(ref)
		got, _, err := kioskFit(name, data, Size{})
		after.add(name, got, want, err)
		var x *image.RGBA
		xi, err := xwebp.Decode(bytes.NewReader(data))
		if err == nil {
			x = flatten(xi)
		}
		before.add(name, x, want, err)
	}
	t.Logf("WebP level error over the lossy set (VP8, with or without alpha), against dwebp:\n"+
		"  before (golang.org/x/image/webp): %v\n  after (libwebp): %v", &before, &after)
	if after.files < 80 || after.worstFile > maxMeanDiff {
		t.Errorf("libwebp decode: %v", &after)
	}
}

// TestCompareCatchesLevelSquash: the tolerance tells a limited-range decode
// (black 16, white 235, as golang/go#40173 gives) from a correct one.
func TestCompareCatchesLevelSquash(t *testing.T) {
	img := photoLike(64, 48)
	squashed := image.NewRGBA(img.Rect)
	for i, v := range img.Pix {
		squashed.Pix[i] = v
		if i%4 != 3 {
			squashed.Pix[i] = uint8(16 + int(v)*219/255)
		}
	}
	d, err := compare(squashed, img)
	if err != nil || d.worst() <= maxMeanDiff {
		t.Fatalf("%v, %v: a squashed range passes as equal", d, err)
	}
	if d, _ := compare(img, img); d.worst() != 0 || d.max != 0 {
		t.Fatalf("an image differs from itself: %v", d)
	}
}
