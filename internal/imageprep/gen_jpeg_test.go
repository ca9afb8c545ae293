package imageprep

import (
	"errors"
	"fmt"
	"image"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/disintegration/imaging"
)

// jpegKind is one kind of the generated JPEG suite: how it is made (from
// src.ppm, or with jpegtran from the baseline file) and what its frame
// header must then say.
type jpegKind struct {
	name     string
	args     []string // the command; "SRC" and "OUT" stand for the input and output
	sof      byte     // SOFn marker: C0 baseline, C1 extended, C2 progressive, C9/CA arithmetic
	sampling string   // components' sampling factors, e.g. "2x2,1x1,1x1"
	restart  bool     // a DRI segment
	small    bool     // also made at the small sizes
	fromBase bool     // made from the baseline file of the same size
}

func cjpegKind(name string, sof byte, sampling string, args ...string) jpegKind {
	return jpegKind{
		name: name, sof: sof, sampling: sampling,
		args: append(append([]string{"cjpeg", "-quality", "90"}, args...), "-outfile", "OUT", "SRC"),
	}
}

const s420 = "2x2,1x1,1x1"

// jpegKinds: baseline, progressive and arithmetic coding, every chroma
// subsampling cjpeg writes (4:1:0 and CMYK go to Go's decoder, the rest to
// libjpeg-turbo), greyscale, RGB without a colour transform, restart
// markers, and files rewritten by jpegtran and written by ImageMagick.
func jpegKinds() []jpegKind {
	kinds := []jpegKind{
		cjpegKind("baseline", 0xC0, s420),
		cjpegKind("optimized", 0xC0, s420, "-optimize"),
		cjpegKind("q50", 0xC0, s420, "-quality", "50"),
		cjpegKind("dct-float", 0xC0, s420, "-dct", "float"),
		cjpegKind("progressive", 0xC2, s420, "-progressive"),
		cjpegKind("arithmetic", 0xC9, s420, "-arithmetic"),
		cjpegKind("arithmetic-progressive", 0xCA, s420, "-arithmetic", "-progressive"),
		cjpegKind("s444", 0xC0, "1x1,1x1,1x1", "-sample", "1x1"),
		cjpegKind("s422", 0xC0, "2x1,1x1,1x1", "-sample", "2x1"),
		cjpegKind("s420", 0xC0, s420, "-sample", "2x2"),
		cjpegKind("s411", 0xC0, "4x1,1x1,1x1", "-sample", "4x1"),
		cjpegKind("s440", 0xC0, "1x2,1x1,1x1", "-sample", "1x2"),
		cjpegKind("s410", 0xC0, "4x2,1x1,1x1", "-sample", "4x2"),
		cjpegKind("grey", 0xC0, "1x1", "-grayscale"),
		cjpegKind("rgb", 0xC0, "1x1,1x1,1x1", "-rgb"),
		cjpegKind("restart-rows", 0xC0, s420, "-restart", "1"),
		cjpegKind("restart-blocks", 0xC0, s420, "-restart", "5B"),
		cjpegKind("progressive-restart", 0xC2, s420, "-progressive", "-restart", "2"),
		{
			name: "jpegtran-progressive", sof: 0xC2, sampling: s420, fromBase: true,
			args: []string{"jpegtran", "-progressive", "-outfile", "OUT", "SRC"},
		},
		{
			name: "jpegtran-arithmetic", sof: 0xC9, sampling: s420, fromBase: true,
			args: []string{"jpegtran", "-arithmetic", "-outfile", "OUT", "SRC"},
		},
		{
			name: "jpegtran-restart", sof: 0xC0, sampling: s420, fromBase: true, restart: true,
			args: []string{"jpegtran", "-restart", "3", "-outfile", "OUT", "SRC"},
		},
		// ImageMagick writes 4:4:4 at quality 90 and above, 4:2:0 below.
		{name: "im-baseline", sof: 0xC0, sampling: s420, args: []string{"convert", "SRC", "-quality", "85", "OUT"}},
		{name: "im-progressive", sof: 0xC2, sampling: "1x1,1x1,1x1", args: []string{"convert", "SRC", "-quality", "92", "-interlace", "JPEG", "OUT"}},
		// CMYK, which ImageMagick writes as inverted YCCK (Adobe transform 2).
		{name: "im-cmyk", sof: 0xC0, sampling: "1x1,1x1,1x1,1x1", args: []string{"convert", "SRC", "-quality", "92", "-colorspace", "CMYK", "OUT"}},
	}
	for i, k := range kinds {
		switch k.name {
		case "restart-rows", "restart-blocks", "progressive-restart":
			kinds[i].restart = true
		}
		switch k.name {
		case "baseline", "progressive", "arithmetic", "s411", "s440", "s410", "grey", "im-cmyk":
			kinds[i].small = true
		}
	}
	return kinds
}

