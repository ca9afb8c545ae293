package poster

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// One golden page per status, as poppler draws it at 36 dpi: a change in
// the layout, a lost ribbon or band, a missing code or photo shows here.
// POSTER_UPDATE_GOLDEN=1 rewrites them (look at them before committing);
// a page that differs is written to testdata/failed.
func TestGoldenPages(t *testing.T) {
	testpack.NeedTools(t, "pdftoppm")
	pdf := filepath.Join(t.TempDir(), "g.pdf")
	writePDF(t, writeTestPack(t, t.TempDir()), pdf, Options{Paper: PaperA4})
	names := []string{"in_custody", "contact_none", "released", "died_in_custody", "pretrial_no_photo_consent"}
	for i, name := range names {
		prefix := filepath.Join(t.TempDir(), name)
		run(t, "pdftoppm", "-r", "36", "-f", strconv.Itoa(i+1), "-l", strconv.Itoa(i+1), "-singlefile", "-png", pdf, prefix)
		got := readPNG(t, prefix+".png")
		golden := filepath.Join("testdata", "golden", "a4-"+name+".png")
		if os.Getenv("POSTER_UPDATE_GOLDEN") != "" {
			copyFile(t, prefix+".png", golden)
			continue
		}
		want := readPNG(t, golden)
		if msg := differs(got, want); msg != "" {
			failed := filepath.Join("testdata", "failed", "a4-"+name+".png")
			copyFile(t, prefix+".png", failed)
			t.Errorf("page %d (%s) differs from %s: %s; see %s", i+1, name, golden, msg, failed)
		}
	}
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err == nil {
		err = os.MkdirAll(filepath.Dir(to), 0o755)
	}
	if err == nil {
		err = os.WriteFile(to, data, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// differs compares two renderings, allowing for anti-aliasing: at most
// 0.5% of pixels may differ by more than a quarter of the range.
func differs(a, b image.Image) string {
	if a.Bounds() != b.Bounds() {
		return fmt.Sprintf("size %v, want %v", a.Bounds().Size(), b.Bounds().Size())
	}
	bad, n := 0, 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			n++
			ar, ag, ab, _ := a.At(x, y).RGBA()
			br, bg, bb, _ := b.At(x, y).RGBA()
			if absDiff(ar, br) > 0x4000 || absDiff(ag, bg) > 0x4000 || absDiff(ab, bb) > 0x4000 {
				bad++
			}
		}
	}
	if bad*200 > n {
		return fmt.Sprintf("%d of %d pixels differ", bad, n)
	}
	return ""
}

func absDiff(a, b uint32) uint32 {
	if a > b {
		return a - b
	}
	return b - a
}
