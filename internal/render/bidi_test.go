package render

import (
	"image"
	"image/png"
	"os"
	"reflect"
	"testing"
)

// TestVisualRunsOrderMixedPersianAndLatin checks the left-to-right screen
// order of the pieces of mixed lines, including the example from
// PITFALLS that Fyne itself gets wrong.
func TestVisualRunsOrderMixedPersianAndLatin(t *testing.T) {
	cases := map[string][]string{
		"Hanna Ablab":          {"Hanna Ablab"},
		"آستیاژ حقیقی":         {"آستیاژ حقیقی"},
		"آستیاژ حقیقی ۱۲ BMW":  {"BMW", " ", "۱۲", "آستیاژ حقیقی "},
		"تیم ۱۲ BMW رالی 2025": {"2025", " رالی ", "BMW", " ", "۱۲", "تیم "},
		"Astiaj آستیاژ 2":      {"Astiaj ", "2", "آستیاژ "},
		"Ганна · آستیاژ":       {"Ганна · ", "آستیاژ"},
		"۱۰ سال و ۶ ماه":       {" ماه", "۶", " سال و ", "۱۰"},
	}
	for line, want := range cases {
		var got []string
		for _, r := range visualRuns(line) {
			got = append(got, r.Text)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: on screen %q, want %q", line, got, want)
		}
	}
}

// TestMixedLineDrawsEachPieceWhereItBelongs draws a right-to-left line
// with a Latin word and checks the Latin word's glyphs are at the left
// end, where a reader of Persian expects it last.
func TestMixedLineDrawsEachPieceWhereItBelongs(t *testing.T) {
	f, err := LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	p := newPen(f, f.Regular, 40, textMain)
	runs := p.runs("آستیاژ حقیقی BMW")
	if len(runs) < 2 || runs[0].Face != f.Regular || runs[len(runs)-1].Face != f.Arabic {
		t.Fatalf("runs %d: want the Latin run first (left) and the Persian last (right)", len(runs))
	}
	img := image.NewRGBA(image.Rect(0, 0, 600, 80))
	p.draw(img, "آستیاژ حقیقی BMW", 10, 55)
	if os.Getenv("RENDER_OUT") != "" {
		fh, _ := os.Create(os.Getenv("RENDER_OUT"))
		_ = png.Encode(fh, img)
		_ = fh.Close()
	}
}

// TestPersianTickerRunsFromTheRight: a right-to-left figure starts at the
// right edge of the ticker band, a left-to-right one at the left.
func TestPersianTickerRunsFromTheRight(t *testing.T) {
	f, err := LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	inkAt := func(figure string) (left, right int) {
		img := image.NewRGBA(image.Rect(0, 0, 1200, 60))
		ticker(f, img, img.Bounds(), []string{figure})
		for y := 0; y < 60; y++ {
			for x := 0; x < 1200; x++ {
				if img.RGBAAt(x, y).R > 120 {
					if x < 600 {
						left++
					} else {
						right++
					}
				}
			}
		}
		return left, right
	}
	if l, r := inkAt("۱۸۱ زن زندانی سیاسی · تا ۲۰ مه ۲۰۲۴"); r == 0 || l > r/4 {
		t.Errorf("Persian figure: %d light pixels left, %d right; want it at the right", l, r)
	}
	if l, r := inkAt("181 women political prisoners · as of 20 May 2024"); l == 0 || r > l/4 {
		t.Errorf("English figure: %d light pixels left, %d right; want it at the left", l, r)
	}
}