// jpegSOF reads a JPEG's first frame header: its marker, precision and the
// components' sampling factors; and whether a DRI segment comes before the scan.
func jpegSOF(data []byte) (marker byte, precision int, sampling string, restart bool, err error) {
	segs, _, err := jpegSegments(data)
	if err != nil {
		return 0, 0, "", false, err
	}
	for _, s := range segs {
		switch {
		case s.marker == 0xDD:
			restart = true
		case marker == 0 && isSOF(s.marker) && len(s.data) >= 10:
			marker, precision = s.marker, int(s.data[4])
			var f []string
			for c := range int(s.data[9]) {
				if 10+3*c+2 > len(s.data) {
					return 0, 0, "", false, errors.New("short frame header")
				}
				hv := s.data[10+3*c+1]
				f = append(f, fmt.Sprintf("%dx%d", hv>>4, hv&15))
			}
			sampling = strings.Join(f, ",")
		}
	}
	if marker == 0 {
		err = errors.New("no frame header")
	}
	return marker, precision, sampling, restart, err
}

// jpegMain is the generated JPEG suite's main size: not a multiple of any
// MCU; fitted into jpegBox it is decoded at the 1/2 DCT scale (259×195),
// then resized to 200×150.
var (
	jpegMain   = Size{W: 517, H: 389}
	jpegSmall  = []Size{{1, 1}, {7, 3}, {33, 17}}
	jpegBox    = Size{W: 200, H: 200}
	jpegScales = 8 // DCT scales are M/8
)

