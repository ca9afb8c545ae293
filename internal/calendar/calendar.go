package calendar

import (
	"strings"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/i18n"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

// The built-in days, by the i18n key of their title.
const (
	// SolidarityDay is 21 May, the Day of Solidarity with Political
	// Prisoners of Belarus.
	SolidarityDay = "day.solidarity_by"
	// WomensDay is 8 March, when women political prisoners in Belarus,
	// Iran and Russia are remembered in many cities.
	WomensDay = "day.women"
)

// Builtin are the days the kiosk knows without a pack.
var Builtin = []struct {
	MonthDay
	Key string
}{
	{MonthDay{time.May, 21}, SolidarityDay},
	{MonthDay{time.March, 8}, WomensDay},
}

// Day is one day that matters on the calendar's date.
type Day struct {
	Key    string    // the i18n key of a built-in day's title; "" for a pack's own day
	PackID string    // the pack whose day it is
	Title  pack.Text // a pack's day: its title
	Langs  []string  // a pack's day: the pack's languages, for its title
	People []string  // a pack's day: the ids of the people it features
}

// TitleIn is the day's title in w's language.
func (d Day) TitleIn(w *i18n.Words) string {
	if d.Key != "" {
		return w.T(d.Key, nil)
	}
	return d.Title.Get(w.Lang, d.Langs)
}

// Calendar is what one local date holds over a set of packs. Make it with
// New; it is read-only afterwards and safe for concurrent use.
type Calendar struct {
	Date     Date
	Days     []Day // the built-in days first, then the packs' in pack order
	featured map[string]bool
}

// New is the calendar of date over packs (their own days).
func New(date Date, packs ...*pack.Manifest) *Calendar {
	c := &Calendar{Date: date, featured: map[string]bool{}}
	for _, b := range Builtin {
		if b.In(date.Year) == date {
			c.Days = append(c.Days, Day{Key: b.Key})
		}
	}
	for _, m := range packs {
		if m == nil {
			continue
		}
		for _, d := range m.Days {
			if !DayOn(d.Date, date) {
				continue
			}
			c.Days = append(c.Days, Day{PackID: m.ID, Title: d.Title, Langs: m.Languages, People: d.People})
			for _, id := range d.People {
				c.featured[m.ID+"\x00"+id] = true
			}
		}
	}
	return c
}

// Is reports whether the built-in day key (SolidarityDay, WomensDay) is today.
func (c *Calendar) Is(key string) bool {
	for _, d := range c.Days {
		if d.Key == key {
			return true
		}
	}
	return false
}

// Title is the title of the day in w's language, several joined by " · ";
// "" on a day like any other. A pack's day shows on its own pack's
// slides only (packID ""; every pack's).
func (c *Calendar) Title(w *i18n.Words, packID string) string {
	var parts []string
	for _, d := range c.Days {
		if d.Key == "" && packID != "" && d.PackID != packID {
			continue
		}
		if t := d.TitleIn(w); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " · ")
}

// Featured reports whether a pack's day today features the person.
func (c *Calendar) Featured(packID, personID string) bool {
	return c.featured[packID+"\x00"+personID]
}

// Kind is what a person's event is.
type Kind int

// The kinds of events.
const (
	Birthday          Kind = iota + 1 // a birthday (people held only)
	Milestone                         // day 1,000 behind bars, or 1,500, 2,000, …
	ArrestAnniversary                 // a year, or years, since the arrest
	Remembered                        // the anniversary of a death in custody
)

// Event is one of a person's days that matter.
type Event struct {
	Kind  Kind
	On    Date
	In    int // days from the calendar's date to On: 0 is today
	Count int // Milestone: the day behind bars; anniversaries: the years
}

// First milestone behind bars and the step to the next ones.
const (
	FirstMilestone = 1000
	MilestoneStep  = 500
)

// Events lists p's events from the calendar's date to within days later
// (0: today only), in the order Birthday, Milestone, ArrestAnniversary,
// Remembered. Birthdays, milestones and arrest anniversaries count for
// people held (pack.IsDetention); the date of death for those who died in
// custody.
func (c *Calendar) Events(p *pack.Person, within int) []Event {
	var out []Event
	today := c.Date
	held := pack.IsDetention(p.Status)
	if md, ok := ParseMonthDay(p.Born); ok && held {
		if on, in := md.Next(today); in <= within {
			out = append(out, Event{Kind: Birthday, On: on, In: in})
		}
	}
	arrested, ok := ParseDate(p.Arrested)
	if ok && held {
		day := today.Since(arrested) + 1 // the arrest day is day 1
		n := FirstMilestone
		if day > n {
			n += (day - n + MilestoneStep - 1) / MilestoneStep * MilestoneStep
		}
		if in := n - day; in <= within {
			out = append(out, Event{Kind: Milestone, On: today.AddDays(in), In: in, Count: n})
		}
		if e, ok := anniversary(ArrestAnniversary, arrested, today, within); ok {
			out = append(out, e)
		}
	}
	if died, ok := ParseDate(p.Died); ok && pack.IsMemorial(p.Status) {
		if e, ok := anniversary(Remembered, died, today, within); ok {
			out = append(out, e)
		}
	}
	return out
}

// anniversary is the next anniversary of since from today, when it is
// within days and at least a year after since (a death on this very day
// is remembered too).
func anniversary(k Kind, since, today Date, within int) (Event, bool) {
	on, in := MonthDay{since.Month, since.Day}.Next(today)
	years := on.Year - since.Year
	if in > within || years < 0 || (years == 0 && k != Remembered) {
		return Event{}, false
	}
	return Event{Kind: k, On: on, In: in, Count: years}, true
}

// BirthdayThisMonth is p's birthday when it falls in the calendar's month
// (before or after today), for people held.
func (c *Calendar) BirthdayThisMonth(p *pack.Person) (Date, bool) {
	md, ok := ParseMonthDay(p.Born)
	if !ok || !pack.IsDetention(p.Status) {
		return Date{}, false
	}
	on := md.In(c.Date.Year)
	return on, on.Month == c.Date.Month
}

// Week is how many days "this week" looks ahead of today: the next six.
const Week = 6

// MaxMultiplier bounds how much more often the calendar shows anyone.
const MaxMultiplier = 3

// Multiplier is how much more often the person of pack packID is shown
// on the calendar's date: MaxMultiplier with an event today, when a
// pack's day features them, or for a woman on 8 March; 2 with an event in
// the next six days; 1 otherwise. Factors do not multiply: the largest
// one counts, so nobody exceeds MaxMultiplier × their pack weight.
func (c *Calendar) Multiplier(packID string, p *pack.Person) float64 {
	if c.Leads(packID, p) {
		return MaxMultiplier
	}
	events := c.Events(p, Week)
	for _, e := range events {
		if e.In == 0 {
			return MaxMultiplier
		}
	}
	if len(events) > 0 {
		return 2
	}
	return 1
}

// Leads reports whether the person opens the show's rounds today: a woman
// (gender "female" in the pack, never guessed from a name) on 8 March,
// or someone a pack's day features.
func (c *Calendar) Leads(packID string, p *pack.Person) bool {
	return (c.Is(WomensDay) && p.Gender == pack.GenderFemale) || c.Featured(packID, p.ID)
}

// Postcard is one person for the postcard hour.
type Postcard struct {
	PackID string
	Person *pack.Person
	On     Date // the birthday
	In     int  // days until it; 0 today
}

// Postcards are the people among packs whose birthday falls from today to
// the end of next month, nearest first (then by pack and person id): the
// people a letter-writing evening writes cards to. Only people held, and
// not those held incommunicado (contact "none"), whom no card reaches.
// Birthdays earlier this month are left out: a card would come a year
// early or weeks late.
func (c *Calendar) Postcards(packs ...*pack.Manifest) []Postcard {
	end := Date{c.Date.Year, c.Date.Month + 2, 1}.AddDays(-1) // normalised by AddDays: the last of next month
	var out []Postcard
	for _, m := range packs {
		for i := range m.People {
			p := &m.People[i]
			md, ok := ParseMonthDay(p.Born)
			if !ok || !pack.IsDetention(p.Status) || p.Contact == pack.ContactNone {
				continue
			}
			on, in := md.Next(c.Date)
			if on.Since(end) > 0 {
				continue
			}
			out = append(out, Postcard{PackID: m.ID, Person: p, On: on, In: in})
		}
	}
	sortPostcards(out)
	return out
}

// Stale reports whether m's review_by date has passed on d: its details
// may be out of date and its postal addresses are hidden.
func Stale(m *pack.Manifest, d Date) bool {
	return m.ReviewBy != "" && m.ReviewBy < d.String()
}
