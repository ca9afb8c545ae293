package hours

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// dayNames are the weekdays as the grammar writes them, by time.Weekday.
var dayNames = [7]string{"Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"}

// parser reads the grammar of docs/HOURS.md by recursive descent over
// bytes; columns are counted in characters for the error.
type parser struct {
	src    string
	pos    int
	sched  *Schedule
	nspans int // spans read so far, against MaxSpans
}

func (p *parser) fail(msg string, args ...any) error {
	return &ParseError{Input: p.src, Column: utf8.RuneCountInString(p.src[:p.pos]) + 1, Msg: fmt.Sprintf(msg, args...)}
}

// found describes what stands at the reading position, for an error.
func (p *parser) found() string {
	if p.pos >= len(p.src) {
		return "the end"
	}
	rest := p.src[p.pos:]
	end := strings.IndexAny(rest, " ;,\t")
	if end <= 0 {
		end = len(rest)
	}
	if end > 12 {
		end = 12
		for end > 0 && !utf8.RuneStart(rest[end]) {
			end--
		}
	}
	return fmt.Sprintf("%q", rest[:end])
}

func (p *parser) space() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

// peek is the next byte after spaces, 0 at the end.
func (p *parser) peek() byte {
	p.space()
	if p.pos >= len(p.src) {
		return 0
	}
	return p.src[p.pos]
}

// word reads w (case-insensitively) when it stands next.
func (p *parser) word(w string) bool {
	p.space()
	if len(p.src)-p.pos >= len(w) && strings.EqualFold(p.src[p.pos:p.pos+len(w)], w) {
		after := p.pos + len(w)
		if after == len(p.src) || !isLetter(p.src[after]) {
			p.pos = after
			return true
		}
	}
	return false
}

func isLetter(b byte) bool { return b|0x20 >= 'a' && b|0x20 <= 'z' }
func isDigit(b byte) bool  { return b >= '0' && b <= '9' }

// schedule = rule { ";" rule } [ ";" ]
func (p *parser) schedule() error {
	if p.peek() == 0 {
		return p.fail("empty: want rules such as \"Mo-Fr 10:00-19:00; Sa 11:00-17:00\"")
	}
	for {
		if err := p.rule(); err != nil {
			return err
		}
		switch p.peek() {
		case 0:
			return nil
		case ';':
			p.pos++
			if p.peek() == 0 {
				return nil
			}
		default:
			return p.fail("want \";\" before the next rule, or the end; found %s", p.found())
		}
	}
}

// rule = "closed" date { "," date } | days ( spans | "off" )
func (p *parser) rule() error {
	if p.word("closed") {
		return p.holidays()
	}
	days, err := p.days()
	if err != nil {
		return err
	}
	var spans []Span
	if !p.word("off") {
		if spans, err = p.spans(); err != nil {
			return err
		}
	}
	spans = merge(spans)
	for wd, on := range days {
		if on {
			p.sched.week[wd] = spans // a later rule replaces the day's hours
		}
	}
	return nil
}

// merge sorts spans and joins those that overlap or touch, so that every
// edge of a day is a real opening or closing.
func writable(sp Span) bool {
	return sp.End-sp.Start < dayMinutes || sp == Span{0, dayMinutes}
}

func merge(spans []Span) []Span {
	slices.SortFunc(spans, func(a, b Span) int { return a.Start - b.Start })
	var out []Span
	for _, sp := range spans {
		// Joined spans stay shorter than a day (or are the day,
		// 00:00-24:00), so that each can be written back.
		if n := len(out); n > 0 && sp.Start <= out[n-1].End && writable(Span{out[n-1].Start, max(out[n-1].End, sp.End)}) {
			out[n-1].End = max(out[n-1].End, sp.End)
			continue
		}
		out = append(out, sp)
	}
	return out
}

