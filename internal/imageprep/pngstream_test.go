package imageprep

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// rawPNG describes a PNG written sample by sample, so that every colour
// type, bit depth and filter is covered (image/png writes only a few).
type rawPNG struct {
	w, h, ctype, depth int
	interlace          bool
	samples            []uint16   // w×h×channels, each below 1<<depth
	palette            [][3]uint8 // colour type 3
	trns               []byte     // tRNS chunk's body, if any
}

func (r *rawPNG) channels() int {
	return map[int]int{0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[r.ctype]
}

// packRow packs the samples of pixels xs of row y at the file's depth.
func (r *rawPNG) packRow(y int, xs []int) []byte {
	c, d := r.channels(), r.depth
	out := make([]byte, (len(xs)*c*d+7)/8)
	bit := 0
	for _, x := range xs {
		for k := range c {
			v := r.samples[(y*r.w+x)*c+k]
			switch d {
			case 16:
				binary.BigEndian.PutUint16(out[bit/8:], v)
			case 8:
				out[bit/8] = byte(v)
			default:
				out[bit/8] |= byte(v) << (8 - d - bit%8)
			}
			bit += d
		}
	}
	return out
}

// filterRow applies PNG filter typ to row against prev (bpp bytes a pixel).
func filterRow(typ byte, row, prev []byte, bpp int) []byte {
	out := make([]byte, len(row)+1)
	out[0] = typ
	for i := range row {
		var a, b, c byte
		if i >= bpp {
			a, c = row[i-bpp], prev[i-bpp]
		}
		b = prev[i]
		var pred byte
		switch typ {
		case 1:
			pred = a
		case 2:
			pred = b
		case 3:
			pred = byte((int(a) + int(b)) / 2)
		case 4:
			pred = paeth(a, b, c)
		}
		out[1+i] = row[i] - pred
	}
	return out
}

// encode writes the file, each row with a filter picked from its index so
// that every filter meets every kind.
func (r *rawPNG) encode() []byte {
	var raw bytes.Buffer
	bpp := max(1, r.channels()*r.depth/8)
	passes := [][4]int{{0, 0, 1, 1}}
	if r.interlace {
		passes = adam7[:]
	}
	n := 0
	for _, p := range passes {
		var xs []int
		for x := p[0]; x < r.w; x += p[2] {
			xs = append(xs, x)
		}
		if len(xs) == 0 {
			continue
		}
		var prev []byte
		for y := p[1]; y < r.h; y += p[3] {
			row := r.packRow(y, xs)
			if prev == nil {
				prev = make([]byte, len(row))
			}
			raw.Write(filterRow(byte(n%5), row, prev, bpp))
			prev = row
			n++
		}
	}
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(raw.Bytes())
	zw.Close()
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, uint32(r.w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(r.h))
	ihdr[8], ihdr[9] = byte(r.depth), byte(r.ctype)
	if r.interlace {
		ihdr[12] = 1
	}
	chunks := []pngChunk{{"IHDR", ihdr}}
	if r.palette != nil {
		var plte []byte
		for _, c := range r.palette {
			plte = append(plte, c[:]...)
		}
		chunks = append(chunks, pngChunk{"PLTE", plte})
	}
	if r.trns != nil {
		chunks = append(chunks, pngChunk{"tRNS", r.trns})
	}
	// The image data in two IDAT chunks, to cross a chunk boundary.
	zb := z.Bytes()
	chunks = append(chunks, pngChunk{"IDAT", zb[:len(zb)/2]}, pngChunk{"IDAT", zb[len(zb)/2:]}, pngChunk{"IEND", nil})
	return pngAssemble(chunks)
}

// randomPNG makes a file of one kind with random samples drawn from a few
// values, so that the tRNS colour occurs, and alpha both extreme and not.
func randomPNG(rng *rand.Rand, w, h, ctype, depth int, interlace, trns bool) *rawPNG {
	r := &rawPNG{w: w, h: h, ctype: ctype, depth: depth, interlace: interlace}
	top := 1<<depth - 1
	c := r.channels()
	r.samples = make([]uint16, w*h*c)
	npal := 0
	if ctype == 3 {
		npal = 1 + rng.IntN(1<<depth)
		for range npal {
			r.palette = append(r.palette, [3]uint8{uint8(rng.UintN(256)), uint8(rng.UintN(256)), uint8(rng.UintN(256))})
		}
		if trns {
			r.trns = make([]byte, 1+rng.IntN(npal))
			for i := range r.trns {
				r.trns[i] = []byte{0, 255, uint8(rng.UintN(256))}[rng.IntN(3)]
			}
		}
	}
	pick := []int{0, top, rng.IntN(top + 1), rng.IntN(top + 1)}
	for i := range r.samples {
		v := pick[rng.IntN(len(pick))]
		if rng.IntN(3) == 0 {
			v = rng.IntN(top + 1)
		}
		if ctype == 3 && rng.IntN(50) != 0 {
			v %= npal // now and then an index past the palette
		}
		r.samples[i] = uint16(v)
	}
	if trns && (ctype == 0 || ctype == 2) {
		r.trns = make([]byte, 2*c)
		for k := range c {
			binary.BigEndian.PutUint16(r.trns[2*k:], uint16(pick[2]))
		}
	}
	return r
}

// pngKindsAll is every colour type with each legal bit depth.
var pngKindsAll = [][2]int{
	{0, 1},
	{0, 2},
	{0, 4},
	{0, 8},
	{0, 16},
	{2, 8},
	{2, 16},
	{3, 1},
	{3, 2},
	{3, 4},
	{3, 8},
	{4, 8},
	{4, 16},
	{6, 8},
	{6, 16},
}

// referenceDecode is what the kiosk's image/png path makes of a file:
// image/png's decode drawn over Backdrop.
func referenceDecode(t *testing.T, data []byte) *image.RGBA {
	t.Helper()
	src, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("image/png refuses the generated file: %v", err)
	}
	return flatten(src)
}

