package render

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/qr"
	"github.com/solidarity-kiosk/kiosk/internal/qr/qrtest"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// screenShapes are the screens the issue names.
var screenShapes = []imageprep.Size{{W: 1920, H: 1080}, {W: 1080, H: 1920}, {W: 1280, H: 720}, {W: 3840, H: 2160}}

// TestQRCodesReadFromThreeMetres draws a spotlight with both codes on every
// screen shape and reads it as a phone at about 3 m does (qrtest.Phone:
// 640 px across the long side, turned 20°, 1 px blur, JPEG 60). Both codes
// must decode with zbar and with ZXing-C++.
func TestQRCodesReadFromThreeMetres(t *testing.T) {
	readers := qrtest.FindReaders()
	if len(readers.Missing) > 0 {
		if os.Getenv("CI") != "" {
			t.Fatalf("missing in CI: %v", readers.Missing)
		}
		t.Skipf("missing: %v", readers.Missing)
	}
	f, err := LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	s := demoSlide("in_custody")
	want := []string{s.Letter.URL, s.Petition.URL}
	slices.Sort(want)
	for _, size := range screenShapes {
		for _, withPhoto := range []bool{true, false} {
			in := Input{Slide: s, Size: size, Figures: []string{"181 women political prisoners in custody · as of 20 May 2024 · Belarusian Women's Foundation"}}
			if withPhoto {
				in.Photo = testpack.Photo(1080, 1440, 5)
			}
			img, _ := Draw(f, in)
			for _, yaw := range []float64{20, -20} { // the visitor stands to one side or the other
				cam := qrtest.Phone
				cam.YawDeg = yaw
				jpg := qrtest.Degrade(img, cam)
				zbar, zxing, err := readers.Read(jpg, t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(zbar, want) || !slices.Equal(zxing, want) {
					out := filepath.Join(t.TempDir(), "phone.jpg")
					if d := os.Getenv("RENDER_OUT"); d != "" {
						out = filepath.Join(d, fmt.Sprintf("phone-%dx%d-%v.jpg", size.W, size.H, yaw))
					}
					_ = os.WriteFile(out, jpg, 0o644)
					t.Errorf("%dx%d (photo %v) seen by a phone at 3 m turned %v°: zbar read %q, ZXing read %q, want both %q (image %s)", size.W, size.H, withPhoto, yaw, zbar, zxing, want, out)
				}
			}
		}
	}
}

// TestQRDistanceFigures prints, for each screen shape, the codes' size and
// module size and the smallest camera width (across the screen's long side)
// at which both readers still read both codes under the phone's turn, blur
// and JPEG; scripts/qr-figures.sh runs it (QR_FIGURES=1).
func TestQRDistanceFigures(t *testing.T) {
	if os.Getenv("QR_FIGURES") == "" {
		t.Skip("figures only: QR_FIGURES=1 (scripts/qr-figures.sh)")
	}
	readers := qrtest.FindReaders()
	if len(readers.Missing) > 0 {
		t.Skipf("missing: %v", readers.Missing)
	}
	f, err := LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	s := demoSlide("in_custody")
	long := s
	l, p := *s.Letter, *s.Petition
	l.URL, p.URL = "https://prisoners.spring96.org/en/person/hanna-ablab-2022", "https://www.amnesty.org/en/petition/free-hanna-ablab"
	long.Letter, long.Petition = &l, &p
	for _, sl := range []show.Slide{s, long} {
		want := []string{sl.Letter.URL, sl.Petition.URL}
		slices.Sort(want)
		for _, size := range screenShapes {
			img, lay := Draw(f, Input{Slide: sl, Size: size, Photo: testpack.Photo(1080, 1440, 5)})
			n, _ := qr.Modules(sl.Letter.URL)
			side := lay.LetterQR.Dx()
			reads := func(w int) bool {
				for _, yaw := range []float64{20, -20} {
					cam := qrtest.Phone
					cam.Long, cam.YawDeg = w, yaw
					zb, zx, err := readers.Read(qrtest.Degrade(img, cam), t.TempDir())
					if err != nil || !slices.Equal(zb, want) || !slices.Equal(zx, want) {
						return false
					}
				}
				return true
			}
			lo, hi := 200, 1200 // smallest width that reads, by bisection (reading is near monotone in width)
			if !reads(hi) {
				lo = hi
			}
			for hi-lo > 10 {
				mid := (lo + hi) / 2
				if reads(mid) {
					hi = mid
				} else {
					lo = mid
				}
			}
			fmt.Printf("%4dx%-4d  letter %2d bytes  code %4d px (%.0f%% of the long side)  %2d modules of %2d px  both readers, both codes, ±20°: down to %4d px across (phone test: %d)\n",
				size.W, size.H, len(sl.Letter.URL), side, 100*float64(side)/float64(max(size.W, size.H)), n, side/n, hi, qrtest.Phone.Long)
		}
	}
}
