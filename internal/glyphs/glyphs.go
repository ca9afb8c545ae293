// Package glyphs answers whether any font the kiosk ships draws a
// character, from the embedded fonts' cmaps. It is free of Fyne, so pack
// validation (pack verify, pack build) can warn about names that would be
// drawn as empty boxes on screen and on paper.
package glyphs

import (
	"bytes"
	"fmt"
	"sort"
	"sync"
	"unicode"

	"github.com/go-text/typesetting/font"

	"github.com/solidarity-kiosk/kiosk/assets"
)

// Set is a list of fonts, looked up in order.
type Set struct {
	Names []string
	faces []*font.Face
}

// NewSet parses the fonts (TrueType or OpenType data, by name).
func NewSet(fonts []assets.Font) (*Set, error) {
	s := &Set{}
	for _, f := range fonts {
		face, err := font.ParseTTF(bytes.NewReader(f.Data))
		if err != nil {
			return nil, fmt.Errorf("parsing the font %s: %w", f.Name, err)
		}
		s.Names = append(s.Names, f.Name)
		s.faces = append(s.faces, face)
	}
	return s, nil
}

var (
	kioskOnce sync.Once
	kioskSet  *Set
	kioskErr  error
)

// Kiosk is the set of every font the kiosk ships (assets.Fonts), parsed once.
func Kiosk() (*Set, error) {
	kioskOnce.Do(func() { kioskSet, kioskErr = NewSet(assets.Fonts()) })
	return kioskSet, kioskErr
}

// Has reports whether a font of the set has a glyph for r.
func (s *Set) Has(r rune) bool {
	for _, f := range s.faces {
		if _, ok := f.NominalGlyph(r); ok {
			return true
		}
	}
	return false
}

// Which is the name of the first font of the set that draws r, or "".
func (s *Set) Which(r rune) string {
	for i, f := range s.faces {
		if _, ok := f.NominalGlyph(r); ok {
			return s.Names[i]
		}
	}
	return ""
}

// Invisible reports whether r is drawn without a glyph of its own: control
// and format characters (bidi marks, joiners), variation selectors and
// spaces, which no font needs to carry for text to be readable.
func Invisible(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Variation_Selector, r) ||
		unicode.IsSpace(r) || r == unicode.ReplacementChar
}

// Missing lists the characters of text, each once and in order of first
// appearance, that no font of the set draws (Invisible ones left out).
func (s *Set) Missing(text string) []rune {
	var out []rune
	seen := map[rune]bool{}
	for _, r := range text {
		if seen[r] || Invisible(r) {
			continue
		}
		seen[r] = true
		if !s.Has(r) {
			out = append(out, r)
		}
	}
	return out
}

// Script is the name of r's Unicode script, e.g. "Hebrew", or "Unknown".
func Script(r rune) string {
	for _, name := range scriptNames {
		if unicode.Is(unicode.Scripts[name], r) {
			return name
		}
	}
	return "Unknown"
}

var scriptNames = func() []string {
	names := make([]string, 0, len(unicode.Scripts))
	for n := range unicode.Scripts {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}()

// Describe names a character for a person: `"ש" (U+05E9, Hebrew)`.
func Describe(r rune) string {
	return fmt.Sprintf("%q (U+%04X, %s)", string(r), r, Script(r))
}
