package imageprep

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// quadrants is a w×h image whose four quadrants have distinct colours.
func quadrants(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, quadColor(x < w/2, y < h/2))
		}
	}
	return img
}

var (
	red    = color.RGBA{255, 0, 0, 255}
	green  = color.RGBA{0, 255, 0, 255}
	blue   = color.RGBA{0, 0, 255, 255}
	yellow = color.RGBA{255, 255, 0, 255}
)

func quadColor(left, top bool) color.RGBA {
	switch {
	case left && top:
		return red
	case !left && top:
		return green
	case left:
		return blue
	}
	return yellow
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// app1 builds an APP1 segment with the given payload.
func app1(payload []byte) []byte {
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	return append(seg, payload...)
}

// exifOrientation is an EXIF payload holding only tag 0x0112.
func exifOrientation(o int, bo binary.ByteOrder) []byte {
	tiff := make([]byte, 8+2+12+4)
	if bo == binary.LittleEndian {
		copy(tiff, "II")
	} else {
		copy(tiff, "MM")
	}
	bo.PutUint16(tiff[2:], 42)
	bo.PutUint32(tiff[4:], 8)
	bo.PutUint16(tiff[8:], 1)
	e := tiff[10:]
	bo.PutUint16(e[0:], 0x0112)
	bo.PutUint16(e[2:], 3)
	bo.PutUint32(e[4:], 1)
	bo.PutUint16(e[8:], uint16(o))
	return append([]byte("Exif\x00\x00"), tiff...)
}

// withSegments inserts segments right after the JPEG's SOI marker.
func withSegments(jpg []byte, segs ...[]byte) []byte {
	out := append([]byte(nil), jpg[:2]...)
	for _, s := range segs {
		out = append(out, s...)
	}
	return append(out, jpg[2:]...)
}

func near(a, b color.RGBA) bool {
	d := func(x, y uint8) int {
		if x > y {
			return int(x - y)
		}
		return int(y - x)
	}
	return d(a.R, b.R) < 40 && d(a.G, b.G) < 40 && d(a.B, b.B) < 40
}

// TestEXIFOrientation stores a picture the way a camera held in each of the 8
// positions would, and checks the decoded picture is upright again.
func TestEXIFOrientation(t *testing.T) {
	upright := quadrants(80, 40)
	for o := 1; o <= 8; o++ {
		for _, bo := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			t.Run(fmt.Sprintf("%d/%v", o, bo), func(t *testing.T) {
				stored := unorient(upright, o)
				data := withSegments(encodeJPEG(t, stored), app1(exifOrientation(o, bo)))
				img, info, err := Decode("p.jpg", data, Size{}, DefaultLimits())
				if err != nil {
					t.Fatal(err)
				}
				if info.Orientation != o {
					t.Fatalf("orientation read as %d", info.Orientation)
				}
				if b := img.Bounds(); b.Dx() != 80 || b.Dy() != 40 {
					t.Fatalf("decoded %v, want 80x40", b)
				}
				assertQuadrants(t, img)
			})
		}
	}
}

// unorient produces what a camera stores for orientation o of upright.
func unorient(upright *image.RGBA, o int) *image.RGBA {
	inverse := map[int]int{1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 8, 7: 7, 8: 6}
	return orient(upright, inverse[o])
}

func assertQuadrants(t *testing.T, img *image.RGBA) {
	t.Helper()
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	for _, q := range []struct{ x, y int }{{w / 4, h / 4}, {3 * w / 4, h / 4}, {w / 4, 3 * h / 4}, {3 * w / 4, 3 * h / 4}} {
		got := img.RGBAAt(q.x, q.y)
		want := quadColor(q.x < w/2, q.y < h/2)
		if !near(got, want) {
			t.Errorf("pixel (%d,%d) = %v, want %v", q.x, q.y, got, want)
		}
	}
}

func TestOrientationFoundAfterXMP(t *testing.T) {
	xmp := app1([]byte("http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>"))
	data := withSegments(encodeJPEG(t, unorient(quadrants(80, 40), 6)), xmp, app1(exifOrientation(6, binary.BigEndian)))
	img, info, err := Decode("p.jpg", data, Size{}, DefaultLimits())
	if err != nil || info.Orientation != 6 {
		t.Fatalf("orientation %d, err %v: EXIF after XMP was missed", info.Orientation, err)
	}
	assertQuadrants(t, img)
}

