package calendar

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/i18n"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

func words(t testing.TB, lang string) *i18n.Words {
	t.Helper()
	c, err := i18n.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return c.For(lang)
}

func date(s string) Date {
	d, ok := ParseDate(s)
	if !ok {
		panic(s)
	}
	return d
}

func held(id, born, arrested string) pack.Person {
	return pack.Person{ID: id, Name: pack.Text{"en": id}, Country: "BY", Status: pack.StatusInCustody, Born: born, Arrested: arrested}
}

func TestBuiltinDays(t *testing.T) {
	en, ru, be := words(t, "en"), words(t, "ru"), words(t, "be")
	cases := []struct {
		date, key, en, ru, be string
	}{
		{"2026-05-21", SolidarityDay, "Day of Solidarity with Political Prisoners of Belarus", "День солидарности с политзаключёнными Беларуси", "Дзень салідарнасці з палітвязнямі Беларусі"},
		{"2027-03-08", WomensDay, "International Women's Day: we remember women political prisoners", "Международный женский день: помним о женщинах-политзаключённых", "Міжнародны жаночы дзень: памятаем пра жанчын-палітвязняў"},
	}
	for _, c := range cases {
		cal := New(date(c.date))
		if !cal.Is(c.key) {
			t.Errorf("%s is not %s", c.date, c.key)
		}
		for _, w := range []struct {
			words *i18n.Words
			want  string
		}{{en, c.en}, {ru, c.ru}, {be, c.be}} {
			if got := cal.Title(w.words, ""); got != w.want {
				t.Errorf("%s in %s: %q, want %q", c.date, w.words.Lang, got, w.want)
			}
		}
		// The day before and after are days like any other.
		for _, d := range []Date{date(c.date).AddDays(-1), date(c.date).AddDays(1)} {
			if cal := New(d); cal.Is(c.key) || cal.Title(en, "") != "" {
				t.Errorf("%s: %v", d, cal.Days)
			}
		}
	}
}

func TestPackDays(t *testing.T) {
	m := &pack.Manifest{ID: "p", Languages: []string{"be", "en"}, People: []pack.Person{held("a", "", ""), held("b", "", "")}, Days: []pack.Day{
		{Date: "--09-01", Title: pack.Text{"en": "Every 1 September"}, People: []string{"a"}},
		{Date: "2026-09-01", Title: pack.Text{"be": "Толькі ў 2026"}},
		{Date: "--02-29", Title: pack.Text{"en": "Leap day"}},
	}}
	w := words(t, "en")
	cal := New(date("2026-09-01"), m)
	if got := cal.Title(w, "p"); got != "Every 1 September · Толькі ў 2026" {
		t.Errorf("2026-09-01: %q", got)
	}
	if got := cal.Title(w, "other"); got != "" {
		t.Errorf("a pack's day shows on another pack's slides: %q", got)
	}
	if !cal.Featured("p", "a") || cal.Featured("p", "b") || cal.Featured("q", "a") {
		t.Error("featured people wrong")
	}
	if cal.Multiplier("p", &m.People[0]) != MaxMultiplier || cal.Multiplier("p", &m.People[1]) != 1 {
		t.Error("a featured person is not shown more often, or someone else is")
	}
	if got := New(date("2027-09-01"), m).Title(w, "p"); got != "Every 1 September" {
		t.Errorf("2027-09-01: %q", got)
	}
	if got := New(date("2027-02-28"), m).Title(w, "p"); got != "Leap day" {
		t.Errorf("--02-29 in a common year falls on 28 February: %q", got)
	}
	if got := New(date("2028-02-28"), m).Title(w, "p"); got != "" {
		t.Errorf("--02-29 in a leap year is not on the 28th: %q", got)
	}
}

