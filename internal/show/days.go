package show

import (
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/calendar"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

// Manifests are the packs of entries, each once, in the order they come.
func Manifests(entries []Entry) []*pack.Manifest {
	seen := map[*pack.Manifest]bool{}
	var out []*pack.Manifest
	for _, e := range entries {
		if e.Manifest != nil && !seen[e.Manifest] {
			seen[e.Manifest] = true
			out = append(out, e.Manifest)
		}
	}
	return out
}

// Calendar is the calendar of date over the packs of entries.
func Calendar(entries []Entry, date calendar.Date) *calendar.Calendar {
	return calendar.New(date, Manifests(entries)...)
}

// Weigh gives each entry its weight on the calendar's day: the person's
// pack weight times the calendar's multiplier, so never above 3× the pack
// weight (weights already set are not compounded). It returns new
// entries; entries is unchanged.
func Weigh(entries []Entry, cal *calendar.Calendar) []Entry {
	out := make([]Entry, len(entries))
	for i, e := range entries {
		out[i] = e
		if e.Person != nil {
			out[i].Weight = e.Person.EffectiveWeight() * cal.Multiplier(e.PackID, e.Person)
		}
	}
	return out
}

// Leads is the calendar's choice of who opens each round of the playlist
// (women on 8 March, the people a pack's day features), for Playlist.Lead.
func Leads(cal *calendar.Calendar) func(Entry) bool {
	return func(e Entry) bool { return e.Person != nil && cal.Leads(e.PackID, e.Person) }
}

// Postcards are the entries of the postcard hour on the calendar's day:
// people held whose birthday falls from today to the end of next month,
// nearest first (calendar.Postcards says who and why).
func Postcards(entries []Entry, cal *calendar.Calendar) []Entry {
	byPerson := map[*pack.Person]Entry{}
	for _, e := range entries {
		byPerson[e.Person] = e
	}
	var out []Entry
	for _, pc := range cal.Postcards(Manifests(entries)...) {
		if e, ok := byPerson[pc.Person]; ok {
			out = append(out, e)
		}
	}
	return out
}

// Date is the calendar day slot k decides from in loc (the kiosk's
// local time): the date of the slot's start, so that every screen of the
// row, whatever its clock says while it draws, decides the same day.
func (s *Sync) Date(k int64, loc *time.Location) calendar.Date {
	start, _ := s.Bounds(k)
	return calendar.SlotDate(start.In(loc))
}
