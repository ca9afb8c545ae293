package glyphs

import (
	"testing"
)

func kiosk(t *testing.T) *Set {
	t.Helper()
	s, err := Kiosk()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestEveryScriptDrawn holds one name per script the kiosk promises to draw:
// every character must have a glyph in some font the kiosk ships.
func TestEveryScriptDrawn(t *testing.T) {
	s := kiosk(t)
	for script, name := range SampleNames {
		if miss := s.Missing(name); len(miss) > 0 {
			var d []string
			for _, r := range miss {
				d = append(d, Describe(r))
			}
			t.Errorf("%s name %q: no glyph for %v", script, name, d)
		}
	}
}

func TestMissing(t *testing.T) {
	s := kiosk(t)
	// U+E000 is private use and U+10900 Phoenician: the kiosk draws neither.
	got := s.Missing("Ab\u200f\u00a0 \ue000x\ue000\U00010900")
	if len(got) != 2 || got[0] != 0xE000 || got[1] != 0x10900 {
		t.Fatalf("Missing = %U, want [U+E000 U+10900]", got)
	}
	if !s.Has('A') || !s.Has('ж') || !s.Has('ش') {
		t.Error("Latin, Cyrillic or Arabic letter reported missing")
	}
}

func TestDescribe(t *testing.T) {
	if got, want := Describe('ש'), `"ש" (U+05E9, Hebrew)`; got != want {
		t.Errorf("Describe = %s, want %s", got, want)
	}
	if got := Script('字'); got != "Han" {
		t.Errorf("Script(字) = %s", got)
	}
}