// boxMean averages img over f×f blocks (partial at the right and bottom),
// rounding to nearest.
func boxMean(img *image.RGBA, f int) *image.RGBA {
	b := img.Bounds()
	out := image.NewRGBA(image.Rect(0, 0, ceilDiv(b.Dx(), f), ceilDiv(b.Dy(), f)))
	for oy := range out.Rect.Dy() {
		for ox := range out.Rect.Dx() {
			var sum [3]int
			n := 0
			for y := oy * f; y < min(oy*f+f, b.Dy()); y++ {
				for x := ox * f; x < min(ox*f+f, b.Dx()); x++ {
					o := img.PixOffset(x, y)
					for k := range 3 {
						sum[k] += int(img.Pix[o+k])
					}
					n++
				}
			}
			o := out.PixOffset(ox, oy)
			for k := range 3 {
				out.Pix[o+k] = uint8((sum[k] + n/2) / n)
			}
			out.Pix[o+3] = 0xFF
		}
	}
	return out
}

// TestPNGStreamMatchesImagePNG decodes files of every colour type and bit
// depth, with and without tRNS, plain and interlaced, at odd sizes, with
// the streaming decoder: at factor 1 every byte must equal image/png's
// decode flattened as the kiosk flattens it, and at factors 2, 3 and 8 the
// same decode averaged over the same blocks.
func TestPNGStreamMatchesImagePNG(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 1))
	sizes := []Size{{1, 1}, {1, 9}, {9, 1}, {5, 3}, {8, 8}, {13, 17}, {33, 20}, {64, 3}}
	files := 0
	for _, kind := range pngKindsAll {
		for _, trns := range []bool{false, true} {
			if trns && kind[0] >= 4 {
				continue
			}
			for _, interlace := range []bool{false, true} {
				for _, s := range sizes {
					r := randomPNG(rng, s.W, s.H, kind[0], kind[1], interlace, trns)
					data := r.encode()
					name := fmt.Sprintf("type%d-depth%d-trns%v-interlace%v-%dx%d", kind[0], kind[1], trns, interlace, s.W, s.H)
					ref := referenceDecode(t, data)
					p, err := parsePNG(data)
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					for _, f := range []int{1, 2, 3, 8} {
						got, err := decodePNGStream(p, f)
						if err != nil {
							t.Fatalf("%s at 1/%d: %v", name, f, err)
						}
						want := ref
						if f > 1 {
							want = boxMean(ref, f)
						}
						if got.Rect != want.Rect {
							t.Fatalf("%s at 1/%d: %v, want %v", name, f, got.Rect, want.Rect)
						}
						if i := firstDiff(got.Pix, want.Pix); i >= 0 {
							t.Fatalf("%s at 1/%d: byte %d (pixel %d) is %d, want %d", name, f, i, i/4, got.Pix[i], want.Pix[i])
						}
					}
					files++
				}
			}
		}
	}
	t.Logf("%d generated files, each at factors 1, 2, 3 and 8", files)
}

