package pack

import (
	"strings"
	"testing"
)

func TestGlyphWarnings(t *testing.T) {
	m := &Manifest{People: []Person{
		{ID: "p1", Name: Text{"en": "Ihar Losik", "fa": "نرگس محمدی"}},
		// U+10900 (Phoenician) and U+E000 (private use): no font of the kiosk has them.
		{ID: "p3", Name: Text{"he": "שלום \U00010900"}, Bio: Text{"en": "a\ue000b\ue000"}, Charges: []Charge{{Label: Text{"en": "\U00010901"}}}},
	}}
	got := m.GlyphWarnings()
	want := []string{
		`person "p3": name.he: "𐤀" (U+10900, Phoenician) has no glyph in the kiosk's fonts: it would be drawn as an empty box`,
		`person "p3": bio.en: "\ue000" (U+E000, Unknown) has no glyph in the kiosk's fonts: it would be drawn as an empty box`,
		`person "p3": charges[0].label.en: "𐤁" (U+10901, Phoenician) has no glyph in the kiosk's fonts: it would be drawn as an empty box`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("GlyphWarnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestGlyphWarningsCapped(t *testing.T) {
	var people []Person
	for range 60 {
		people = append(people, Person{ID: "x", Name: Text{"en": "\U00010900\U00010901"}})
	}
	got := (&Manifest{People: people}).GlyphWarnings()
	if len(got) != maxGlyphWarnings+1 || got[len(got)-1] != "… and 20 more characters without a glyph" {
		t.Errorf("%d warnings, last %q", len(got), got[len(got)-1])
	}
}
