package qr

import (
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

func TestSizeQuietZoneAndModules(t *testing.T) {
	for _, h := range []int{720, 1080, 2160} {
		c, err := Render("https://example.org/letters/hanna-ablab", h, MinShare)
		if err != nil {
			t.Fatal(err)
		}
		side := c.Image.Bounds().Dx()
		if side < int(MinShare*float64(h)) {
			t.Errorf("screen %d: code %d px, under %.0f%% of the height", h, side, MinShare*100)
		}
		if side != c.Modules*c.Scale {
			t.Errorf("screen %d: %d px is not a whole number of %d modules", h, side, c.Modules)
		}
		// The quiet zone (4 modules) is light all round.
		q := Quiet * c.Scale
		for i := 0; i < side; i++ {
			for _, p := range [][2]int{{i, q - 1}, {q - 1, i}, {i, side - q}, {side - q, i}} {
				if c.Image.GrayAt(p[0], p[1]) != Light {
					t.Fatalf("screen %d: quiet zone not light at %v", h, p)
				}
			}
		}
		// The top-left finder pattern starts right after the quiet zone: dark.
		if c.Image.GrayAt(q, q) != Dark {
			t.Errorf("screen %d: no finder pattern at the quiet zone's edge", h)
		}
	}
	big, _ := Render("https://example.org/x", 2160, MinShare)
	small, _ := Render("https://example.org/x", 1080, MinShare)
	if big.Scale <= small.Scale {
		t.Errorf("the code does not grow with the screen: scale %d at 2160, %d at 1080", big.Scale, small.Scale)
	}
}

func TestTooLong(t *testing.T) {
	if _, err := Render("https://example.org/"+strings.Repeat("a", 600), 1080, MinShare); err == nil {
		t.Fatal("a 600-byte link was encoded")
	}
}

// TestZbarDecodes checks the image with an independent decoder.
func TestZbarDecodes(t *testing.T) {
	zbar := testpack.NeedTools(t, "zbarimg")["zbarimg"]
	url := "https://example.org/letters/hanna-ablab?lang=be"
	c, err := Render(url, 1080, MinShare)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "qr.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, c.Image); err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	out, err := exec.Command(zbar, "--raw", "-q", path).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	if got := strings.TrimSpace(string(out)); got != url {
		t.Fatalf("zbarimg read %q, want %q", got, url)
	}
}
