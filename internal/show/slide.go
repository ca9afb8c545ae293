package show

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"

	"github.com/solidarity-kiosk/kiosk/internal/i18n"
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
	Notices     []string // contact, freshness, birthday
	Memoriam    bool
}

// nativeLangs are the languages whose script a country's names are written in.
var nativeLangs = map[string][]string{"BY": {"be", "ru"}, "RU": {"ru"}, "IR": {"fa"}, "UA": {"uk"}, "AZ": {"az"}, "GE": {"ka"}}

// Build computes the slide for e in lang at now (the kiosk's local time).
func Build(e Entry, lang string, now time.Time) Slide {
	m, p := e.Manifest, e.Person
	get := func(t pack.Text) string { return t.Get(lang, m.Languages) }
	s := Slide{Entry: e, Name: get(p.Name), Status: p.Status, Sentence: get(p.Sentence), Occupation: get(p.Occupation), Bio: get(p.Bio)}
	for _, l := range nativeLangs[p.Country] {
		if n := p.Name[l]; n != "" && n != s.Name {
			s.NativeName = n
			break
		}
	}
	if r, err := language.ParseRegion(p.Country); err == nil {
		s.Country = display.English.Regions().Name(r)
	}
	s.StatusLine, s.Days = statusLine(p, now)
	s.Memoriam = p.Status == pack.StatusDiedInCustody
	s.Charges = charges(p, get)
	s.SmallPrint = smallPrint(p)
	s.Letter, s.Petition = targets(e, get)
	s.LetterRules = letterRules(m, p.Country, get)
	s.Notices = notices(e, now)
	return s
}

var printer = message.NewPrinter(language.English)

// DaysBehindBars counts the arrest day as day 1, in the kiosk's local calendar.
func DaysBehindBars(arrested string, now time.Time) int {
	a, err := time.ParseInLocation(time.DateOnly, arrested, now.Location())
	if err != nil {
		return 0
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	days := int(today.Sub(a).Hours()/24+0.5) + 1
	return max(days, 0)
}

func statusLine(p *pack.Person, now time.Time) (string, int) {
	days := 0
	if pack.IsDetention(p.Status) && p.Arrested != "" {
		days = DaysBehindBars(p.Arrested, now)
	}
	counter := ""
	if days > 0 {
		counter = printer.Sprintf(" · day %d behind bars", days)
	}
	switch p.Status {
	case pack.StatusInCustody:
		return "In custody" + counter, days
	case pack.StatusPretrial:
		return "In pre-trial detention" + counter, days
	case pack.StatusHouseArrest:
		return "Under house arrest" + strings.Replace(counter, "behind bars", "of detention", 1), days
	case pack.StatusReleased:
		if p.Released != "" {
			return "Released on " + HumanDate(p.Released), 0
		}
		return "Released", 0
	case pack.StatusDiedInCustody:
		line := "In memoriam · died in custody"
		if p.Died != "" {
			line += " on " + HumanDate(p.Died)
		}
		return line, 0
	}
	return "Status unknown", 0
}

// HumanDate writes 2024-05-20 as 20 May 2024.
func HumanDate(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return t.Format("2 January 2006")
}

func charges(p *pack.Person, get func(pack.Text) string) string {
	var parts []string
	for _, c := range p.Charges {
		label := get(c.Label)
		switch {
		case c.Code != "" && label != "":
			parts = append(parts, fmt.Sprintf("Art. %s %s", c.Code, label))
		case label != "":
			parts = append(parts, label)
		case c.Code != "":
			parts = append(parts, "Art. "+c.Code)
		}
	}
	return strings.Join(parts, " · ")
}

func smallPrint(p *pack.Person) string {
	var parts []string
	if p.Source != nil && p.Source.Name != "" {
		parts = append(parts, "Source: "+p.Source.Name)
	}
	if p.Verified != "" {
		parts = append(parts, "verified "+HumanDate(p.Verified))
	}
	if p.PhotoCredit != "" && p.Photo != "" {
		parts = append(parts, "photo: "+p.PhotoCredit)
	}
	return strings.Join(parts, " · ")
}

// targets picks the letter and petition QR targets. Only links that pass
// the link policy are ever returned; no letter QR for someone held
// incommunicado or who died in custody.
func targets(e Entry, get func(pack.Text) string) (letter, petition *Target) {
	m, p := e.Manifest, e.Person
	ok := func(u string) bool { return pack.LinkProblem(u, m.AllowedLinkHosts) == "" }
	for _, l := range p.Links {
		switch {
		case l.Kind == "letter" && letter == nil && ok(l.URL):
			letter = &Target{Label: "Write a letter", URL: l.URL, Domain: domain(l.URL)}
		case l.Kind == "petition" && petition == nil && ok(l.URL):
			petition = &Target{Label: "Sign the petition", URL: l.URL, Domain: domain(l.URL)}
		}
	}
	if petition == nil {
		for _, a := range m.Actions {
			if a.Kind == "petition" && ok(a.URL) {
				petition = &Target{Label: "Sign the petition", URL: a.URL, Domain: domain(a.URL)}
				break
			}
		}
	}
	if p.Contact == pack.ContactNone || p.Status == pack.StatusDiedInCustody {
		letter = nil
	}
	return letter, petition
}

func domain(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(p.Hostname()), "www.")
}

func letterRules(m *pack.Manifest, country string, get func(pack.Text) string) string {
	if r, ok := m.LetterRules[country]; ok {
		if n := get(r.Note); n != "" {
			return n
		}
	}
	if r, ok := i18n.BuiltinLetterRule(country); ok {
		return r.Note
	}
	return ""
}

func notices(e Entry, now time.Time) []string {
	m, p := e.Manifest, e.Person
	var out []string
	switch {
	case p.Status == pack.StatusDiedInCustody:
	case p.Contact == pack.ContactNone:
		out = append(out, "Held incommunicado: letters are not delivered.")
	case p.Contact == pack.ContactRestricted:
		out = append(out, "Letters often do not arrive, but every one that does matters.")
	}
	if d, ok := BirthdaySoon(p.Born, now); ok && pack.IsDetention(p.Status) {
		out = append(out, d)
	}
	if m.ReviewBy != "" && m.ReviewBy < now.Format(time.DateOnly) {
		out = append(out, "Details may be out of date.")
	}
	return out
}

// BirthdaySoon says "Birthday today" or "Birthday on 2 March" when the
// birthday falls within the next 7 days.
func BirthdaySoon(born string, now time.Time) (string, bool) {
	var md string
	switch {
	case strings.HasPrefix(born, "--") && len(born) == 7:
		md = born[2:]
	case len(born) == 10:
		md = born[5:]
	default:
		return "", false
	}
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	for d := 0; d < 7; d++ {
		day := today.AddDate(0, 0, d)
		if day.Format("01-02") == md {
			if d == 0 {
				return "Birthday today: send a birthday card.", true
			}
			return "Birthday on " + day.Format("2 January") + ": send a birthday card.", true
		}
	}
	return "", false
}

// FormatInt writes n with thousands separators: 1,593.
func FormatInt(n int64) string { return printer.Sprintf("%d", n) }
