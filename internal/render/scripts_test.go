package render

import (
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/glyphs"
)

// TestEveryScriptOnScreen shapes a name in each script the kiosk promises
// (glyphs.SampleNames), in the regular and the bold face: no character may
// come out as .notdef, the empty box (issue 18: Hebrew, Georgian, Armenian
// and CJK names were drawn as boxes on the slides).
func TestEveryScriptOnScreen(t *testing.T) {
	f, err := LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	for _, face := range []struct {
		name string
		pen  *pen
	}{{"regular", newPen(f, f.Regular, 40, textMain)}, {"bold", newPen(f, f.Bold, 40, textMain)}} {
		for script, name := range glyphs.SampleNames {
			notdef := 0
			for _, run := range face.pen.runs(name) {
				for _, g := range run.Glyphs {
					if g.GlyphID == 0 {
						notdef++
					}
				}
			}
			if notdef > 0 {
				t.Errorf("%s, %s: %q has %d glyph(s) drawn as .notdef", face.name, script, name, notdef)
			}
			if w := face.pen.width(name); w < 40*len([]rune(name))/4 {
				t.Errorf("%s, %s: %q is %d px wide at 40 px", face.name, script, name, w)
			}
		}
	}
}

// A Hebrew name reads from the right, like a Persian one: the line is
// right to left, and a Hebrew name with a Latin word keeps the Hebrew
// words in right-to-left order around it.
func TestHebrewRightToLeft(t *testing.T) {
	if !rightToLeft("שלום עליכם") {
		t.Error("a Hebrew line is not right to left")
	}
	runs := visualRuns("שלום BMW עליכם")
	if len(runs) != 3 || runs[0].Text != "עליכם" && runs[0].Text != " עליכם" || runs[1].Text != "BMW" && runs[1].Text != " BMW " {
		var got []string
		for _, r := range runs {
			got = append(got, r.Text)
		}
		t.Errorf("visual runs %q, want עליכם, BMW, שלום from the left", got)
	}
}