func firstDiff(a, b []byte) int {
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

// TestPNGStreamRefusesDamage: every kind of damage is refused with a
// reason, never a panic, at factor 1 and reduced.
func TestPNGStreamRefusesDamage(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 2))
	good := randomPNG(rng, 40, 30, 6, 8, false, false).encode()
	chunks, err := pngChunks(good)
	if err != nil {
		t.Fatal(err)
	}
	idat := pngIDAT(chunks)
	rawRows := func(f func(raw []byte) []byte) []byte {
		zr, err := zlib.NewReader(bytes.NewReader(idat))
		if err != nil {
			t.Fatal(err)
		}
		var raw bytes.Buffer
		raw.ReadFrom(zr)
		var z bytes.Buffer
		zw := zlib.NewWriter(&z)
		zw.Write(f(raw.Bytes()))
		zw.Close()
		return pngAssemble(pngReplaceIDAT(chunks, func([]byte) []pngChunk { return []pngChunk{{"IDAT", z.Bytes()}} }))
	}
	cases := []struct{ name, want string }{
		{"truncated", "truncated"},
		{"idat crc", "checksum"},
		{"no idat", "no image data"},
		{"bad filter", "filter type 7"},
		{"short data", "not enough pixel data"},
		{"long data", "too much pixel data"},
		{"adler", "checksum"},
		{"critical chunk", "unknown critical chunk"},
		{"split idat", "not consecutive"},
		{"plte in grey", "PLTE"},
	}
	for _, c := range cases {
		var data []byte
		switch c.name {
		case "truncated":
			data = good[:len(good)-20]
		case "idat crc":
			data = bytes.Clone(good)
			data[len(good)-20] ^= 1
		case "no idat":
			data = pngWithout(chunks, "IDAT")
		case "bad filter":
			data = rawRows(func(raw []byte) []byte { raw[161] = 7; return raw })
		case "short data":
			data = rawRows(func(raw []byte) []byte { return raw[:len(raw)-50] })
		case "long data":
			data = rawRows(func(raw []byte) []byte { return append(raw, make([]byte, 161)...) })
		case "adler":
			z := bytes.Clone(idat)
			z[len(z)-1] ^= 0xFF
			data = pngAssemble(pngReplaceIDAT(chunks, func([]byte) []pngChunk { return []pngChunk{{"IDAT", z}} }))
		case "critical chunk":
			data = pngAssemble(append([]pngChunk{chunks[0], {"ABCD", []byte{1}}}, chunks[1:]...))
		case "split idat":
			data = pngAssemble(pngReplaceIDAT(chunks, func(z []byte) []pngChunk {
				return []pngChunk{{"IDAT", z[:10]}, {"teXt", []byte("a\x00b")}, {"IDAT", z[10:]}}
			}))
		case "plte in grey":
			g := randomPNG(rng, 4, 4, 0, 8, false, false)
			g.palette = [][3]uint8{{1, 2, 3}}
			data = g.encode()
		}
		for _, f := range []int{1, 4} {
			err := func() (err error) {
				defer func() {
					if r := recover(); r != nil {
						err = fmt.Errorf("panic: %v", r)
					}
				}()
				p, err := parsePNG(data)
				if err != nil {
					return err
				}
				_, err = decodePNGStream(p, f)
				return err
			}()
			switch {
			case err == nil:
				t.Errorf("%s at 1/%d: accepted", c.name, f)
			case !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "panic"):
				t.Errorf("%s at 1/%d: %v, want a reason with %q", c.name, f, err, c.want)
			}
		}
	}
}

// TestConformancePngSuiteStreamed runs the PngSuite conformance test with
// every PNG through the streaming decoder: the same pixels against
// ImageMagick's decode, the same corrupt files refused with reasons.
func TestConformancePngSuiteStreamed(t *testing.T) {
	forcePNGStream = true
	defer func() { forcePNGStream = false }()
	TestConformancePngSuite(t)
}

