package render

import (
	"slices"
	"unicode"

	"golang.org/x/text/unicode/bidi"
)

// bidiRun is a piece of a line in one direction, at its embedding level
// (even: left to right; odd: right to left).
type bidiRun struct {
	text  string
	rtl   bool
	level int
}

// visualRuns splits a line into its direction runs, in the order they
// appear on screen from left to right (Unicode bidi rule L2): a Persian
// name with Latin letters or digits in it reads right to left around
// them, each Latin or numeric piece left to right. Fyne lays every line
// out left to right (fyne#90), so the slides do this themselves.
func visualRuns(s string) []bidiRun {
	// The paragraph's direction is that of its first letter (rule P2);
	// x/text guesses left to right for a line that starts with digits.
	base, dir := 0, bidi.LeftToRight
	if rightToLeft(s) {
		base, dir = 1, bidi.RightToLeft
	}
	var p bidi.Paragraph
	if _, err := p.SetString(s, bidi.DefaultDirection(dir)); err != nil {
		return []bidiRun{{text: s}}
	}
	o, err := p.Order()
	if err != nil || o.NumRuns() == 0 {
		return []bidiRun{{text: s}}
	}
	runs := make([]bidiRun, o.NumRuns())
	for i := range runs {
		r := o.Run(i)
		rtl := r.Direction() == bidi.RightToLeft
		runs[i] = bidiRun{text: r.String(), rtl: rtl, level: level(base, rtl, r.String(), i > 0 && runs[i-1].rtl)}
	}
	return reorder(runs)
}

// level is a run's embedding level as far as it matters for ordering
// runs: the paragraph's own direction is its base level; the other
// direction is one higher, except digits following right-to-left text in
// a left-to-right paragraph, which the bidi algorithm raises to two.
func level(base int, rtl bool, text string, afterRTL bool) int {
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

// reorder applies rule L2 to whole runs: from the highest level down to
// the lowest odd one, reverse every sequence of runs at that level or
// higher. (Within a run the shaper already orders the glyphs.)
func reorder(runs []bidiRun) []bidiRun {
	hi, lo := 0, 1<<30
	for _, r := range runs {
		hi = max(hi, r.level)
		if r.level%2 == 1 {
			lo = min(lo, r.level)
		}
	}
	for lv := hi; lv >= lo && lv > 0; lv-- {
		for i := 0; i < len(runs); {
			if runs[i].level < lv {
				i++
				continue
			}
			j := i
			for j < len(runs) && runs[j].level >= lv {
				j++
			}
			slices.Reverse(runs[i:j])
			i = j
		}
	}
	return runs
}