// TestGeneratedJPEGSuite makes JPEGs of levelsPicture with cjpeg, jpegtran
// and ImageMagick, checks each is the kind it is meant to be, and compares
// the kiosk's import with djpeg's decode: at full size, and fitted into
// jpegBox against djpeg's decode at the DCT scale the kiosk decodes at,
// fitted the same way. A 12-bit JPEG must be refused as unsupported.
func TestGeneratedJPEGSuite(t *testing.T) {
	dir := generatedSuite(t, toolConvert, toolCjpeg, toolDjpeg, toolJpegtran)
	sizes := append([]Size{jpegMain}, jpegSmall...)
	kinds := jpegKinds()
	want := map[string]jpegKind{}
	var first, second []command
	for _, s := range sizes {
		img, _ := levelsPicture(s.W, s.H, false)
		src := fmt.Sprintf("src%dx%d.ppm", s.W, s.H)
		writePPM(t, dir, src, &image.RGBA{Pix: img.Pix, Stride: img.Stride, Rect: img.Rect})
		for _, k := range kinds {
			if s != jpegMain && !k.small {
				continue
			}
			name := fmt.Sprintf("%s-%dx%d.jpg", k.name, s.W, s.H)
			want[name] = k
			in := src
			if k.fromBase {
				in = fmt.Sprintf("baseline-%dx%d.jpg", s.W, s.H)
			}
			args := make([]string, len(k.args))
			for i, a := range k.args {
				args[i] = map[string]string{"SRC": in, "OUT": name}[a]
				if args[i] == "" {
					args[i] = a
				}
			}
			if k.fromBase {
				second = append(second, cmd(args...))
			} else {
				first = append(first, cmd(args...))
			}
		}
	}
	runAll(t, dir, first)
	runAll(t, dir, second)
	files := readSet(t, dir, "*-*x*.jpg")
	if len(files) != len(want) {
		t.Fatalf("%d files, want %d", len(files), len(want))
	}
	for _, name := range sortedNames(files) {
		k := want[name]
		m, p, s, r, err := jpegSOF(files[name])
		if err != nil || m != k.sof || p != 8 || s != k.sampling || r != k.restart {
			t.Errorf("%s: frame SOF%X, %d bits, sampling %s, restart %v (%v); want SOF%X, 8 bits, %s, restart %v",
				name, m&15, p, s, r, err, k.sof&15, k.sampling, k.restart)
		}
	}

	refusedWithoutTurbo(t, files, want)

	// djpeg's decodes: full size, and at the scale the kiosk decodes at
	// when fitting into jpegBox (libjpeg-turbo scales; Go's fallback does not).
	scaleOf := map[string]int{}
	var refs []command
	for _, name := range sortedNames(files) {
		base := strings.TrimSuffix(name, ".jpg")
		opts := []string{"djpeg"}
		if want[name].name == "grey" {
			opts = append(opts, "-rgb") // PPM, not PGM
		}
		refs = append(refs, cmd(append(opts, "-ppm", "-outfile", base+".ppm", name)...))
		info, err := Inspect(name, files[name], DefaultLimits())
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		img, err := decodePixels(info, files[name], storedNeed(info, jpegBox))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		// Of the scales that give this size, libjpeg-turbo's list, which the
		// kiosk walks from the largest, gives the largest first.
		for m := jpegScales; m >= 1; m-- {
			if (info.Width*m+jpegScales-1)/jpegScales == img.Rect.Dx() && (info.Height*m+jpegScales-1)/jpegScales == img.Rect.Dy() {
				scaleOf[name] = m
				break
			}
		}
		if m := scaleOf[name]; m > 0 && m < jpegScales {
			refs = append(refs, cmd(append(opts, "-scale", fmt.Sprintf("%d/%d", m, jpegScales), "-ppm", "-outfile",
				fmt.Sprintf("%s@%d_8.ppm", base, m), name)...))
		}
	}
	runAll(t, dir, refs)

	var full, fitted, resized levelStats
	var scales, offSize []string
	for _, name := range sortedNames(files) {
		base := filepath.Join(dir, strings.TrimSuffix(name, ".jpg"))
		ref, err := readRef(base + ".ppm")
		if err != nil {
			t.Fatal(err)
		}
		checkAgainst(t, &full, name, files[name], ref, Size{})
		refScaled := ref
		if m := scaleOf[name]; m > 0 && m < jpegScales {
			if refScaled, err = readRef(fmt.Sprintf("%s@%d_8.ppm", base, m)); err != nil {
				t.Fatal(err)
			}
			scales = append(scales, fmt.Sprintf("%s %d/8", strings.TrimSuffix(name, ".jpg"), m))
		}
		checkAgainst(t, &fitted, name, files[name], refScaled, jpegBox)
		got, info, err := kioskFit(name, files[name], jpegBox)
		if err != nil {
			continue
		}
		// Fitted from a reduced-scale decode, the kiosk's picture may be a
		// pixel off FitSize of the stored size (517×389 into 200×200: 200×150,
		// but 259×195 from the 1/2 scale gives 200×151): compare with the
		// reference resized to the kiosk's size, and count those files.
		b := got.Bounds()
		if FitSize(Size{W: info.Width, H: info.Height}, jpegBox) != (Size{W: b.Dx(), H: b.Dy()}) {
			offSize = append(offSize, fmt.Sprintf("%s %dx%d", strings.TrimSuffix(name, ".jpg"), b.Dx(), b.Dy()))
		}
		resized.add(name, got, resizeTo(onBackdrop(ref), b.Dx(), b.Dy()), nil)
	}
	t.Logf("generated JPEG suite (%d files) against djpeg's decode:\n  full size: %v\n  fitted into %v: %v\n"+
		"  the same, against the full-size reference resized to the kiosk's size: %v\n  DCT scales: %s\n"+
		"  a pixel off FitSize(stored size, %v) after the reduced-scale decode: %d files: %s",
		len(files), &full, jpegBox, &fitted, &resized, strings.Join(scales, ", "), jpegBox, len(offSize), strings.Join(offSize, ", "))
	t.Run("12-bit", func(t *testing.T) { check12Bit(t, dir) })
	timeImport(t, "generated JPEG", files)
}