// TestGeneratedPNGSuiteStreamed runs the ImageMagick-generated suite (its
// decodes and its damaged files) through the streaming decoder.
func TestGeneratedPNGSuiteStreamed(t *testing.T) {
	forcePNGStream = true
	defer func() { forcePNGStream = false }()
	TestGeneratedPNGSuite(t)
}

// flatPNG is a w×h RGB PNG of one colour, written row by row so that the
// test itself never holds the image.
func flatPNG(t testing.TB, w, h int) []byte {
	var raw bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&raw, zlib.BestSpeed)
	row := make([]byte, 1+3*w)
	for x := range w {
		row[1+3*x], row[2+3*x], row[3+3*x] = 0x20, 0x80, 0xC0
	}
	for range h {
		zw.Write(row)
	}
	zw.Close()
	ihdr := make([]byte, 13)
	binary.BigEndian.PutUint32(ihdr, uint32(w))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(h))
	ihdr[8], ihdr[9] = 8, 2
	return pngAssemble([]pngChunk{{"IHDR", ihdr}, {"IDAT", raw.Bytes()}, {"IEND", nil}})
}

// TestLargePNGWithinBudget decodes a 10000×9999 flat PNG (the issue's
// case: image/png would allocate 400 MB for it, plus flatten's copy)
// fitted into 1920×1080, and asserts it allocates under 64 MB; at full
// size it must be refused as too large, naming the budget, not allocated.
func TestLargePNGWithinBudget(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes 100 megapixels")
	}
	data := flatPNG(t, 10000, 9999)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	img, info, err := Decode("big.png", data, Size{W: 1920, H: 1080}, DefaultLimits())
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%dx%d fitted into 1920x1080: decoded %v, %.1f MB allocated", info.Width, info.Height, img.Rect.Size(), float64(alloc)/(1<<20))
	if alloc > 64<<20 {
		t.Errorf("allocated %d MB, the budget is 64", alloc>>20)
	}
	if b := img.Bounds(); b.Dx() < 1080 || b.Dy() < 1080 || b.Dx() > 2*1080 {
		t.Errorf("decoded %v, want at least 1080x1080 (the photo fitted into 1920x1080) and not much more", b)
	}
	if o := img.PixOffset(500, 500); img.Pix[o] != 0x20 || img.Pix[o+1] != 0x80 || img.Pix[o+2] != 0xC0 {
		t.Errorf("pixel %v, want the flat colour", img.Pix[o:o+4])
	}
	_, _, err = Decode("big.png", data, Size{}, DefaultLimits())
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "10000×9999") || !strings.Contains(err.Error(), fmt.Sprintf("%d MB", decodeBudget>>20)) {
		t.Errorf("full size: %v, want ErrTooLarge naming the size and the budget", err)
	}
}

// TestDecodesWaitForTheBudget: a decode whose cost does not fit what the
// others hold waits until they release it, then runs.
func TestDecodesWaitForTheBudget(t *testing.T) {
	b := newByteBudget(100)
	b.acquire(60)
	got := make(chan bool)
	go func() {
		b.acquire(50)
		got <- true
		b.release(50)
	}()
	select {
	case <-got:
		t.Fatal("a decode of 50 ran while 60 of 100 were held")
	case <-time.After(50 * time.Millisecond):
	}
	b.release(60)
	select {
	case <-got:
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting decode never ran")
	}
	b.acquire(100) // all released
}

// TestOverBudgetRefusedByName: a decode that alone needs more than the
// budget is refused as too large, saying the size and the budget, before
// anything is allocated: a 100-megapixel PNG at full size.
func TestOverBudgetRefusedByName(t *testing.T) {
	data := flatPNG(t, 10000, 9999)
	info, err := Inspect("big.png", data, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err = decodePixels(info, data, Size{})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "full size") {
		t.Fatalf("%v, want ErrTooLarge at full size", err)
	}
	if a := after.TotalAlloc - before.TotalAlloc; a > 1<<20 {
		t.Errorf("allocated %d bytes before refusing", a)
	}
	t.Log(err)
}