func readFixture(name string) ([]byte, error) { return os.ReadFile(filepath.Join("testdata", name)) }

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	data, err := readFixture(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestFormats(t *testing.T) {
	halves := func(t *testing.T, img *image.RGBA) {
		t.Helper()
		if b := img.Bounds(); b.Dx() != 64 || b.Dy() != 48 {
			t.Fatalf("size %v", b)
		}
		if l, r := img.RGBAAt(8, 24), img.RGBAAt(56, 24); !near(l, red) || !near(r, blue) {
			t.Fatalf("left %v right %v, want red and blue", l, r)
		}
	}
	alpha := image.NewNRGBA(image.Rect(0, 0, 64, 48))
	for y := 0; y < 48; y++ {
		for x := 0; x < 64; x++ {
			if x < 32 {
				alpha.SetNRGBA(x, y, color.NRGBA{255, 0, 0, 255})
			} else {
				alpha.SetNRGBA(x, y, color.NRGBA{0, 0, 255, 0}) // fully transparent
			}
		}
	}
	deep := image.NewRGBA64(image.Rect(0, 0, 64, 48))
	pal := image.NewPaletted(image.Rect(0, 0, 64, 48), color.Palette{red, blue})
	for y := 0; y < 48; y++ {
		for x := 0; x < 64; x++ {
			c := color.RGBA64{0xFFFF, 0, 0, 0xFFFF}
			if x >= 32 {
				c = color.RGBA64{0, 0, 0xFFFF, 0xFFFF}
				pal.SetColorIndex(x, y, 1)
			}
			deep.SetRGBA64(x, y, c)
		}
	}
	cases := []struct {
		name  string
		data  []byte
		check func(*testing.T, *image.RGBA)
	}{
		{"progressive.jpg", fixture(t, "progressive.jpg"), halves},
		{"cmyk.jpg", fixture(t, "cmyk.jpg"), halves},
		{"ycck.jpg", fixture(t, "ycck.jpg"), halves},
		{"s410.jpg", fixture(t, "s410.jpg"), halves},
		{"lossy.webp", fixture(t, "lossy.webp"), halves},
		{"lossless.webp", fixture(t, "lossless.webp"), halves},
		{"lossy-alpha.webp", fixture(t, "lossy-alpha.webp"), func(t *testing.T, img *image.RGBA) {
			if got := img.RGBAAt(56, 24); got != Backdrop {
				t.Fatalf("transparent pixel became %v, want the backdrop %v", got, Backdrop)
			}
			if !near(img.RGBAAt(8, 24), red) {
				t.Fatal("opaque pixel changed")
			}
		}},
		{"deep.png", encodePNG(t, deep), halves},
		{"paletted.png", encodePNG(t, pal), halves},
		{"alpha.png", encodePNG(t, alpha), func(t *testing.T, img *image.RGBA) {
			if got := img.RGBAAt(56, 24); got != Backdrop {
				t.Fatalf("transparent pixel became %v, want the backdrop %v", got, Backdrop)
			}
			if !near(img.RGBAAt(8, 24), red) {
				t.Fatal("opaque pixel changed")
			}
		}},
	}
	if haveTurboJPEG {
		cases = append(cases, struct {
			name  string
			data  []byte
			check func(*testing.T, *image.RGBA)
		}{"arithmetic.jpg", fixture(t, "arithmetic.jpg"), halves})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			img, _, err := Decode(tc.name, tc.data, Size{}, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, img)
		})
	}
}

// forgeJPEGSize rewrites the SOF of a JPEG to claim w×h.
func forgeJPEGSize(data []byte, w, h int) []byte {
	out := append([]byte(nil), data...)
	for i := 2; i+8 < len(out); i++ {
		if out[i] == 0xFF && (out[i+1] == 0xC0 || out[i+1] == 0xC2) {
			binary.BigEndian.PutUint16(out[i+5:], uint16(h))
			binary.BigEndian.PutUint16(out[i+7:], uint16(w))
			return out
		}
	}
	panic("no SOF")
}

// forgeJPEGFrame rewrites the first SOF of a JPEG as marker with the given
// sample precision, as a 12-bit or lossless encoder would write it.
func forgeJPEGFrame(data []byte, marker byte, precision int) []byte {
	out := append([]byte(nil), data...)
	for i := 2; i+8 < len(out); i++ {
		if out[i] == 0xFF && (out[i+1] == 0xC0 || out[i+1] == 0xC2) {
			out[i+1] = marker
			out[i+4] = byte(precision)
			return out
		}
	}
	panic("no SOF")
}