// TestBirthdays: today, this week, this month, across the year end and on
// 29 February.
func TestBirthdays(t *testing.T) {
	cases := []struct {
		today, born string
		in          int // -1: no birthday within the week
		month       bool
	}{
		{"2026-03-02", "1990-03-02", 0, true},
		{"2026-03-02", "--03-05", 3, true},
		{"2026-12-29", "--01-02", 4, false}, // across the year end
		{"2026-12-31", "1985-01-01", 1, false},
		{"2027-02-28", "--02-29", 0, true}, // a common year: on the 28th
		{"2027-02-25", "2000-02-29", 3, true},
		{"2028-02-28", "--02-29", 1, true},   // a leap year: on the 29th
		{"2027-03-01", "--02-29", -1, false}, // not moved into March
		{"2026-03-02", "--03-20", -1, true},
		{"2026-03-02", "--03-01", -1, true}, // earlier this month
		{"2026-03-02", "1990", -1, false},   // a year alone
	}
	for _, c := range cases {
		p := held("a", c.born, "")
		cal := New(date(c.today))
		var got []Event
		for _, e := range cal.Events(&p, Week) {
			if e.Kind == Birthday {
				got = append(got, e)
			}
		}
		switch {
		case c.in < 0 && len(got) > 0:
			t.Errorf("%s, born %s: birthday in %d days, want none this week", c.today, c.born, got[0].In)
		case c.in >= 0 && (len(got) != 1 || got[0].In != c.in || got[0].On != date(c.today).AddDays(c.in)):
			t.Errorf("%s, born %s: %+v, want in %d days", c.today, c.born, got, c.in)
		}
		if _, month := cal.BirthdayThisMonth(&p); month != c.month {
			t.Errorf("%s, born %s: this month %v, want %v", c.today, c.born, month, c.month)
		}
	}
	// Birthdays count for people held only.
	p := held("a", "--03-02", "")
	p.Status = pack.StatusReleased
	if ev := New(date("2026-03-02")).Events(&p, Week); len(ev) != 0 {
		t.Errorf("a released person's birthday: %+v", ev)
	}
}

// TestMilestones: day 1,000 behind bars and every 500 after.
func TestMilestones(t *testing.T) {
	arrested := date("2022-03-15")
	day := func(n int) Date { return arrested.AddDays(n - 1) } // the arrest day is day 1
	p := held("a", "", arrested.String())
	for _, n := range []int{1000, 1500, 2000, 4500} {
		ev := New(day(n)).Events(&p, 0)
		if !slices.ContainsFunc(ev, func(e Event) bool { return e.Kind == Milestone && e.Count == n && e.In == 0 }) {
			t.Errorf("day %d: %+v, want the milestone", n, ev)
		}
		if ev := New(day(n-3)).Events(&p, Week); !slices.ContainsFunc(ev, func(e Event) bool { return e.Kind == Milestone && e.Count == n && e.In == 3 }) {
			t.Errorf("three days before day %d: %+v", n, ev)
		}
	}
	for _, n := range []int{999, 1001, 1250, 1499, 1501} {
		if ev := New(day(n)).Events(&p, 0); slices.ContainsFunc(ev, func(e Event) bool { return e.Kind == Milestone }) {
			t.Errorf("day %d is no milestone: %+v", n, ev)
		}
	}
	p.Status = pack.StatusReleased
	if ev := New(day(1000)).Events(&p, 0); len(ev) != 0 {
		t.Errorf("days behind bars counted for someone released: %+v", ev)
	}
	p.Status = pack.StatusInCustody
	notes := New(day(1000)).Notices(&p, words(t, "en"))
	if len(notes) != 1 || notes[0] != "Today: day 1,000 behind bars." {
		t.Errorf("notices %q", notes)
	}
}

func TestArrestAnniversary(t *testing.T) {
	p := held("a", "", "2022-03-15")
	for _, c := range []struct {
		today string
		years int
	}{{"2023-03-15", 1}, {"2026-03-15", 4}, {"2022-03-15", 0}, {"2026-03-16", 0}} {
		ev := New(date(c.today)).Events(&p, 0)
		i := slices.IndexFunc(ev, func(e Event) bool { return e.Kind == ArrestAnniversary })
		if (i >= 0) != (c.years > 0) || (i >= 0 && ev[i].Count != c.years) {
			t.Errorf("%s: %+v, want an arrest anniversary of %d years", c.today, ev, c.years)
		}
	}
	if got := New(date("2026-03-15")).Notices(&p, words(t, "ru")); len(got) != 1 || got[0] != "Сегодня 4 года со дня ареста." {
		t.Errorf("ru: %q", got)
	}
}

func TestDeathRemembered(t *testing.T) {
	dead := pack.Person{ID: "d", Status: pack.StatusDiedInCustody, Arrested: "2020-01-10", Died: "2024-02-29"}
	for _, c := range []struct {
		today string
		years int
	}{{"2025-02-28", 1}, {"2028-02-29", 4}, {"2024-02-29", 0}} {
		ev := New(date(c.today)).Events(&dead, 0)
		if len(ev) != 1 || ev[0].Kind != Remembered || ev[0].Count != c.years {
			t.Errorf("%s: %+v, want the death remembered (%d years)", c.today, ev, c.years)
		}
	}
	if ev := New(date("2025-03-01")).Events(&dead, 0); len(ev) != 0 {
		t.Errorf("remembered on 1 March: %+v", ev)
	}
	w := words(t, "en")
	notes := New(date("2025-02-28")).Notices(&dead, w)
	if len(notes) != 1 || notes[0] != "Remembered today: died in custody on 29 February 2024." {
		t.Errorf("notices %q", notes)
	}
}

