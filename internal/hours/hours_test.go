package hours

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

var minsk = time.FixedZone("Minsk", 3*3600)

// at is a local time in Minsk on a date of December 2026 (1 December is a Tuesday).
func local(day, h, m int) time.Time { return time.Date(2026, 12, day, h, m, 0, 0, minsk) }

// parseCases are valid opening hours, each with times open and closed;
// they seed FuzzParse too.
var parseCases = []struct {
	name, in     string
	open, closed []time.Time
	summary      string
}{
	{
		name: "weekdays and Saturday", in: "Mo-Fr 10:00-19:00; Sa 11:00-17:00",
		open:    []time.Time{local(1, 10, 0), local(4, 18, 59), local(5, 11, 0)},
		closed:  []time.Time{local(1, 9, 59), local(1, 19, 0), local(5, 17, 0), local(6, 12, 0)},
		summary: "Mo-Fr 10:00-19:00; Sa 11:00-17:00",
	},
	{
		name: "comma lists and two spans a day", in: "mo,we , fr 10:00-12:00,14:00-18:00",
		open:    []time.Time{local(2, 10, 30), local(2, 14, 0), local(4, 17, 59)},
		closed:  []time.Time{local(2, 12, 0), local(2, 13, 59), local(1, 11, 0)},
		summary: "Mo 10:00-12:00,14:00-18:00; We 10:00-12:00,14:00-18:00; Fr 10:00-12:00,14:00-18:00",
	},
	{
		name: "past midnight", in: "Fr-Sa 20:00-02:00",
		open:    []time.Time{local(4, 23, 0), local(5, 1, 59), local(6, 0, 30)},
		closed:  []time.Time{local(4, 2, 0), local(5, 2, 0), local(6, 2, 0), local(7, 1, 0)},
		summary: "Fr-Sa 20:00-02:00",
	},
	{
		name: "holidays and a later rule", in: "Mo-Su 10:00-18:00; Su off; closed 2026-12-25, 2027-01-01;",
		open:    []time.Time{local(24, 10, 0), local(26, 10, 0)},
		closed:  []time.Time{local(25, 12, 0), local(27, 12, 0), time.Date(2027, 1, 1, 12, 0, 0, 0, minsk)},
		summary: "Mo-Sa 10:00-18:00; closed 2026-12-25, 2027-01-01",
	},
	{
		name: "around the clock and a wrapped range", in: "Sa-Mo 00:00-24:00",
		open:    []time.Time{local(5, 0, 0), local(6, 23, 59), local(7, 12, 0)},
		closed:  []time.Time{local(8, 0, 0), local(4, 23, 59)},
		summary: "Mo 00:00-24:00; Sa-Su 00:00-24:00",
	},
}

func TestParseAndOpen(t *testing.T) {
	for _, c := range parseCases {
		t.Run(c.name, func(t *testing.T) {
			s, err := Parse(c.in)
			if err != nil {
				t.Fatal(err)
			}
			for _, tm := range c.open {
				if !s.Open(tm) {
					t.Errorf("closed at %s, want open", tm.Format("Mon 2 Jan 15:04"))
				}
			}
			for _, tm := range c.closed {
				if s.Open(tm) {
					t.Errorf("open at %s, want closed", tm.Format("Mon 2 Jan 15:04"))
				}
			}
			if got := s.Summary(); got != c.summary {
				t.Errorf("summary %q, want %q", got, c.summary)
			}
		})
	}
}