// forgeWebPSize rewrites the frame size of a simple lossy WebP (RIFF, then
// the VP8 chunk) to claim w×h (at most 16383 each).
func forgeWebPSize(data []byte, w, h int) []byte {
	if string(data[12:16]) != "VP8 " || string(data[23:26]) != "\x9d\x01\x2a" {
		panic("not a simple lossy WebP")
	}
	out := append([]byte(nil), data...)
	binary.LittleEndian.PutUint16(out[26:], uint16(w))
	binary.LittleEndian.PutUint16(out[28:], uint16(h))
	return out
}

func TestBadImages(t *testing.T) {
	jpg := encodeJPEG(t, quadrants(64, 48))
	forgedPNG := encodePNG(t, quadrants(8, 8))
	binary.BigEndian.PutUint32(forgedPNG[16:], 50000) // IHDR width
	binary.BigEndian.PutUint32(forgedPNG[20:], 50000) // IHDR height
	binary.BigEndian.PutUint32(forgedPNG[29:], crc32.ChecksumIEEE(forgedPNG[12:29]))
	heic := append([]byte{0, 0, 0, 24}, []byte("ftypheic\x00\x00\x00\x00mif1heic")...)
	good := encodePNG(t, quadrants(8, 8))
	png0 := append([]byte{good[0] &^ 0x80}, good[1:]...)
	pngLF := bytes.ReplaceAll(good, []byte("\r\n"), []byte("\n"))
	pngCRLF := bytes.ReplaceAll(good, []byte("\n"), []byte("\r\n"))
	webpLossy := fixture(t, "lossy.webp")
	cases := []struct {
		name, file string
		data       []byte
		want       error
		text       string
	}{
		{"header claims 50000x50000 (JPEG)", "a.jpg", forgeJPEGSize(jpg, 50000, 50000), ErrTooLarge, "50000×50000"},
		{"header claims 50000x50000 (PNG)", "a.png", forgedPNG, ErrTooLarge, "50000×50000"},
		{"truncated JPEG", "a.jpg", jpg[:len(jpg)/2], ErrCorrupt, ""},
		{"PNG named .jpg", "a.jpg", encodePNG(t, quadrants(8, 8)), ErrWrongExtension, "PNG"},
		{"JPEG named .png", "a.png", jpg, ErrWrongExtension, "JPEG"},
		{"HEIC", "a.jpg", heic, ErrUnsupported, "export it as JPEG"},
		{"empty", "a.jpg", nil, ErrCorrupt, "empty"},
		{"garbage", "a.jpg", []byte("this is not an image at all"), ErrUnsupported, ""},
		{"JPEG header only", "a.jpg", jpg[:20], ErrCorrupt, ""},
		{"12-bit JPEG", "a.jpg", forgeJPEGFrame(jpg, 0xC0, 12), ErrUnsupported, "a 12-bit JPEG"},
		{"lossless JPEG", "a.jpg", forgeJPEGFrame(jpg, 0xC3, 8), ErrUnsupported, "a lossless JPEG"},
		{"hierarchical JPEG", "a.jpg", forgeJPEGFrame(jpg, 0xC5, 8), ErrUnsupported, "a hierarchical JPEG"},
		{"PNG signature bit 7 cleared", "a.png", png0, ErrCorrupt, "looks like a damaged PNG"},
		{"PNG copied as text (CR LF to LF)", "a.png", pngLF, ErrCorrupt, "looks like a damaged PNG"},
		{"PNG copied as text (LF to CR LF)", "a.png", pngCRLF, ErrCorrupt, "looks like a damaged PNG"},
		{"header claims 16383x16383 (WebP)", "a.webp", forgeWebPSize(fixture(t, "lossy.webp"), 16383, 16383), ErrTooLarge, "16383×16383"},
		{"truncated WebP", "a.webp", webpLossy[:len(webpLossy)/2], ErrCorrupt, map[bool]string{true: "libwebp", false: "WebP"}[haveLibWebP]},
		{"WebP header only", "a.webp", webpLossy[:30], ErrCorrupt, ""},
		{"animated WebP", "a.webp", fixture(t, "animated.webp"), ErrUnsupported, "an animated WebP"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Decode(tc.file, tc.data, Size{W: 32, H: 32}, DefaultLimits())
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if !strings.Contains(fmt.Sprint(err), tc.text) {
				t.Fatalf("err %q does not say %q", err, tc.text)
			}
		})
	}
}

func TestHugeHeaderRefusedWithoutAllocating(t *testing.T) {
	for name, data := range map[string][]byte{
		"a.jpg":  forgeJPEGSize(encodeJPEG(t, quadrants(64, 48)), 50000, 50000),
		"a.webp": forgeWebPSize(fixture(t, "lossy.webp"), 16383, 16383),
	} {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		_, _, err := Decode(name, data, Size{W: 1920, H: 1080}, DefaultLimits())
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("%s: err = %v", name, err)
		}
		if grew := after.TotalAlloc - before.TotalAlloc; grew > 10<<20 {
			t.Fatalf("%s: refusing a forged header allocated %d bytes", name, grew)
		}
	}
}

