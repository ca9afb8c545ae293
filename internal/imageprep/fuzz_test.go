package imageprep

import (
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

// tinyLimits keep the fuzzer from spending its time on big allocations.
var tinyLimits = Limits{MaxPixels: 1 << 16, MaxBytes: 1 << 16}

// fuzzFixtures are the committed images every fuzz target starts from:
// each JPEG decoder path (libjpeg-turbo, Go's, the fallbacks between them)
// and each kind of WebP libwebp decodes.
var fuzzFixtures = []string{
	"progressive.jpg", "cmyk.jpg", "ycck.jpg", "s410.jpg", "arithmetic.jpg",
	"lossy.webp", "lossless.webp", "lossy-alpha.webp", "levels.webp", "animated.webp",
}

func seedImages(f *testing.F) {
	for _, name := range fuzzFixtures {
		data, err := readFixture(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(name, data)
	}
	f.Add("a.png", encodePNG(f, quadrants(8, 8)))
	f.Add("a.jpg", encodeJPEG(f, quadrants(16, 16)))
}

func FuzzInspect(f *testing.F) {
	seedImages(f)
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		info, err := Inspect(name, data, tinyLimits)
		if err == nil && int64(info.Width)*int64(info.Height) > tinyLimits.MaxPixels {
			t.Fatalf("accepted %dx%d over the limit", info.Width, info.Height)
		}
		if err == nil && (info.Orientation < 1 || info.Orientation > 8) {
			t.Fatalf("orientation %d", info.Orientation)
		}
	})
}

func FuzzDecode(f *testing.F) {
	seedImages(f)
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		img, info, err := Decode(name, data, Size{W: 32, H: 32}, tinyLimits)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrWrongExtension) {
				t.Fatalf("error outside the sentinels: %v", err)
			}
			return
		}
		if img.Bounds().Dx()*img.Bounds().Dy() > int(tinyLimits.MaxPixels) {
			t.Fatalf("decoded %v from a header of %dx%d", img.Bounds(), info.Width, info.Height)
		}
	})
}

// FuzzDecodeWebP feeds libwebp through the kiosk's header checks and decode:
// the name is fixed so that every mutation goes into the bytes.
func FuzzDecodeWebP(f *testing.F) {
	for _, name := range fuzzFixtures {
		if strings.HasSuffix(name, ".webp") {
			data, err := readFixture(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		img, info, err := Decode("f.webp", data, Size{W: 32, H: 32}, tinyLimits)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrWrongExtension) {
				t.Fatalf("error outside the sentinels: %v", err)
			}
			return
		}
		// Full size, or (libwebp scales as it decodes) fitted into 32×32.
		fit := FitSize(Size{W: info.Width, H: info.Height}, Size{W: 32, H: 32})
		if b := img.Bounds(); (b.Dx() != info.Width || b.Dy() != info.Height) && (b.Dx() != fit.W || b.Dy() != fit.H) {
			t.Fatalf("decoded %v from a header of %dx%d", b, info.Width, info.Height)
		}
		if int64(info.Width)*int64(info.Height) > tinyLimits.MaxPixels {
			t.Fatalf("accepted %dx%d over the limit", info.Width, info.Height)
		}
	})
}

// FuzzPNGStream feeds the streaming decoder directly, at factor 1 and 3:
// whatever the bytes, it returns an image of the header's size reduced,
// or an error, and never panics.
func FuzzPNGStream(f *testing.F) {
	rng := rand.New(rand.NewPCG(18, 3))
	for i, kind := range pngKindsAll {
		f.Add(randomPNG(rng, 5+i%4, 7, kind[0], kind[1], i%2 == 0, kind[0] < 4 && i%3 == 0).encode())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := parsePNG(data)
		if err != nil {
			return
		}
		if int64(p.w)*int64(p.h) > tinyLimits.MaxPixels || pngStreamCost(p, 1) > 1<<24 {
			return
		}
		for _, fac := range []int{1, 3} {
			img, err := decodePNGStream(p, fac)
			if err != nil {
				continue
			}
			if b := img.Bounds(); b.Dx() != ceilDiv(p.w, fac) || b.Dy() != ceilDiv(p.h, fac) {
				t.Fatalf("decoded %v from %dx%d at 1/%d", b, p.w, p.h, fac)
			}
		}
	})
}