// TestWeightsAreBounded: nobody is shown more than 3× their weight, however
// many reasons the day gives; an event today beats one this week.
func TestWeightsAreBounded(t *testing.T) {
	// 8 March, her birthday, day 1,000 of detention, a pack's day features her.
	arrested := date("2027-03-08").AddDays(-999).String()
	her := held("her", "--03-08", arrested)
	her.Gender = pack.GenderFemale
	him := held("him", "--03-10", "")
	him.Gender = pack.GenderMale
	other := held("other", "--07-01", "")
	m := &pack.Manifest{ID: "p", People: []pack.Person{her, him, other}, Days: []pack.Day{{Date: "--03-08", Title: pack.Text{"en": "x"}, People: []string{"her"}}}}
	cal := New(date("2027-03-08"), m)
	if n := len(cal.Events(&m.People[0], 0)); n != 2 {
		t.Fatalf("her events today: %d, want a birthday and a milestone", n)
	}
	for i, want := range []float64{3, 2, 1} {
		p := &m.People[i]
		got := cal.Multiplier("p", p)
		if got != want {
			t.Errorf("%s: ×%g, want ×%g", p.ID, got, want)
		}
		if got > MaxMultiplier {
			t.Errorf("%s: ×%g exceeds the bound", p.ID, got)
		}
	}
	if !cal.Leads("p", &m.People[0]) || cal.Leads("p", &m.People[1]) {
		t.Error("on 8 March women lead, by their gender in the pack")
	}
	// A woman with nothing else today is still shown more, by gender alone.
	w := held("w", "", "")
	w.Gender = pack.GenderFemale
	if cal.Multiplier("q", &w) != MaxMultiplier || New(date("2027-03-09")).Multiplier("q", &w) != 1 {
		t.Error("women are not weighted by the pack's gender on 8 March alone")
	}
	// No gender: never guessed from a name.
	anna := held("anna-ivanova", "", "")
	anna.Name = pack.Text{"en": "Anna Ivanova"}
	if cal.Leads("q", &anna) || cal.Multiplier("q", &anna) != 1 {
		t.Error("a person without gender was guessed from the name")
	}
}

func TestPostcardsThisMonthAndNext(t *testing.T) {
	none := held("none", "--12-20", "")
	none.Contact = pack.ContactNone
	released := held("released", "--12-21", "")
	released.Status = pack.StatusReleased
	m := &pack.Manifest{ID: "p", People: []pack.Person{
		held("jan31", "--01-31", ""), held("dec24", "1980-12-24", ""), held("dec01", "--12-01", ""),
		held("feb1", "--02-01", ""), held("dec10", "--12-10", ""), none, released, held("year", "1990", ""),
	}}
	got := New(date("2026-12-10")).Postcards(m)
	var ids []string
	for _, p := range got {
		ids = append(ids, fmt.Sprintf("%s:%d", p.Person.ID, p.In))
	}
	if want := "dec10:0 dec24:14 jan31:52"; strings.Join(ids, " ") != want {
		t.Errorf("postcards %v, want %s", ids, want)
	}
}

func TestSummaryAndStalePacks(t *testing.T) {
	m := &pack.Manifest{ID: "p", Title: pack.Text{"en": "Women political prisoners"}, Languages: []string{"en"}, ReviewBy: "2026-05-20", People: []pack.Person{
		held("a", "--05-21", ""), held("b", "--05-24", ""), held("c", "--05-27", ""), held("d", "--05-28", ""),
	}}
	cal := New(date("2026-05-21"), m)
	want := "Today: 21 May, Day of Solidarity with Political Prisoners of Belarus; 3 birthdays this week"
	if got := cal.Summary(words(t, "en"), m); got != want {
		t.Errorf("summary %q\nwant    %q", got, want)
	}
	if got := cal.Summary(words(t, "ru"), m); got != "Сегодня: 21 мая, День солидарности с политзаключёнными Беларуси; 3 дня рождения на этой неделе" {
		t.Errorf("ru summary %q", got)
	}
	if got := New(date("2026-06-02")).Summary(words(t, "en"), m); got != "Today: 2 June" {
		t.Errorf("an ordinary day: %q", got)
	}
	stale := cal.StalePacks(words(t, "en"), m)
	if len(stale) != 1 || stale[0].ReviewBy != "2026-05-20" || !strings.Contains(stale[0].Line(words(t, "en")), "Women political prisoners: the review date 20 May 2026 has passed") {
		t.Errorf("stale %+v", stale)
	}
	if Stale(m, date("2026-05-20")) || !Stale(m, date("2026-05-21")) {
		t.Error("review_by is the last day the details count as checked")
	}
}