// TestParseErrorsNameTheColumn: every error says where and what was wanted.
func TestParseErrorsNameTheColumn(t *testing.T) {
	cases := []struct {
		in   string
		col  int
		want string
	}{
		{"", 1, "empty"},
		{"Mo-Xy 10:00-19:00", 4, `want a day (Mo Tu We Th Fr Sa Su) or "closed"; found "Xy"`},
		{"Mo-Fr 10:00 19:00", 13, `want "-" and the closing time after 10:00; found "19:00"`},
		{"Mo-Fr 10:00-25:00", 13, "25:00 is not a time of day"},
		{"Mo-Fr 10:60-19:00", 7, "10:60 is not a time of day"},
		{"Mo-Fr 24:00-19:00", 7, "24:00 only as a closing time"},
		{"Mo-Fr 10:00-10:00", 13, "opens and closes at the same time"},
		{"Mo-Fr 10:00-19:00 Sa 11:00-17:00", 19, `want ";" before the next rule`},
		{"Mo-Fr", 6, "want an opening time (HH:MM, e.g. 10:00); found the end"},
		{"Mo-Fr 10:00-", 13, "want a closing time"},
		{"Mo-Fr 10:00-19:00; closed 2026-02-30", 27, "a real date"},
		{"Mo-Fr 10:00-19:00; closed 26-12-25", 27, "YYYY-MM-DD"},
		{"Пн-Пт 10:00-19:00", 1, `found "Пн-Пт"`},
		{"Mo 10:00-11:00;; Tu 10:00-11:00", 16, "want a day"},
		{"Mo 100:00-11:00", 4, "want an opening time"},
		{"Mo 10:00-11:00,", 16, "want an opening time"},
		{"Mo-Fr 10:00-19:00; Sa 11:00-17:00 ; Su 12:00-16:00x", 51, `want ";"`},
		{strings.Repeat("Mo 10:00-11:00;", 80), 1025, "too long"},
		{strings.Repeat("Mo 10:00-11:00;", 65), 964, "too many time spans"},
	}
	for _, c := range cases {
		_, err := Parse(c.in)
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: error %v, want a *ParseError", c.in, err)
			continue
		}
		if pe.Column != c.col || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q:\n got column %d: %v\nwant column %d: …%s…", c.in, pe.Column, err, c.col, c.want)
		}
		if !strings.Contains(err.Error(), "column ") {
			t.Errorf("%q: %v does not name the column", c.in, err)
		}
	}
}

func TestNextChange(t *testing.T) {
	s := MustParse("Mo-Fr 10:00-19:00; Sa 11:00-17:00; closed 2026-12-07")
	cases := []struct{ at, want time.Time }{
		{local(1, 9, 0), local(1, 10, 0)},   // Tuesday morning: opens at 10
		{local(1, 10, 0), local(1, 19, 0)},  // open: closes at 19
		{local(1, 19, 0), local(2, 10, 0)},  // evening: opens next morning
		{local(5, 17, 30), local(8, 10, 0)}, // Saturday evening: Sunday closed, Monday the 7th a holiday
	}
	for _, c := range cases {
		if got := s.NextChange(c.at); !got.Equal(c.want) {
			t.Errorf("after %s: %s, want %s", c.at.Format("Mon 2 Jan 15:04"), got.Format("Mon 2 Jan 15:04"), c.want.Format("Mon 2 Jan 15:04"))
		}
	}
	if got := MustParse("Mo-Su 00:00-24:00").NextChange(local(1, 12, 0)); !got.IsZero() {
		t.Errorf("open around the clock changes at %s", got)
	}
	if got := MustParse("Mo off").NextChange(local(1, 12, 0)); !got.IsZero() {
		t.Errorf("never open changes at %s", got)
	}
	// Open only on Mondays, and the next ten Mondays are holidays.
	var ds []string
	for d := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC); len(ds) < 10; d = d.AddDate(0, 0, 7) {
		ds = append(ds, d.Format(time.DateOnly))
	}
	s = MustParse("Mo 10:00-11:00; closed " + strings.Join(ds, ","))
	if got, want := s.NextChange(local(1, 12, 0)), time.Date(2027, 2, 15, 10, 0, 0, 0, minsk); !got.Equal(want) {
		t.Errorf("past ten Monday holidays: %s, want %s", got, want)
	}
}

