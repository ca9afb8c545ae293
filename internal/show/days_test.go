package show

import (
	"strings"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/calendar"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

var warsaw = time.FixedZone("Warsaw", 2*3600)

func TestDayTitleOn21MayAnd8March(t *testing.T) {
	m := manifest(pack.Person{ID: "a", Name: pack.Text{"en": "A"}, Country: "BY", Status: "in_custody"})
	e := entriesOf(m)[0]
	for _, c := range []struct {
		at   time.Time
		want string
	}{
		{time.Date(2026, 5, 21, 9, 0, 0, 0, warsaw), "Day of Solidarity with Political Prisoners of Belarus"},
		{time.Date(2026, 3, 8, 9, 0, 0, 0, warsaw), "International Women's Day: we remember women political prisoners"},
		{time.Date(2026, 5, 22, 9, 0, 0, 0, warsaw), ""},
	} {
		if got := Build(e, words(t, "en"), c.at).DayTitle; got != c.want {
			t.Errorf("%s: day title %q, want %q", c.at.Format(time.DateOnly), got, c.want)
		}
	}
}

// TestStaleSaysItOnceAndHidesTheAddress: past review_by, one notice on
// the slide whatever else it says, and no address on a postcard.
func TestStaleSaysItOnceAndHidesTheAddress(t *testing.T) {
	p := pack.Person{
		ID: "a", Name: pack.Text{"en": "A"}, Country: "BY", Status: "in_custody", Born: "--12-24", Arrested: "2022-03-15",
		Contact: pack.ContactRestricted, Facility: &pack.Facility{Address: "ИК №4\nГомель"},
		Links: []pack.Link{{Kind: "letter", URL: "https://example.org/l"}},
	}
	m := manifest(p)
	m.ReviewBy = "2026-12-01"
	e := entriesOf(m)[0]
	for _, c := range []struct {
		day   int
		stale bool
	}{{1, false}, {2, true}} {
		s := BuildAt(e, words(t, "en"), Moment{Now: time.Date(2026, 12, c.day, 12, 0, 0, 0, warsaw), Postcard: true})
		n := strings.Count(strings.Join(s.Notices, "\n"), "Details may be out of date.")
		if s.Stale != c.stale || (c.stale && n != 1) || (!c.stale && n != 0) {
			t.Errorf("1 December + %d: stale %v, %d notices of it: %q", c.day-1, s.Stale, n, s.Notices)
		}
		if s.Postcard == nil || (s.Postcard.Address != "") == c.stale {
			t.Errorf("1 December + %d: postcard %+v", c.day-1, s.Postcard)
		}
	}
}

func TestPostcardFacts(t *testing.T) {
	no := false
	base := pack.Person{
		ID: "a", Name: pack.Text{"en": "A"}, Country: "BY", Status: "in_custody", Born: "1980-12-24",
		Facility: &pack.Facility{Address: "ИК №4\nГомель"}, Links: []pack.Link{{Kind: "letter", URL: "https://example.org/l"}},
	}
	at := Moment{Now: time.Date(2026, 12, 10, 18, 0, 0, 0, warsaw), Postcard: true}
	noConsent, incommunicado := base, base
	noConsent.Consent.Address = &no
	incommunicado.Contact = pack.ContactNone
	cases := []struct {
		name    string
		p       pack.Person
		address bool
		letter  bool
	}{{"open", base, true, true}, {"no address consent", noConsent, false, true}, {"incommunicado", incommunicado, false, false}}
	for _, c := range cases {
		m := manifest(c.p)
		s := BuildAt(entriesOf(m)[0], words(t, "en"), at)
		f := s.Postcard
		if f == nil {
			t.Fatalf("%s: no postcard facts", c.name)
		}
		if (f.Address != "") != c.address || (f.Letter != nil) != c.letter {
			t.Errorf("%s: address %q letter %+v", c.name, f.Address, f.Letter)
		}
		if f.DaysUntil != 14 || f.When != "Birthday in 14 days, on 24 December" || !strings.Contains(f.LetterRules, "Russian or Belarusian") {
			t.Errorf("%s: %+v", c.name, f)
		}
	}
	if s := BuildAt(entriesOf(manifest(base))[0], words(t, "ru"), at); s.Postcard.When != "День рождения через 14 дней, 24 декабря" {
		t.Errorf("ru: %q", s.Postcard.When)
	}
	if s := Build(entriesOf(manifest(base))[0], words(t, "en"), at.Now); s.Postcard != nil {
		t.Error("postcard facts outside the postcard hour")
	}
}

func TestPostcardsAreOrderedByDaysUntilTheBirthday(t *testing.T) {
	m := manifest(
		pack.Person{ID: "jan", Status: "in_custody", Born: "--01-05"},
		pack.Person{ID: "dec", Status: "in_custody", Born: "--12-31"},
		pack.Person{ID: "early", Status: "in_custody", Born: "--12-01"},
		pack.Person{ID: "feb", Status: "in_custody", Born: "--02-01"},
	)
	got := Postcards(entriesOf(m), calendar.New(calendar.Date{Year: 2026, Month: 12, Day: 10}))
	var ids []string
	for _, e := range got {
		ids = append(ids, e.Person.ID)
	}
	if strings.Join(ids, ",") != "dec,jan" {
		t.Errorf("postcards %v, want dec,jan", ids)
	}
}

// TestWeighOn8March: women shown three times as often, by the pack's
// gender, never more than 3× their pack weight.
func TestWeighOn8March(t *testing.T) {
	m := manifest(
		pack.Person{ID: "w", Status: "in_custody", Gender: pack.GenderFemale, Weight: weight(2)},
		pack.Person{ID: "m", Status: "in_custody", Gender: pack.GenderMale, Weight: weight(2)},
		pack.Person{ID: "x", Status: "in_custody", Born: "--03-08", Gender: pack.GenderFemale},
	)
	cal := calendar.New(calendar.Date{Year: 2027, Month: 3, Day: 8}, m)
	weighed := Weigh(entriesOf(m), cal)
	for i, want := range []float64{6, 2, 3} {
		if weighed[i].Weight != want {
			t.Errorf("%s: weight %g, want %g", weighed[i].Person.ID, weighed[i].Weight, want)
		}
	}
	// Weighing again does not compound.
	if again := Weigh(weighed, cal); again[0].Weight != 6 {
		t.Errorf("weighed twice: %g", again[0].Weight)
	}
	for seed := uint64(1); seed < 40; seed++ {
		pl := NewPlaylist(weighed, seed)
		pl.Lead(Leads(cal))
		last, rounds := "", 0
		for range 300 {
			e, _ := pl.Next()
			if pl.pos == 1 { // the first of a round
				rounds++
				if e.Person.Gender != pack.GenderFemale {
					t.Fatalf("round %d opens with %s", rounds, e.Person.ID)
				}
			}
			if e.Person.ID == last {
				t.Fatalf("%s twice in a row", last)
			}
			last = e.Person.ID
		}
		if rounds < 20 {
			t.Fatalf("%d rounds", rounds)
		}
	}
}

// TestScreensInStepDecideTheSameDay: a slot begins at 23:59:55 on 20 May;
// screen 1 of 2 draws it at 23:59:59, screen 2 at 00:00:00 on 21 May.
// Both decide from the slot's start: the same day, the same title (none,
// the eve of 21 May), and in the next slot both have 21 May.
func TestScreensInStepDecideTheSameDay(t *testing.T) {
	m := manifest(people(6)...)
	entries := entriesOf(m)
	slotStart := time.Date(2026, 5, 20, 23, 59, 55, 0, warsaw)
	epoch := slotStart.Add(-100 * 12 * time.Second)
	one, err := NewSync(entries, epoch, 12*time.Second, 1, 2)
	if err != nil {
		t.Fatal(err)
	}
	two, _ := NewSync(entries, epoch, 12*time.Second, 2, 2)
	a := time.Date(2026, 5, 20, 23, 59, 59, 0, warsaw)
	b := time.Date(2026, 5, 21, 0, 0, 0, 0, warsaw)
	ka, kb := one.Slot(a), two.Slot(b)
	if ka != kb {
		t.Fatalf("slots %d and %d", ka, kb)
	}
	da, db := one.Date(ka, warsaw), two.Date(kb, warsaw)
	if da != db || da.String() != "2026-05-20" {
		t.Fatalf("screen 1 decided %s, screen 2 %s", da, db)
	}
	w := words(t, "en")
	startA, _ := one.Bounds(ka)
	startB, _ := two.Bounds(kb)
	sa := BuildAt(one.At(ka), w, Moment{Now: startA, Calendar: Calendar(entries, da)})
	sb := BuildAt(two.At(kb), w, Moment{Now: startB, Calendar: Calendar(entries, db)})
	if sa.DayTitle != sb.DayTitle || sa.DayTitle != "" {
		t.Errorf("titles %q and %q", sa.DayTitle, sb.DayTitle)
	}
	if d := one.Date(ka+1, warsaw); d.String() != "2026-05-21" || !Calendar(entries, d).Is(calendar.SolidarityDay) {
		t.Errorf("the next slot: %s", d)
	}
}