func TestFitNeverDistortsOrUpscales(t *testing.T) {
	for _, tc := range []struct{ src, box Size }{
		{Size{4000, 3000}, Size{1920, 1080}},
		{Size{3000, 4000}, Size{1920, 1080}},
		{Size{1080, 1920}, Size{1920, 1080}},
		{Size{640, 480}, Size{1920, 1080}},
		{Size{5000, 20}, Size{1920, 1080}},
	} {
		got := FitSize(tc.src, tc.box)
		if got.W > tc.box.W || got.H > tc.box.H || got.W > tc.src.W || got.H > tc.src.H {
			t.Errorf("FitSize(%v, %v) = %v: too large", tc.src, tc.box, got)
		}
		if got.W != tc.box.W && got.H != tc.box.H && got != tc.src {
			t.Errorf("FitSize(%v, %v) = %v: touches neither side of the box", tc.src, tc.box, got)
		}
		// aspect ratio within one pixel
		if d := got.W*tc.src.H - got.H*tc.src.W; d*d > tc.src.W*tc.src.W+tc.src.H*tc.src.H {
			t.Errorf("FitSize(%v, %v) = %v: distorted", tc.src, tc.box, got)
		}
	}
	img := Fit(quadrants(400, 300), Size{W: 200, H: 200})
	if b := img.Bounds(); b.Dx() != 200 || b.Dy() != 150 {
		t.Fatalf("Fit gave %v", b)
	}
	assertQuadrants(t, img)
}

func TestPrepareDecodesAtReducedScale(t *testing.T) {
	data := encodeJPEG(t, quadrants(1600, 1200))
	opt := DefaultOptions()
	opt.Display = Size{W: 480, H: 270}
	opt.Master = Size{W: 600, H: 600}
	p, err := Prepare("a.jpg", data, opt)
	if err != nil {
		t.Fatal(err)
	}
	if p.Display.W != 360 || p.Display.H != 270 {
		t.Errorf("display %dx%d, want 360x270", p.Display.W, p.Display.H)
	}
	// 1600x1200 needs 600x450: the 3/8 DCT scale gives exactly 600x450.
	if p.Master.W != 600 || p.Master.H != 450 {
		t.Errorf("master %dx%d, want 600x450", p.Master.W, p.Master.H)
	}
	for _, e := range []Encoded{p.Display, p.Master} {
		img, _, err := Decode("x.jpg", e.JPEG, Size{}, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != e.W || b.Dy() != e.H {
			t.Errorf("encoded %dx%d but says %dx%d", b.Dx(), b.Dy(), e.W, e.H)
		}
		assertQuadrants(t, img)
	}
}

func TestRunUsesWorkersAndReportsEveryJob(t *testing.T) {
	good := encodeJPEG(t, quadrants(64, 48))
	var jobs []Job
	for i := 0; i < 12; i++ {
		data := good
		if i%4 == 3 {
			data = good[:40]
		}
		jobs = append(jobs, Job{Key: fmt.Sprint(i), Name: "p.jpg", Load: func() ([]byte, error) { return data, nil }})
	}
	var inEmit atomic.Int32
	seen := map[string]error{}
	Run(context.Background(), jobs, DefaultOptions(), 2, func(r Result) {
		if inEmit.Add(1) != 1 {
			t.Error("emit called concurrently")
		}
		seen[r.Job.Key] = r.Err
		inEmit.Add(-1)
	})
	if len(seen) != 12 {
		t.Fatalf("%d results, want 12", len(seen))
	}
	for k, err := range seen {
		bad := k == "3" || k == "7" || k == "11"
		if bad != (err != nil) {
			t.Errorf("job %s: err %v", k, err)
		}
	}
}

func TestRunStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var n atomic.Int32
	jobs := make([]Job, 100)
	for i := range jobs {
		jobs[i] = Job{Key: fmt.Sprint(i), Name: "p.jpg", Load: func() ([]byte, error) {
			if n.Add(1) == 3 {
				cancel()
			}
			return nil, errors.New("skip")
		}}
	}
	Run(ctx, jobs, DefaultOptions(), 2, func(Result) {})
	if got := n.Load(); got > 10 {
		t.Fatalf("%d jobs started after cancel", got)
	}
}