// TestHoursKeepToTheClockAcrossDST: opening at 10:00 stays 10:00 local
// time on the day the clocks change.
func TestHoursKeepToTheClockAcrossDST(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	s := MustParse("Mo-Su 10:00-19:00")
	got := s.NextChange(time.Date(2026, 3, 28, 20, 0, 0, 0, berlin)) // clocks go forward in the night to the 29th
	if want := time.Date(2026, 3, 29, 10, 0, 0, 0, berlin); !got.Equal(want) {
		t.Errorf("opens at %s, want %s", got, want)
	}
}

// TestKeeperAsleepAwakeAndWokenByAKey drives the state machine with an
// injected clock: asleep at night, woken by a key for ten minutes, asleep
// again, awake at opening time.
func TestKeeperAsleepAwakeAndWokenByAKey(t *testing.T) {
	k := NewKeeper(MustParse("Mo-Fr 10:00-19:00"))
	night := local(1, 22, 0)
	if st := k.State(night); st != Asleep {
		t.Fatalf("at 22:00: %s, want asleep", st)
	}
	if next := k.Next(night); !next.Equal(local(2, 10, 0)) {
		t.Fatalf("asleep at 22:00, next change %s, want 10:00 next day", next)
	}
	if !k.Wake(night) {
		t.Fatal("Wake did not report the screen asleep")
	}
	if st := k.State(night.Add(9 * time.Minute)); st != Woken {
		t.Fatalf("9 minutes after the key: %s, want woken", st)
	}
	if next := k.Next(night); !next.Equal(night.Add(WakeFor)) {
		t.Fatalf("woken: next change %s, want the end of the wake-up", next)
	}
	if st := k.State(night.Add(WakeFor)); st != Asleep {
		t.Fatalf("10 minutes after the key: %s, want asleep again", st)
	}
	if st := k.State(local(2, 10, 0)); st != Awake {
		t.Fatalf("at opening time: %s, want awake", st)
	}
	if k.Wake(local(2, 12, 0)) || k.State(local(2, 19, 1)) != Asleep {
		t.Fatal("a key while open must not keep the screen on after closing")
	}
	// Woken shortly before opening: awake at opening, not asleep when the wake-up ends.
	k.Wake(local(2, 9, 55))
	if st := k.State(local(2, 10, 3)); st != Awake {
		t.Fatalf("woken at 9:55, at 10:03: %s, want awake", st)
	}
	if next := k.Next(local(2, 9, 56)); !next.Equal(local(2, 10, 0)) {
		t.Fatalf("woken at 9:55: next change %s, want opening time", next)
	}
	if st := NewKeeper(nil).State(night); st != Awake {
		t.Fatalf("no hours: %s, want awake", st)
	}
}

func FuzzParse(f *testing.F) {
	for _, c := range parseCases {
		f.Add(c.in)
	}
	f.Add("Mo-Fr 10:00-19:00; closed 2026-12-25,2027-01-01")
	f.Add("Su 23:59-00:01")
	f.Add("Mo-Xy")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := Parse(in)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Column < 1 || pe.Column > len([]rune(in))+1 {
				t.Fatalf("%q: %v (want a *ParseError with a column within the input)", in, err)
			}
			return
		}
		// What parsed writes back as hours that mean the same.
		again, err := Parse(s.Summary())
		if err != nil {
			if s.Summary() == "closed" {
				return
			}
			t.Fatalf("%q: summary %q does not parse: %v", in, s.Summary(), err)
		}
		for wd := range time.Weekday(7) {
			if a, b := s.Spans(wd), again.Spans(wd); !slices.Equal(a, b) {
				t.Fatalf("%q: %s: %v, after a round trip %v", in, wd, a, b)
			}
		}
		t0 := local(1, 12, 0)
		next := s.NextChange(t0)
		if !next.IsZero() && (!next.After(t0) || s.Open(next) == s.Open(t0)) {
			t.Fatalf("%q: next change %s is no change from %s", in, next, t0)
		}
	})
}
