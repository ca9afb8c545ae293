package imageprep

import (
	"bytes"
	"errors"
	"image/jpeg"
	"strings"
	"testing"

	xwebp "golang.org/x/image/webp"
)

// TestWebPLevels decodes a lossy WebP of black, mid-grey and white bars: VP8
// stores limited-range YCbCr, which must come back as 0, 128 and 255, not as
// the 16 … 235 golang.org/x/image/webp gives (golang/go#40173).
func TestWebPLevels(t *testing.T) {
	data := fixture(t, "levels.webp")
	img, _, err := Decode("levels.webp", data, Size{}, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		x      int
		lo, hi uint8
		name   string
	}{{4, 0, 2, "black"}, {32, 126, 130, "grey"}, {60, 253, 255, "white"}} {
		p := img.RGBAAt(c.x, 24)
		for _, v := range []uint8{p.R, p.G, p.B} {
			if v < c.lo || v > c.hi {
				t.Errorf("%s bar decoded as %v, want %d…%d", c.name, p, c.lo, c.hi)
				break
			}
		}
	}
	if x, err := xwebp.Decode(bytes.NewReader(data)); err == nil {
		y := func(px int) uint8 { r, _, _, _ := x.At(px, 24).RGBA(); return uint8(r >> 8) }
		t.Logf("for comparison, golang.org/x/image/webp gives black %d, grey %d, white %d", y(4), y(32), y(60))
	}
}

// TestJPEGFallbacks: each of libjpeg-turbo and Go's decoder refuses a kind of
// valid JPEG that the other reads.
func TestJPEGFallbacks(t *testing.T) {
	t.Run("4:1:0 subsampling", func(t *testing.T) {
		data := fixture(t, "s410.jpg")
		_, terr := tjReadHeader(data)
		_, info, err := Decode("s410.jpg", data, Size{}, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		if terr != nil && info.decoder != decGo {
			t.Fatalf("libjpeg-turbo refused the header (%v) but decoder is %d, not Go's", terr, info.decoder)
		}
		t.Logf("libjpeg-turbo's header: %v; decoded by %d", terr, info.decoder)
	})
	t.Run("arithmetic coding", func(t *testing.T) {
		data := fixture(t, "arithmetic.jpg")
		if _, err := jpeg.Decode(bytes.NewReader(data)); err == nil {
			t.Fatal("Go's image/jpeg decodes arithmetic coding now: the fixture no longer tests a fallback")
		}
		_, info, err := Decode("arithmetic.jpg", data, Size{}, DefaultLimits())
		if !haveTurboJPEG {
			// Go's decoder alone: refused by name, not as damaged.
			if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "arithmetic-coded") {
				t.Fatalf("without libjpeg-turbo: %v, want unsupported as arithmetic-coded", err)
			}
			return
		}
		if err != nil || info.decoder != decTurbo {
			t.Fatalf("decoder %d, err %v", info.decoder, err)
		}
	})
	t.Run("stray bytes before the end marker", func(t *testing.T) {
		// libjpeg-turbo stops at its warning; Go's decoder reads the file.
		jpg := encodeJPEG(t, quadrants(64, 48))
		data := append(append(append([]byte(nil), jpg[:len(jpg)-2]...), 0, 0, 0), 0xFF, 0xD9)
		if _, err := tjDecodeScaled(data, Size{}); err == nil {
			t.Log("libjpeg-turbo accepted the stray bytes: the fallback is not exercised")
		}
		img, _, err := Decode("a.jpg", data, Size{}, DefaultLimits())
		if err != nil {
			t.Fatal(err)
		}
		assertQuadrants(t, img)
	})
}
