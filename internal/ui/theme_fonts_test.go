package ui

import (
	"testing"

	"fyne.io/fyne/v2"

	"github.com/solidarity-kiosk/kiosk/internal/glyphs"
)

// TestThemeDrawsEveryScript: the fonts the operator panel draws with before
// any system font (the theme's, then Fyne's bundled Noto Sans, for which
// the kiosk's own Noto Sans stands in here) have a glyph for every
// character of a name in each script the kiosk promises, so the panel
// draws them on a machine with no fonts installed (issue 18: Hebrew,
// Georgian, Armenian and CJK names were empty boxes).
func TestThemeDrawsEveryScript(t *testing.T) {
	set, err := glyphs.NewSet(themeFonts)
	if err != nil {
		t.Fatal(err)
	}
	for script, name := range glyphs.SampleNames {
		for _, r := range set.Missing(name) {
			t.Errorf("%s: %s has no glyph in the theme's fonts", script, glyphs.Describe(r))
		}
	}
	if th := newKioskTheme(); th.Font(fyne.TextStyle{}).Name() != themeFont.Name {
		t.Errorf("the theme's text font is %s, want %s", th.Font(fyne.TextStyle{}).Name(), themeFont.Name)
	}
}
