// Package hours reads an exhibition's opening hours
// ("Mo-Fr 10:00-19:00; Sa 11:00-17:00; closed 2026-12-25") and answers
// whether the hall is open at a time and when that next changes; Keeper
// adds a visitor's or operator's wake-up for ten minutes on top. Times are
// wall-clock times in the location of the time asked about (the kiosk's
// local time). The grammar is in docs/HOURS.md.
package hours

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits on what Parse reads: opening hours are a line an organizer
// types, not a data set.
const (
	MaxInput    = 1024 // bytes
	MaxSpans    = 64   // time spans in all rules together
	MaxHolidays = 100  // dates the hall is closed
	dayMinutes  = 24 * 60
)

// Span is one opening, in minutes after midnight of the day it starts on.
// End is after Start; an End past 1440 runs into the next day
// ("Fr 22:00-02:00" is Start 1320, End 1560).
type Span struct{ Start, End int }

// Schedule is parsed opening hours: the spans of each weekday and the
// dates the hall stays closed.
type Schedule struct {
	week     [7][]Span       // indexed by time.Weekday
	holidays map[string]bool // YYYY-MM-DD
	text     string
}

// String is the text the schedule was parsed from.
func (s *Schedule) String() string { return s.text }

// Spans are the openings of weekday wd, in order.
func (s *Schedule) Spans(wd time.Weekday) []Span { return slices.Clone(s.week[wd]) }

// Holiday reports whether the hall is closed on the local date of t.
func (s *Schedule) Holiday(t time.Time) bool { return s.holidays[t.Format(time.DateOnly)] }

// Open reports whether the hall is open at t (in t's location). A span
// belongs to the day it starts on: a holiday cancels the spans starting
// on it, while one begun the evening before runs to its end.
func (s *Schedule) Open(t time.Time) bool {
	y, mo, d := t.Date()
	midnight := time.Date(y, mo, d, 0, 0, 0, 0, t.Location())
	for back := 0; back <= 1; back++ {
		day := midnight.AddDate(0, 0, -back)
		if s.holidays[day.Format(time.DateOnly)] {
			continue
		}
		for _, sp := range s.week[day.Weekday()] {
			start, end := at(day, sp.Start), at(day, sp.End)
			if !t.Before(start) && t.Before(end) {
				return true
			}
		}
	}
	return false
}

// at is the wall-clock time min minutes after the midnight of day (past
// 1440: on the next day), so that opening hours keep to the clock across a
// daylight-saving change.
func at(day time.Time, min int) time.Time {
	y, mo, d := day.Date()
	return time.Date(y, mo, d+min/dayMinutes, min%dayMinutes/60, min%60, 0, 0, day.Location())
}

// horizon bounds how far ahead NextChange looks for an opening, in days:
// past as many holidays as the limits allow, even when they all fall on
// the one weekday the hall opens.
const horizon = 7*MaxHolidays + 8

// NextChange is the first time after t at which Open changes: the next
// opening while closed, the next closing while open. It is the zero Time
// when nothing changes any more (open around the clock, or never open).
func (s *Schedule) NextChange(t time.Time) time.Time {
	now := s.Open(t)
	y, mo, d := t.Date()
	midnight := time.Date(y, mo, d, 0, 0, 0, 0, t.Location())
	// Most often the change is within the week.
	if c, ok := s.firstChange(s.edges(midnight, -1, 8), t, now); ok && !c.After(midnight.AddDate(0, 0, 9)) {
		return c
	}
	// Nothing changed for a whole week, so every weekday is the same
	// (open around the clock, or closed) but for holidays. Open, the hall
	// next closes on a holiday; closed, it next opens on the first day with
	// hours that is not a holiday, if any.
	if now {
		var ahead []string
		for d := range s.holidays {
			if d >= midnight.Format(time.DateOnly) {
				ahead = append(ahead, d)
			}
		}
		slices.Sort(ahead)
		for _, d := range ahead {
			day, _ := time.ParseInLocation(time.DateOnly, d, t.Location())
			if c, ok := s.firstChange(s.edges(day, -1, 1), t, now); ok {
				return c
			}
		}
		return time.Time{}
	}
	for i := 9; i <= horizon; i++ {
		day := midnight.AddDate(0, 0, i)
		if len(s.week[day.Weekday()]) > 0 && !s.holidays[day.Format(time.DateOnly)] {
			c, _ := s.firstChange(s.edges(day, -1, 1), t, now)
			return c
		}
	}
	return time.Time{}
}

