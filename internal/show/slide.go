package show

import (
	"strings"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/calendar"
	"github.com/solidarity-kiosk/kiosk/internal/i18n"
	"github.com/solidarity-kiosk/kiosk/internal/linkhost"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// Entry is one person of one installed pack.
type Entry struct {
	PackID   string
	Demo     bool
	Manifest *pack.Manifest
	Person   *pack.Person
	Weight   float64
	Photo    *store.Photo // nil: the silhouette
}

// Target is one QR code: where it leads and how it is labelled.
type Target struct {
	Label  string // "Write a letter"
	URL    string // encoded in the QR code
	Domain string // printed under it, so a visitor sees where it goes
}

// Slide is everything one spotlight slide shows, in one language.
type Slide struct {
	Entry       Entry
	Name        string // in the caption language
	NativeName  string // in the person's own script, when it differs
	Country     string // the country's name
	Status      string // the pack status value
	StatusLine  string // "In custody · day 1,012 behind bars"
	Days        int    // days behind bars, or 0 when not counted
	Charges     string
	Sentence    string
	Occupation  string
	Bio         string
	SmallPrint  string // source and verified date
	Letter      *Target
	Petition    *Target
	LetterRules string
	LettersWord string   // "Letters:", before the rules
	Notices     []string // contact, freshness (once), birthday, the person's day today
	Memoriam    bool
	// DayTitle is the title of the day when it is one that matters (21
	// May, 8 March, the pack's own day), "" on other days.
	DayTitle string
	// Stale is true when the pack's review_by has passed: the slide says
	// once that details may be out of date, and shows no postal address.
	Stale bool
	// Lifespan is "born – died" for a person remembered, where the dates are
	// known ("" otherwise).
	Lifespan string
	// Postcard holds the postcard hour's facts; nil outside it.
	Postcard *PostcardFacts
}

// PostcardFacts are what a slide of the postcard hour adds: when the
// birthday is and where a card goes.
type PostcardFacts struct {
	Birthday  string // the day and month, in the caption language
	DaysUntil int    // 0 on the birthday itself
	When      string // "Birthday in 14 days, on 24 December", or "Birthday today: …"
	// Letter is the letter code (the slide's Letter): nil when the person
	// is held incommunicado or has none.
	Letter *Target
	// Address is the facility's postal address, verbatim: only with the
	// person's address consent, never once the pack's review_by has
	// passed, never for someone held incommunicado.
	Address      string
	AddressLabel string // "Address for cards:", when there is an address
	LetterRules  string // the country's rules for letters (the slide's LetterRules)
}

// nativeLangs are the languages whose script a country's names are written in.
var nativeLangs = map[string][]string{"BY": {"be", "ru"}, "RU": {"ru"}, "IR": {"fa"}, "UA": {"uk"}, "AZ": {"az"}, "GE": {"ka"}}

// Moment is what a slide is built for: the time its counts are taken at,
// the calendar of the day it decides from, and whether it is the postcard
// hour's.
type Moment struct {
	// Now is the kiosk's local time; screens in step pass the start of
	// the slot, so that every screen of the row decides the same day.
	Now time.Time
	// Calendar is the day's calendar over every pack shown; nil: the
	// calendar of Now's date over the entry's own pack.
	Calendar *calendar.Calendar
	// Postcard fills Slide.Postcard (the postcard hour).
	Postcard bool
}

// Build computes the slide for e in the language of w at now (the kiosk's
// local time). The person's texts come in that language when the pack has
// it, else as PACK-FORMAT.md says; the kiosk's own words come from w.
func Build(e Entry, w *i18n.Words, now time.Time) Slide {
	return BuildAt(e, w, Moment{Now: now})
}

// BuildAt is Build at a Moment: with the day's title, the person's events
// today, the pack's freshness and, in the postcard hour, the postcard facts.
func BuildAt(e Entry, w *i18n.Words, at Moment) Slide {
	now, cal := at.Now, at.Calendar
	if cal == nil {
		cal = calendar.New(calendar.DateOf(now), e.Manifest)
	}
	m, p := e.Manifest, e.Person
	get := func(t pack.Text) string { return t.Get(w.Lang, m.Languages) }
	s := Slide{Entry: e, Name: get(p.Name), Status: p.Status, Sentence: get(p.Sentence), Occupation: get(p.Occupation), Bio: get(p.Bio)}
	s.NativeName = nativeName(p, w.Lang, s.Name)
	s.Country = w.Country(p.Country)
	s.StatusLine, s.Days = statusLine(p, w, now)
	s.Memoriam = pack.IsMemorial(p.Status)
	if s.Memoriam && p.Born != "" && p.Died != "" {
		s.Lifespan = w.Date(p.Born) + " – " + w.Date(p.Died)
	}
	s.Charges = charges(p, w, get)
	s.SmallPrint = smallPrint(p, w)
	s.Letter, s.Petition = targets(e, w, s.Name)
	s.LetterRules = letterRules(m, p.Country, w, get)
	s.LettersWord = w.T("letters.prefix", nil)
	s.Stale = calendar.Stale(m, cal.Date)
	s.Notices = notices(e, w, now, cal)
	s.DayTitle = cal.Title(w, e.PackID)
	if at.Postcard {
		s.Postcard = postcard(s, w, cal)
	}
	return s
}

// postcard is the postcard hour's facts for the slide s; nil when the
// person has no birthday on record.
func postcard(s Slide, w *i18n.Words, cal *calendar.Calendar) *PostcardFacts {
	p := s.Entry.Person
	md, ok := calendar.ParseMonthDay(p.Born)
	if !ok {
		return nil
	}
	on, in := md.Next(cal.Date)
	f := &PostcardFacts{
		Birthday: w.DayMonth(on.Midnight(time.UTC)), DaysUntil: in,
		Letter: s.Letter, LetterRules: s.LetterRules,
	}
	if in == 0 {
		f.When = w.T("notice.birthday_today", nil)
	} else {
		f.When = w.N("postcard.days_until", in, map[string]any{"Days": w.Int(int64(in)), "Date": f.Birthday})
	}
	if p.Facility != nil && p.Facility.Address != "" && p.Consent.AddressAllowed() && !s.Stale && p.Contact != pack.ContactNone {
		f.Address = p.Facility.Address
		f.AddressLabel = w.T("postcard.address", nil)
	}
	return f
}

// nativeName is the name in the person's own script, shown under the
// caption's name: none when the caption already is in one of the
// country's languages (a Belarusian caption needs no Russian spelling).
func nativeName(p *pack.Person, lang, shown string) string {
	for _, l := range nativeLangs[p.Country] {
		if l == lang {
			return ""
		}
	}
	for _, l := range nativeLangs[p.Country] {
		if n := p.Name[l]; n != "" && n != shown {
			return n
		}
	}
	return ""
}

// DaysBehindBars counts the arrest day as day 1, in the kiosk's local
// calendar: 0 (no counter) before the arrest day, or for a date that does
// not parse. It is exact for any date, never saturating.
func DaysBehindBars(arrested string, now time.Time) int {
	a, ok := calendar.ParseDate(arrested)
	if !ok {
		return 0
	}
	return max(calendar.DateOf(now).Since(a)+1, 0)
}

func statusLine(p *pack.Person, w *i18n.Words, now time.Time) (string, int) {
	days := 0
	if pack.IsDetention(p.Status) && p.Arrested != "" {
		days = DaysBehindBars(p.Arrested, now)
	}
	counter := func(key string) string {
		if days <= 0 {
			return ""
		}
		return " · " + w.N(key, days, map[string]any{"Days": w.Int(int64(days))})
	}
	info, _ := pack.StatusOf(p.Status)
	words := func(key string, data map[string]any) string { return gendered(w, key, p.Gender, data) }
	if info.Counter != "" {
		return words(info.Wording, nil) + counter(info.Counter), days
	}
	if info.Dated != "" {
		if d := info.Date(p); d != "" {
			return words(info.Dated, map[string]any{"Date": w.Date(d)}), 0
		}
	}
	return words(info.Wording, nil), 0
}

// gendered is the wording of key in the person's grammatical gender
// (key.female, key.male) where the kiosk has one, else the wording that
// needs none.
func gendered(w *i18n.Words, key, gender string, data map[string]any) string {
	if gender != "" {
		if t := w.T(key+"."+gender, data); t != "" {
			return t
		}
	}
	return w.T(key, data)
}

func charges(p *pack.Person, w *i18n.Words, get func(pack.Text) string) string {
	var parts []string
	for _, c := range p.Charges {
		label := get(c.Label)
		art := ""
		if c.Code != "" {
			art = w.T("charges.article", map[string]any{"Code": c.Code})
		}
		parts = append(parts, strings.TrimSpace(art+" "+label))
	}
	return strings.Join(parts, " · ")
}

func smallPrint(p *pack.Person, w *i18n.Words) string {
	var parts []string
	if p.Source != nil && p.Source.Name != "" {
		parts = append(parts, w.T("small.source", map[string]any{"Name": p.Source.Name}))
	}
	if p.Verified != "" {
		parts = append(parts, w.T("small.verified", map[string]any{"Date": w.Date(p.Verified)}))
	}
	if p.PhotoCredit != "" && p.Photo != "" {
		parts = append(parts, w.T("small.photo", map[string]any{"Credit": p.PhotoCredit}))
	}
	return strings.Join(parts, " · ")
}

// targets picks the two QR targets: a letter and a petition for those
// held; for those released, a donation or their profile; for those who died
// in custody, their profile ("Remember NAME"). Only links that pass the link
// policy are ever returned; no letter QR for someone held incommunicado,
// released or dead. When a person held has no code at all, the pack's first
// action stands in, so no screen is left without a way to act.
func targets(e Entry, w *i18n.Words, name string) (letter, petition *Target) {
	m, p := e.Manifest, e.Person
	ok := func(u string) bool { return pack.LinkProblem(u, m.AllowedLinkHosts) == "" }
	target := func(key, u string) *Target {
		return &Target{Label: w.T(key, map[string]any{"Name": name}), URL: u, Domain: linkhost.Display(u)}
	}
	link := func(kind string) string {
		for _, l := range p.Links {
			if l.Kind == kind && ok(l.URL) {
				return l.URL
			}
		}
		return ""
	}
	switch {
	case pack.IsMemorial(p.Status):
		if u := link("profile"); u != "" {
			return nil, target("qr.remember", u)
		}
		return nil, nil
	case p.Status == pack.StatusReleased:
		if u := link("donate"); u != "" {
			return nil, target("qr.support", u)
		}
		if u := link("profile"); u != "" {
			return nil, target("qr.profile", u)
		}
		return nil, nil
	}
	if u := link("letter"); u != "" && p.Contact != pack.ContactNone {
		letter = target("qr.letter", u)
	}
	if u := link("petition"); u != "" {
		petition = target("qr.petition", u)
	}
	for _, a := range m.Actions {
		if petition == nil && a.Kind == "petition" && ok(a.URL) {
			petition = target("qr.petition", a.URL)
		}
	}
	if letter == nil && petition == nil {
		for _, a := range m.Actions {
			if ok(a.URL) {
				return nil, target("qr.more", a.URL)
			}
		}
	}
	return letter, petition
}

// letterRules is the pack's note for the country, else the built-in one,
// in the caption language when there is one.
func letterRules(m *pack.Manifest, country string, w *i18n.Words, get func(pack.Text) string) string {
	if r, ok := m.LetterRules[country]; ok {
		if n := get(r.Note); n != "" {
			return n
		}
	}
	if _, ok := i18n.BuiltinLetterRule(country); ok {
		return w.T("rules."+country, nil)
	}
	return ""
}

func notices(e Entry, w *i18n.Words, now time.Time, cal *calendar.Calendar) []string {
	m, p := e.Manifest, e.Person
	var out []string
	switch {
	case e.Photo != nil:
	case !p.Consent.PhotoAllowed():
		out = append(out, w.T("notice.no_photo_consent", nil))
	case p.Photo == "":
		out = append(out, w.T("notice.no_photo", nil))
	}
	switch {
	case pack.IsMemorial(p.Status), p.Status == pack.StatusReleased:
	case p.Contact == pack.ContactNone:
		out = append(out, w.T("notice.contact_none", nil))
	case p.Contact == pack.ContactRestricted:
		out = append(out, w.T("notice.contact_restricted", nil))
	}
	if d, ok := BirthdaySoon(p.Born, w, now); ok && pack.IsDetention(p.Status) {
		out = append(out, d)
	}
	out = append(out, cal.Notices(p, w)...)
	if calendar.Stale(m, cal.Date) { // once per slide, never per line
		out = append(out, w.T("notice.out_of_date", nil))
	}
	return out
}

// BirthdaySoon says "Birthday today" or "Birthday on 2 March" when the
// birthday falls within the next 7 days (a 29 February birthday on 28
// February in a common year, as the calendar keeps it).
func BirthdaySoon(born string, w *i18n.Words, now time.Time) (string, bool) {
	md, ok := calendar.ParseMonthDay(born)
	if !ok || len(born) == 4 {
		return "", false
	}
	on, in := md.Next(calendar.DateOf(now))
	switch {
	case in == 0:
		return w.T("notice.birthday_today", nil), true
	case in <= calendar.Week:
		return w.T("notice.birthday_on", map[string]any{"Date": w.DayMonth(on.Midnight(time.UTC))}), true
	}
	return "", false
}
