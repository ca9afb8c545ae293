// Package textdir orders mixed-direction text for drawing, as Unicode's
// bidi algorithm does for whole runs: a Persian name with Latin letters or
// digits in it reads right to left around them, each Latin or numeric piece
// left to right. The screen's slides (internal/render) and the printed
// placards (internal/poster) shape text themselves and place it with this.
package textdir

import (
	"slices"
	"unicode"

	"golang.org/x/text/unicode/bidi"
)

// Run is a piece of a line in one direction, at its embedding level (even:
// left to right; odd: right to left).
type Run struct {
	Text  string
	RTL   bool
	Level int
}

// RightToLeft reports whether the first letter of s is of a right-to-left
// script (rule P2: a paragraph takes the direction of its first letter).
func RightToLeft(s string) bool {
	for _, r := range s {
		switch {
		case unicode.In(r, unicode.Arabic, unicode.Hebrew, unicode.Syriac, unicode.Thaana, unicode.Nko):
			return true
		case unicode.IsLetter(r):
			return false
		}
	}
	return false
}

// Runs splits a line into its direction runs, in the order they appear
// from left to right (rule L2 on whole runs).
func Runs(s string) []Run {
	// x/text guesses left to right for a line that starts with digits:
	// the paragraph's direction is given from its first letter.
	base, dir := 0, bidi.LeftToRight
	if RightToLeft(s) {
		base, dir = 1, bidi.RightToLeft
	}
	var p bidi.Paragraph
	if _, err := p.SetString(s, bidi.DefaultDirection(dir)); err != nil {
		return []Run{{Text: s}}
	}
	o, err := p.Order()
	if err != nil || o.NumRuns() == 0 {
		return []Run{{Text: s}}
	}
	runs := make([]Run, o.NumRuns())
	for i := range runs {
		r := o.Run(i)
		rtl := r.Direction() == bidi.RightToLeft
		runs[i] = Run{Text: r.String(), RTL: rtl, Level: Level(base, rtl, r.String(), i > 0 && runs[i-1].RTL)}
	}
	return Reorder(runs, func(r Run) int { return r.Level })
}

// Level is a run's embedding level as far as it matters for ordering runs:
// the paragraph's own direction (base 0 or 1) is its base level; the other
// direction is one higher, except digits following right-to-left text in a
// left-to-right paragraph, which the bidi algorithm raises to two.
func Level(base int, rtl bool, text string, afterRTL bool) int {
	switch {
	case base == 1 && rtl:
		return 1
	case base == 1:
		return 2
	case rtl:
		return 1
	case afterRTL && isNumber(text):
		return 2
	}
	return 0
}

func isNumber(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) && !unicode.IsSpace(r) && r != '.' && r != ',' {
			return false
		}
	}
	return s != ""
}

// Reorder applies rule L2 to whole runs, in place: from the highest level
// down to the lowest odd one, it reverses every sequence of runs at that
// level or higher. (Within a run the shaper orders the glyphs.)
func Reorder[T any](runs []T, level func(T) int) []T {
	hi, lo := 0, 1<<30
	for _, r := range runs {
		hi = max(hi, level(r))
		if level(r)%2 == 1 {
			lo = min(lo, level(r))
		}
	}
	for lv := hi; lv >= lo && lv > 0; lv-- {
		for i := 0; i < len(runs); {
			if level(runs[i]) < lv {
				i++
				continue
			}
			j := i
			for j < len(runs) && level(runs[j]) >= lv {
				j++
			}
			slices.Reverse(runs[i:j])
			i = j
		}
	}
	return runs
}
