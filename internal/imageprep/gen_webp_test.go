package imageprep

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	xwebp "golang.org/x/image/webp"
)

// levelPatches are the flat patches levelsPicture draws: pure black,
// mid-grey and pure white, the levels a limited-range mistake moves.
type levelPatches struct{ black, grey, white image.Rectangle }

// levelsPicture draws a colour gradient with a black, a mid-grey (128) and
// a white square, and saturated red and blue ones. With alpha, the right
// third fades from opaque at the top to transparent at the bottom and has
// a fully transparent block; the patches stay opaque.
func levelsPicture(w, h int, alpha bool) (*image.NRGBA, levelPatches) {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	p := max(1, min(w, h)/4)
	x0, y0 := w/16, h/8
	sq := func(i int) image.Rectangle {
		x := x0 + i*(p+p/4)
		return image.Rect(x, y0, x+p, y0+p)
	}
	patches := levelPatches{black: sq(0), grey: sq(1), white: sq(2)}
	red, blue := sq(0).Add(image.Pt(0, p+p/4)), sq(1).Add(image.Pt(0, p+p/4))
	for y := range h {
		for x := range w {
			c := color.NRGBA{
				R: uint8(30 + 200*x/max(w, 1)),
				G: uint8(30 + 200*y/max(h, 1)),
				B: uint8(220 - 190*(x+y)/(w+h)),
				A: 0xFF,
			}
			pt := image.Pt(x, y)
			switch {
			case pt.In(patches.black):
				c = color.NRGBA{0, 0, 0, 0xFF}
			case pt.In(patches.grey):
				c = color.NRGBA{128, 128, 128, 0xFF}
			case pt.In(patches.white):
				c = color.NRGBA{255, 255, 255, 0xFF}
			case pt.In(red):
				c = color.NRGBA{240, 20, 20, 0xFF}
			case pt.In(blue):
				c = color.NRGBA{20, 20, 240, 0xFF}
			case alpha && x >= 2*w/3 && y >= 3*h/4 && x < w-w/12:
				c.A = 0
			case alpha && x >= 2*w/3:
				c.A = uint8(255 - 255*y/max(h, 1))
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img, patches
}

// patchMean is the mean of each of R, G and B over the inside of a patch
// of an opaque image (inset by a quarter of the patch's side, at least one pixel).
func patchMean(img *image.RGBA, r image.Rectangle) [3]float64 {
	in := max(1, r.Dx()/4)
	r = r.Inset(in).Intersect(img.Bounds())
	var sum [3]float64
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			p := img.Pix[img.PixOffset(x, y):]
			for c := range 3 {
				sum[c] += float64(p[c])
			}
		}
	}
	n := float64(max(r.Dx()*r.Dy(), 1))
	return [3]float64{sum[0] / n, sum[1] / n, sum[2] / n}
}

// scaleRect maps a rectangle of an image of size from onto one of size to.
func scaleRect(r image.Rectangle, from, to Size) image.Rectangle {
	sx := func(v int) int { return v * to.W / from.W }
	sy := func(v int) int { return v * to.H / from.H }
	return image.Rect(sx(r.Min.X), sy(r.Min.Y), sx(r.Max.X), sy(r.Max.Y))
}

// webpSizes are the generated WebP suite's sizes; the patches are checked
// on the sizes whose patches are 50 pixels or more.
var webpSizes = []Size{{1, 1}, {17, 9}, {301, 203}, {1201, 801}}

// webpKinds are cwebp's options for each kind of the generated suite, and
// whether it is made from the picture with alpha.
var webpKinds = []struct {
	name  string
	alpha bool
	args  []string
}{
	{"lossy-q50", false, []string{"-q", "50"}},
	{"lossy-q75", false, []string{"-q", "75"}},
	{"lossy-q90", false, []string{"-q", "90"}},
	{"lossy-q100", false, []string{"-q", "100", "-m", "6"}},
	{"lossy-sharpyuv", false, []string{"-q", "80", "-sharp_yuv"}},
	{"lossy-nofilter", false, []string{"-q", "85", "-f", "0", "-sns", "0"}},
	{"lossy-strongfilter", false, []string{"-q", "60", "-f", "100", "-strong", "-segments", "1"}},
	{"lossless", false, []string{"-lossless"}},
	{"lossless-z0", false, []string{"-z", "0"}},
	{"near-lossless", false, []string{"-near_lossless", "40"}},
	{"alpha-lossy", true, []string{"-q", "90"}},
	{"alpha-lossy-aq50", true, []string{"-q", "75", "-alpha_q", "50", "-alpha_filter", "best"}},
	{"alpha-lossless-exact", true, []string{"-lossless", "-exact"}},
	{"alpha-lossless", true, []string{"-lossless"}},
}

// TestGeneratedWebPSuite makes lossy (several qualities and filters),
// lossless and near-lossless WebPs with cwebp, with and without alpha, from
// levelsPicture, and decodes each with dwebp -pam. The kiosk's raw decode
// must equal dwebp's (both are libwebp), its import must be within
// maxMeanDiff of dwebp's decode at full size and fitted into 100×100, and
// the black patch must stay at most 2 and the white at least 253, full size
// and fitted (golang.org/x/image/webp gave 16 and 235: its figures over the
// same lossy files are logged).
func TestGeneratedWebPSuite(t *testing.T) {
	dir := generatedSuite(t, toolCwebp, toolDwebp)
	patches := map[string]levelPatches{}
	var gen []command
	for _, s := range webpSizes {
		for _, alpha := range []bool{false, true} {
			img, p := levelsPicture(s.W, s.H, alpha)
			src := fmt.Sprintf("src%dx%d-alpha%v.png", s.W, s.H, alpha)
			writePNG(t, dir, src, img)
			for _, k := range webpKinds {
				if k.alpha != alpha {
					continue
				}
				name := fmt.Sprintf("%s-%dx%d.webp", k.name, s.W, s.H)
				patches[name] = p
				args := append([]string{"cwebp", "-quiet", "-metadata", "none"}, k.args...)
				gen = append(gen, cmd(append(args, src, "-o", name)...))
			}
		}
	}
	runAll(t, dir, gen)
	files := readSet(t, dir, "*.webp")
	if len(files) != len(webpKinds)*len(webpSizes) {
		t.Fatalf("cwebp wrote %d files, want %d", len(files), len(webpKinds)*len(webpSizes))
	}
	names := sortedNames(files)
	var refs []command
	for _, name := range names {
		refs = append(refs, cmd("dwebp", "-quiet", "-pam", name, "-o", name+".pam"))
	}
	runAll(t, dir, refs)

	var full, fitted levelStats
	var exact int
	box := Size{W: 100, H: 100}
	var levels []string
	for _, name := range names {
		data := files[name]
		ref, err := readRef(filepath.Join(dir, name+".pam"))
		if err != nil {
			t.Fatal(err)
		}
		if raw := rawWebP(t, name, data); raw != nil {
			if bytes.Equal(raw.Pix, ref.Pix) && raw.Rect == ref.Rect {
				exact++
			} else {
				t.Errorf("%s: the kiosk's raw decode differs from dwebp's", name)
			}
		}
		checkAgainst(t, &full, name, data, ref, Size{})
		checkAgainst(t, &fitted, name, data, ref, box)
		if p := patches[name]; p.black.Dx() >= 50 {
			levels = append(levels, checkLevels(t, name, data, p, box))
		}
	}
	t.Logf("generated WebP suite (%d kinds × %d sizes) against dwebp's decode; raw decode equal to dwebp's for %d files:\n"+
		"  full size: %v\n  fitted into %v: %v\n  black, grey and white patches (min or max channel mean), full size | fitted:\n    %s",
		len(webpKinds), len(webpSizes), exact, &full, box, &fitted, strings.Join(levels, "\n    "))
	oldDecoder(t, dir, files, patches)
	timeImport(t, "generated WebP", files)
}

// checkLevels checks the black and white patches of the kiosk's import, at
// full size and fitted into box, and words the three patches' levels.
func checkLevels(t *testing.T, name string, data []byte, p levelPatches, box Size) string {
	t.Helper()
	out := name + ":"
	for _, b := range []Size{{}, box} {
		img, info, err := kioskFit(name, data, b)
		if err != nil {
			return out + " " + err.Error()
		}
		at := func(r image.Rectangle) image.Rectangle {
			return scaleRect(r, Size{W: info.Width, H: info.Height}, Size{W: img.Rect.Dx(), H: img.Rect.Dy()})
		}
		black, grey, white := patchMean(img, at(p.black)), patchMean(img, at(p.grey)), patchMean(img, at(p.white))
		hi, lo := slices.Max(black[:]), slices.Min(white[:])
		if hi > 2 || lo < 253 {
			t.Errorf("%s in %v: black patch at %.1f, white at %.1f: want black ≤ 2 and white ≥ 253", name, b, hi, lo)
		}
		out += fmt.Sprintf(" black %.1f grey %.1f…%.1f white %.1f", hi, slices.Min(grey[:]), slices.Max(grey[:]), lo)
		if b == (Size{}) {
			out += " |"
		}
	}
	return out
}

// oldDecoder logs, over the generated lossy files (a VP8 chunk), how far
// golang.org/x/image/webp (the kiosk's decoder before libwebp) and the
// kiosk are from dwebp's decode, and the levels of their black and white
// patches.
func oldDecoder(t *testing.T, dir string, files map[string][]byte, patches map[string]levelPatches) {
	t.Helper()
	var before, after levelStats
	var levels []string
	for _, name := range sortedNames(files) {
		data := files[name]
		if chunks := webpChunks(data); !slices.Contains(chunks, "VP8 ") {
			continue
		}
		ref, err := readRef(filepath.Join(dir, name+".pam"))
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
		if p := patches[name]; x != nil && p.black.Dx() >= 50 {
			black, white := patchMean(x, p.black), patchMean(x, p.white)
			levels = append(levels, fmt.Sprintf("%s: black %.1f white %.1f", name, slices.Max(black[:]), slices.Min(white[:])))
		}
	}
	t.Logf("generated lossy WebPs against dwebp, full size:\n  before (golang.org/x/image/webp): %v\n"+
		"  after (libwebp): %v\n  golang.org/x/image/webp's patches:\n    %s", &before, &after, strings.Join(levels, "\n    "))
	if after.files == 0 || after.worstFile > maxMeanDiff {
		t.Errorf("libwebp decode of the lossy files: %v", &after)
	}
}