// edges are the times at which Open may change, from first to last days
// after midnight: each midnight (a holiday begins or ends
// there) and the start and end of every span.
func (s *Schedule) edges(midnight time.Time, first, last int) []time.Time {
	var out []time.Time
	for i := first; i <= last; i++ {
		day := midnight.AddDate(0, 0, i)
		out = append(out, day)
		for _, sp := range s.week[day.Weekday()] {
			out = append(out, at(day, sp.Start), at(day, sp.End))
		}
	}
	return out
}

// firstChange is the earliest of edges after t at which Open differs from now.
func (s *Schedule) firstChange(edges []time.Time, t time.Time, now bool) (time.Time, bool) {
	slices.SortFunc(edges, func(a, b time.Time) int { return a.Compare(b) })
	for _, e := range edges {
		if e.After(t) && s.Open(e) != now {
			return e, true
		}
	}
	return time.Time{}, false
}

// ParseError says where in the opening hours reading stopped and what
// was expected there.
type ParseError struct {
	Input  string
	Column int // 1-based, in characters
	Msg    string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("opening hours %q: column %d: %s", clip(e.Input), e.Column, e.Msg)
}

func clip(s string) string {
	r := []rune(s)
	if len(r) > 80 {
		return string(r[:80]) + "…"
	}
	return s
}

// runesWithin counts the characters of s that end within its first n
// bytes, as the rest of the parser counts them: a character the limit cuts
// in two is not counted twice (cut bytes would each read as one).
func runesWithin(s string, n int) int {
	count := 0
	for i := 0; i < len(s); {
		_, w := utf8.DecodeRuneInString(s[i:])
		if i+w > n {
			break
		}
		i += w
		count++
	}
	return count
}

// Parse reads opening hours; see docs/HOURS.md for the grammar. An error
// is a *ParseError naming the column.
func Parse(s string) (*Schedule, error) {
	if len(s) > MaxInput {
		return nil, &ParseError{Input: s, Column: runesWithin(s, MaxInput) + 1, Msg: fmt.Sprintf("too long: opening hours take at most %d bytes", MaxInput)}
	}
	p := &parser{src: s, sched: &Schedule{holidays: map[string]bool{}, text: s}}
	if err := p.schedule(); err != nil {
		return nil, err
	}
	return p.sched, nil
}

// MustParse is Parse for opening hours known to be valid (tests, examples);
// it panics on an error.
func MustParse(s string) *Schedule {
	sch, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return sch
}

// String writes a span as the grammar does ("22:00-02:00").
func (sp Span) String() string {
	end := sp.End
	if end > dayMinutes {
		end -= dayMinutes
	}
	return fmt.Sprintf("%02d:%02d-%02d:%02d", sp.Start/60, sp.Start%60, end/60, end%60)
}

// Summary writes the schedule back in the grammar, one rule per distinct
// set of spans ("Mo-Fr 10:00-19:00; Sa 11:00-17:00"), weekdays Monday
// first, holidays last: for the operator panel.
func (s *Schedule) Summary() string {
	var rules []string
	order := []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
	for i := 0; i < len(order); {
		j := i + 1
		for j < len(order) && slices.Equal(s.week[order[j]], s.week[order[i]]) {
			j++
		}
		if spans := s.week[order[i]]; len(spans) > 0 {
			days := dayNames[order[i]]
			if j-i > 1 {
				days += "-" + dayNames[order[j-1]]
			}
			var ss []string
			for _, sp := range spans {
				ss = append(ss, sp.String())
			}
			rules = append(rules, days+" "+strings.Join(ss, ","))
		}
		i = j
	}
	if len(s.holidays) > 0 {
		var ds []string
		for d := range s.holidays {
			ds = append(ds, d)
		}
		slices.Sort(ds)
		rules = append(rules, "closed "+strings.Join(ds, ", "))
	}
	if len(rules) == 0 {
		return "closed"
	}
	return strings.Join(rules, "; ")
}
