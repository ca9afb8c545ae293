package pack

import (
	"fmt"
	"sort"

	"github.com/solidarity-kiosk/kiosk/internal/glyphs"
)

// maxGlyphWarnings bounds the warnings GlyphWarnings lists.
const maxGlyphWarnings = 100

// GlyphWarnings lists the characters of people's texts (name, sentence,
// occupation, bio, charges, facility) that no font the kiosk ships draws:
// the kiosk would show them as empty boxes on screen and on the placards.
// These are warnings, not problems: the pack is still valid. Each names
// the person, the field with its language and the character, e.g.
// `person "p3": name.he: "ש" (U+05E9, Hebrew) has no glyph in the kiosk's fonts: it would be drawn as an empty box`.
// One warning is given per person, field and character; past
// maxGlyphWarnings a last line counts the rest.
func (m *Manifest) GlyphWarnings() []string {
	set, err := glyphs.Kiosk()
	if err != nil {
		return []string{fmt.Sprintf("the kiosk's fonts could not be read to check the characters: %v", err)}
	}
	var out []string
	more := 0
	for i := range m.People {
		p := &m.People[i]
		who := fmt.Sprintf("people[%d]", i)
		if p.ID != "" {
			who = fmt.Sprintf("person %q", clip(p.ID, 100))
		}
		check := func(field string, t Text) {
			for _, lang := range sortedLangs(t) {
				f := field
				if lang != plainKey {
					f += "." + lang
				}
				for _, r := range set.Missing(t[lang]) {
					if len(out) >= maxGlyphWarnings {
						more++
						continue
					}
					out = append(out, fmt.Sprintf("%s: %s: %s has no glyph in the kiosk's fonts: it would be drawn as an empty box", who, clip(f, 300), glyphs.Describe(r)))
				}
			}
		}
		check("name", p.Name)
		check("sentence", p.Sentence)
		check("occupation", p.Occupation)
		check("bio", p.Bio)
		for j, c := range p.Charges {
			check(fmt.Sprintf("charges[%d].label", j), c.Label)
		}
		if p.Facility != nil {
			check("facility.name", p.Facility.Name)
		}
	}
	if more > 0 {
		out = append(out, fmt.Sprintf("… and %d more characters without a glyph", more))
	}
	return out
}

func sortedLangs(t Text) []string {
	langs := make([]string, 0, len(t))
	for l := range t {
		langs = append(langs, l)
	}
	sort.Strings(langs)
	return langs
}
