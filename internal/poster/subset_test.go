package poster

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/go-text/typesetting/font"

	"github.com/solidarity-kiosk/kiosk/assets"
)

// A subset keeps the outlines of the glyphs used (and of the parts their
// composites are made of) under the same ids, empties the others, and is
// still a font a parser reads.
func TestSubsetTTF(t *testing.T) {
	for name, data := range map[string][]byte{"regular": assets.FontRegular, "bold": assets.FontBold, "arabic": assets.FontArabic} {
		t.Run(name, func(t *testing.T) {
			orig, err := font.ParseTTF(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			used := map[uint16]bool{}
			for _, r := range "Hanna Ablab Ганна Аблаб Ёё éñ آستیاژ حقیقی ۱۲۳" {
				if g, ok := orig.NominalGlyph(r); ok {
					used[uint16(g)] = true
				}
			}
			sub, err := subsetTTF(data, used)
			if err != nil {
				t.Fatal(err)
			}
			if len(sub) > len(data)/2 {
				t.Errorf("subset of %d glyphs is %d bytes of %d", len(used), len(sub), len(data))
			}
			got, err := font.ParseTTF(bytes.NewReader(sub))
			if err != nil {
				t.Fatalf("the subset does not parse: %v", err)
			}
			for g := range used {
				if !reflect.DeepEqual(got.GlyphData(font.GID(g)), orig.GlyphData(font.GID(g))) {
					t.Errorf("glyph %d differs in the subset", g)
				}
			}
			n := 0
			for g := font.GID(1); g < 400; g++ {
				if used[uint16(g)] {
					continue
				}
				if o, ok := got.GlyphData(g).(font.GlyphOutline); ok && len(o.Segments) > 0 {
					n++
				}
			}
			if n > 20 { // composite parts of the used glyphs stay
				t.Errorf("%d unused glyphs below 400 keep their outlines", n)
			}
		})
	}
}