// days = dayrange { "," dayrange }; dayrange = day [ "-" day ]
func (p *parser) days() ([7]bool, error) {
	var on [7]bool
	for {
		from, err := p.day()
		if err != nil {
			return on, err
		}
		to := from
		if p.peek() == '-' {
			p.pos++
			if to, err = p.day(); err != nil {
				return on, err
			}
		}
		for d := from; ; d = (d + 1) % 7 { // Fr-Mo wraps round the weekend
			on[d] = true
			if d == to {
				break
			}
		}
		save := p.pos
		if p.peek() != ',' {
			return on, nil
		}
		p.pos++
		p.space()
		if p.pos >= len(p.src) || !isLetter(p.src[p.pos]) {
			p.pos = save // the comma belongs to nothing: let the caller say so
			return on, nil
		}
	}
}

func (p *parser) day() (int, error) {
	p.space()
	for wd, name := range dayNames {
		if p.word(name) {
			return wd, nil
		}
	}
	return 0, p.fail("want a day (Mo Tu We Th Fr Sa Su) or \"closed\"; found %s", p.found())
}

// spans = span { "," span }; span = time "-" time
func (p *parser) spans() ([]Span, error) {
	var out []Span
	for {
		if p.nspans >= MaxSpans {
			return nil, p.fail("too many time spans: at most %d", MaxSpans)
		}
		p.space()
		startAt := p.pos
		start, err := p.clock(false)
		if err != nil {
			return nil, err
		}
		opening := p.src[startAt:p.pos]
		if p.peek() != '-' {
			return nil, p.fail("want \"-\" and the closing time after %s; found %s", opening, p.found())
		}
		p.pos++
		endAt := p.pos
		end, err := p.clock(true)
		if err != nil {
			return nil, err
		}
		switch {
		case end == start:
			p.pos = endAt
			p.space()
			return nil, p.fail("the span opens and closes at the same time; for a whole day write 00:00-24:00")
		case end < start:
			end += dayMinutes // past midnight: closes on the next day
		}
		out = append(out, Span{start, end})
		p.nspans++
		if p.peek() != ',' {
			return out, nil
		}
		p.pos++
	}
}

// clock reads HH:MM, 00:00 to 23:59, or 24:00 when it closes a span.
func (p *parser) clock(closing bool) (int, error) {
	p.space()
	h, m, n, ok := hhmm(p.src[p.pos:])
	if !ok {
		want := "an opening time (HH:MM, e.g. 10:00)"
		if closing {
			want = "a closing time (HH:MM, e.g. 19:00)"
		}
		return 0, p.fail("want %s; found %s", want, p.found())
	}
	if m > 59 || h > 24 || (h == 24 && (m != 0 || !closing)) {
		return 0, p.fail("%s is not a time of day (00:00 to 23:59; 24:00 only as a closing time)", p.src[p.pos:p.pos+n])
	}
	p.pos += n
	return h*60 + m, nil
}

// hhmm reads H:MM or HH:MM at the start of s: hours, minutes and the
// bytes read; ok is false when s does not start so (a third digit, on
// either side, is not a time).
func hhmm(s string) (h, m, n int, ok bool) {
	d := 0
	for d < len(s) && d < 3 && isDigit(s[d]) {
		d++
	}
	if d == 0 || d > 2 || len(s) < d+3 || s[d] != ':' || !isDigit(s[d+1]) || !isDigit(s[d+2]) {
		return 0, 0, 0, false
	}
	if len(s) > d+3 && isDigit(s[d+3]) {
		return 0, 0, 0, false
	}
	return atoi(s[:d]), atoi(s[d+1 : d+3]), d + 3, true
}

func atoi(s string) int {
	n := 0
	for _, c := range []byte(s) {
		n = n*10 + int(c-'0')
	}
	return n
}

// holidays = date { "," date }
func (p *parser) holidays() error {
	for {
		p.space()
		if len(p.sched.holidays) >= MaxHolidays {
			return p.fail("too many closed dates: at most %d", MaxHolidays)
		}
		s := p.src[p.pos:]
		if len(s) < 10 || (len(s) > 10 && isDigit(s[10])) {
			return p.fail("want a date the hall is closed (YYYY-MM-DD); found %s", p.found())
		}
		if _, err := time.Parse(time.DateOnly, s[:10]); err != nil {
			return p.fail("want a date the hall is closed (YYYY-MM-DD, a real date); found %s", p.found())
		}
		p.sched.holidays[s[:10]] = true
		p.pos += 10
		if p.peek() != ',' {
			return nil
		}
		p.pos++
	}
}
