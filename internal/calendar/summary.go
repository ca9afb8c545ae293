package calendar

import (
	"cmp"
	"slices"
	"strings"

	"github.com/solidarity-kiosk/kiosk/internal/i18n"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

func sortPostcards(ps []Postcard) {
	slices.SortStableFunc(ps, func(a, b Postcard) int {
		return cmp.Or(cmp.Compare(a.In, b.In), cmp.Compare(a.PackID, b.PackID), cmp.Compare(a.Person.ID, b.Person.ID))
	})
}

// Summary is the calendar's line for the operator panel, in w's
// language: "Today: 21 May, Day of Solidarity with Political Prisoners of
// Belarus; 4 birthdays this week". Birthdays count the people of packs
// held whose birthday is today or in the next six days.
func (c *Calendar) Summary(w *i18n.Words, packs ...*pack.Manifest) string {
	date := w.DayMonth(c.Date.noon())
	line := w.T("calendar.today", map[string]any{"Date": date})
	if t := c.Title(w, ""); t != "" {
		line = w.T("calendar.today_day", map[string]any{"Date": date, "Title": t})
	}
	n := 0
	for _, m := range packs {
		for i := range m.People {
			for _, e := range c.Events(&m.People[i], Week) {
				if e.Kind == Birthday {
					n++
				}
			}
		}
	}
	if n > 0 {
		line += "; " + w.N("calendar.birthdays_week", n, map[string]any{"Count": w.Int(int64(n))})
	}
	return line
}

// StalePack is a pack whose review_by date has passed.
type StalePack struct {
	ID       string
	Title    string // in the language asked for
	ReviewBy string // ISO date
}

// Line is the pack's line for the operator panel (shown in red):
// "Women political prisoners of Belarus: review by 20 August 2024 has
// passed; details may be out of date".
func (s StalePack) Line(w *i18n.Words) string {
	return w.T("panel.stale", map[string]any{"Pack": s.Title, "Date": w.Date(s.ReviewBy)})
}

// StalePacks lists the packs among packs whose review_by has passed on
// the calendar's date, titled in w's language.
func (c *Calendar) StalePacks(w *i18n.Words, packs ...*pack.Manifest) []StalePack {
	var out []StalePack
	for _, m := range packs {
		if Stale(m, c.Date) {
			title := m.Title.Get(w.Lang, m.Languages)
			if title == "" {
				title = m.ID
			}
			out = append(out, StalePack{ID: m.ID, Title: title, ReviewBy: m.ReviewBy})
		}
	}
	return out
}

// Notices are the lines a slide of p shows for its events today, in w's
// language: 1,000 days behind bars, the anniversary of the arrest, the
// date of death remembered, and a birthday later this month (a birthday
// within the week has its own line on the slide).
func (c *Calendar) Notices(p *pack.Person, w *i18n.Words) []string {
	var out []string
	for _, e := range c.Events(p, 0) {
		switch e.Kind {
		case Milestone:
			out = append(out, w.T("notice.milestone", map[string]any{"Days": w.Int(int64(e.Count))}))
		case ArrestAnniversary:
			out = append(out, w.N("notice.arrest_anniversary", e.Count, map[string]any{"Years": w.Int(int64(e.Count))}))
		case Remembered:
			out = append(out, w.T("notice.remembered", map[string]any{"Date": w.Date(p.Died)}))
		}
	}
	if on, ok := c.BirthdayThisMonth(p); ok && on.Since(c.Date) > Week {
		out = append(out, w.T("notice.birthday_month", map[string]any{"Date": w.DayMonth(on.noon())}))
	}
	return slices.DeleteFunc(out, func(s string) bool { return strings.TrimSpace(s) == "" })
}
