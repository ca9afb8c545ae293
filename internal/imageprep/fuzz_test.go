package imageprep

import (
	"errors"
	"testing"
)

// tinyLimits keep the fuzzer from spending its time on big allocations.
var tinyLimits = Limits{MaxPixels: 1 << 16, MaxBytes: 1 << 16}

func seedImages(f *testing.F) {
	for _, name := range []string{"progressive.jpg", "cmyk.jpg", "ycck.jpg", "lossy.webp", "lossless.webp"} {
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