// TestLargeWebPScaledAsDecoded: a WebP over webpScaleAbove (with alpha, so
// the alpha plane is decoded too) is scaled by libwebp as it decodes (in
// the pure-Go build: its rows averaged as they are converted), and comes
// out like the full-size decode fitted the kiosk's way (within the
// conformance tests' level tolerance) for a small part of its memory.
func TestLargeWebPScaledAsDecoded(t *testing.T) {
	dir := generatedSuite(t, toolCwebp)
	const w, h = 2600, 1800
	src := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			a := uint8(255)
			if x > 2*w/3 {
				a = uint8(y * 255 / h)
			}
			src.SetNRGBA(x, y, color.NRGBA{R: uint8(x * 255 / w), G: uint8(y * 255 / h), B: uint8((x + y) * 255 / (w + h)), A: a})
		}
	}
	pngName, webpName := filepath.Join(dir, "big.png"), filepath.Join(dir, "big.webp")
	var buf bytes.Buffer
	if err := png.Encode(&buf, src); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pngName, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cwebp", "-quiet", "-q", "90", pngName, "-o", webpName).CombinedOutput(); err != nil {
		t.Fatalf("cwebp: %v: %s", err, out)
	}
	data, err := os.ReadFile(webpName)
	if err != nil {
		t.Fatal(err)
	}
	box := Size{W: 640, H: 480}
	full, err := webpDecode(data, w, h)
	if err != nil {
		t.Fatal(err)
	}
	want := Fit(flattenNRGBA(full), box)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	got, _, err := kioskFit("big.webp", data, box)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	d, err := compare(got, want)
	if err != nil {
		t.Fatal(err)
	}
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("%dx%d WebP with alpha into %v: %v from the full decode fitted; %.1f MB allocated (full size: %.1f MB)",
		w, h, box, d, float64(alloc)/(1<<20), float64(w*h*4)/(1<<20))
	if d.worst() > maxMeanDiff {
		t.Errorf("scaled decode %v from the full decode fitted", d)
	}
	// libwebp: a quarter of the full-size RGBA at most. x/image/webp
	// alone allocates about 8.3 bytes a pixel for this picture (Y, U, V,
	// and alpha decoded through VP8L as NRGBA); the old path added two
	// full-size RGBA images, 8 more.
	limit := uint64(w * h * 4 / 4)
	if !webpScales {
		limit = w * h * 12
	}
	if alloc > limit {
		t.Errorf("allocated %d bytes, more than %d (the full size's RGBA is %d)", alloc, limit, w*h*4)
	}
}

// TestGoJPEGBoxMatchesFullConversion: the pure-Go JPEG path's conversion
// averaged a row at a time equals the full-size conversion averaged over
// the same blocks, for 4:2:0 pictures of odd sizes.
func TestGoJPEGBoxMatchesFullConversion(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 4))
	for _, s := range []Size{{1, 1}, {7, 5}, {33, 17}, {64, 48}, {101, 67}} {
		src := image.NewRGBA(image.Rect(0, 0, s.W, s.H))
		for i := range src.Pix {
			src.Pix[i] = uint8(rng.UintN(256))
		}
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: 80}); err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		y, ok := img.(*image.YCbCr)
		if !ok || y.SubsampleRatio != image.YCbCrSubsampleRatio420 {
			t.Fatalf("%v: decoded %T, want 4:2:0 YCbCr", s, img)
		}
		full := fancyYCbCr(y, 1)
		for _, f := range []int{2, 3, 8} {
			got, want := fancyYCbCr(y, f), boxMean(full, f)
			if got.Rect != want.Rect {
				t.Fatalf("%v at 1/%d: %v, want %v", s, f, got.Rect, want.Rect)
			}
			if i := firstDiff(got.Pix, want.Pix); i >= 0 {
				t.Fatalf("%v at 1/%d: byte %d is %d, want %d", s, f, i, got.Pix[i], want.Pix[i])
			}
			dec, err := decodeJPEGGoBox(buf.Bytes(), f)
			if err != nil || firstDiff(dec.Pix, want.Pix) >= 0 {
				t.Fatalf("%v at 1/%d: decodeJPEGGoBox differs (%v)", s, f, err)
			}
		}
	}
}