// TestScreensInStepDecideTheSameDay: two screens of a row fill the slot
// that began at 23:59:55, one drawing at 23:59:59 and its neighbour at
// 00:00:00; both decide from the slot's start, so both show the eve of
// 21 May and neither the day's title.
func TestScreensInStepDecideTheSameDay(t *testing.T) {
	loc := time.FixedZone("Warsaw", 2*3600)
	slotStart := time.Date(2026, 5, 20, 23, 59, 55, 0, loc)
	a := time.Date(2026, 5, 20, 23, 59, 59, 0, loc)
	b := time.Date(2026, 5, 21, 0, 0, 0, 0, loc)
	if DateOf(a) == DateOf(b) {
		t.Fatal("the test needs two moments on either side of midnight")
	}
	da, db := SlotDate(slotStart), SlotDate(slotStart)
	if da != db || da != date("2026-05-20") || New(da).Is(SolidarityDay) {
		t.Errorf("screens decided %s and %s", da, db)
	}
	if d := SlotDate(b); d != date("2026-05-21") || !New(d).Is(SolidarityDay) {
		t.Errorf("the slot starting at midnight: %s", d)
	}
}

// checkMonthDay: a day of the year read from s is one, and falls in its
// own month in a common year (29 February on the 28th).
func checkMonthDay(t *testing.T, s string, md MonthDay) {
	t.Helper()
	if md.Month < 1 || md.Month > 12 || md.Day < 1 || md.Day > 31 {
		t.Fatalf("%q read as %+v", s, md)
	}
	in := md.In(2027)
	if in.Month != md.Month || (in.Day != md.Day && (md.Month != 2 || md.Day != 29 || in.Day != 28)) {
		t.Fatalf("%q in 2027 is %s", s, in)
	}
}

func FuzzDayOn(f *testing.F) {
	for _, s := range []string{"--05-21", "2026-05-21", "--02-29", "--02-30", "2026-13-01", "--5-21", "0000-01-01", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := date("2027-02-28")
		on := DayOn(s, d)
		md, annual := ParseMonthDay(s)
		if on && !annual {
			t.Fatalf("%q falls on %s but is no day of the year", s, d)
		}
		if annual {
			checkMonthDay(t, s, md)
		}
		p := held("a", s, s)
		p.Died = s
		for _, e := range New(d).Events(&p, Week) {
			if e.In < 0 || e.In > Week || e.On != d.AddDays(e.In) {
				t.Fatalf("%q: event %+v outside the week", s, e)
			}
		}
	})
}

// TestSinceIsExactOverCenturies: day counts never go through a
// time.Duration, which saturates at about 292 years (issue 18: an arrest
// on 0001-01-02 counted "day 106,753").
func TestSinceIsExactOverCenturies(t *testing.T) {
	for _, c := range []struct {
		d, e string
		want int
	}{
		{"2024-12-10", "2024-12-10", 0},
		{"2024-12-11", "2024-12-10", 1},
		{"2024-12-10", "2024-12-11", -1},
		{"2024-12-10", "1900-01-01", 45634},
		{"2024-12-10", "0001-01-02", 739228},
		{"0001-01-02", "2024-12-10", -739228},
		{"2424-12-10", "2024-12-10", 146097},
		{"9999-12-31", "0001-01-01", 3652058},
	} {
		if got := date(c.d).Since(date(c.e)); got != c.want {
			t.Errorf("%s since %s = %d, want %d", c.d, c.e, got, c.want)
		}
	}
	// The next milestone of an arrest on 0001-01-02 is day 739,500, 271
	// days after day 739,229; none for an arrest that has not happened.
	p := held("a", "", "0001-01-02")
	ev := New(date("2024-12-10")).Events(&p, 1000)
	if !slices.ContainsFunc(ev, func(e Event) bool { return e.Kind == Milestone && e.Count == 739500 && e.In == 271 }) {
		t.Errorf("events for an arrest on 0001-01-02: %+v", ev)
	}
	p.Arrested = "2024-12-11"
	if ev := New(date("2024-12-10")).Events(&p, Week); len(ev) != 0 {
		t.Errorf("events for an arrest tomorrow: %+v", ev)
	}
}