// resizeTo resizes an opaque image to w×h with Fit's filter.
func resizeTo(img *image.RGBA, w, h int) *image.RGBA {
	n := imaging.Resize(img, w, h, imaging.Linear)
	return &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}
}

// check12Bit makes a 12-bit JPEG, if a tool here can, and checks it is
// refused as unsupported, not as damaged. cjpeg writes 12-bit JPEGs from
// libjpeg-turbo 3.0 on (-precision 12); Debian 12's is 2.1.5, which has no
// such switch, and ImageMagick there writes 8 bits whatever -depth says. The
// forged 12-bit header of TestBadImages still covers the refusal.
func check12Bit(t *testing.T, dir string) {
	x := exec.Command("cjpeg", "-precision", "12", "-outfile", "p12.jpg", fmt.Sprintf("src%dx%d.ppm", jpegMain.W, jpegMain.H))
	x.Dir = dir
	if out, err := x.CombinedOutput(); err != nil {
		t.Skipf("no tool here writes a 12-bit JPEG: cjpeg -precision 12: %v (%.60q)", err, out)
	}
	data := readFile(t, dir, "p12.jpg")
	if p := sofPrecision(data); p != 12 {
		t.Skipf("cjpeg -precision 12 wrote a %d-bit JPEG", p)
	}
	_, _, err := Decode("p12.jpg", data, Size{}, DefaultLimits())
	if !errors.Is(err, ErrUnsupported) || errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "a 12-bit JPEG") {
		t.Errorf("p12.jpg: %v, want unsupported as a 12-bit JPEG", err)
	}
}

// refusedWithoutTurbo: a build without libjpeg-turbo (jpeg_pure.go, the
// Windows build) decodes with Go's image/jpeg alone, which has no
// arithmetic decoding and fails on cjpeg's progressive files with restart
// markers ("missing 0xff00 sequence"). Those files must be refused there,
// arithmetic ones as unsupported, by name; they are then taken out of the
// comparisons, which every other file passes as in the libjpeg-turbo build.
func refusedWithoutTurbo(t *testing.T, files map[string][]byte, want map[string]jpegKind) {
	t.Helper()
	if haveTurboJPEG {
		return
	}
	var refused []string
	for _, name := range sortedNames(files) {
		k := want[name]
		arith := strings.Contains(k.name, "arithmetic")
		if !arith && k.name != "progressive-restart" {
			continue
		}
		_, _, err := Decode(name, files[name], Size{}, DefaultLimits())
		switch {
		case arith && (!errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "arithmetic-coded")):
			t.Errorf("%s: %v, want unsupported as an arithmetic-coded JPEG", name, err)
		case !arith && err == nil:
			t.Logf("%s: Go's image/jpeg decodes progressive JPEGs with restart markers now: compare it again", name)
			continue
		case !arith && !errors.Is(err, ErrCorrupt):
			t.Errorf("%s: %v, want refused", name, err)
		}
		refused = append(refused, name)
		delete(files, name)
	}
	t.Logf("without libjpeg-turbo, refused as Go's image/jpeg cannot decode them: %s", strings.Join(refused, ", "))
}
