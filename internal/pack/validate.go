package pack

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Text limits, in characters. The format fixes sentence, occupation and bio;
// the others are the kiosk's (docs/PACK-DECISIONS.md).
const (
	maxName       = 200
	maxTitle      = 200
	maxLabel      = 300
	maxNote       = 1000
	maxSentence   = 200
	maxOccupation = 300
	maxBio        = 2000
	maxCode       = 32
	maxAddress    = 1000
	maxShort      = 300
)

// Enumerations.
var (
	statuses    = set(StatusKeys()...)
	contacts    = set(ContactOpen, ContactRestricted, ContactNone)
	linkKinds   = set("letter", "petition", "profile", "donate", "other")
	actionKinds = set("petition", "donate", "event", "letter", "other")
)

func set(vals ...string) map[string]bool {
	m := map[string]bool{}
	for _, v := range vals {
		m[v] = true
	}
	return m
}

// latestDate is the last date that is not "in the future" anywhere on Earth
// at now: today in UTC+14.
func latestDate(now time.Time) string {
	return now.In(time.FixedZone("UTC+14", 14*3600)).Format(time.DateOnly)
}

// Validate checks every rule of the pack format and returns every problem,
// listing at most MaxProblems of them (see Problems.Capped).
func (m *Manifest) Validate(now time.Time) Problems {
	return m.validate(context.Background(), now)
}

// validate is Validate that stops, saying so, once ctx is done.
func (m *Manifest) validate(ctx context.Context, now time.Time) Problems {
	v := &validator{ctx: ctx, m: m, latest: latestDate(now), tags: map[string]bool{}}
	v.pack()
	v.stats()
	v.actions()
	v.letterRules()
	v.files()
	v.people()
	v.days()
	if v.more > 0 {
		v.probs = append(v.probs, Problem{Index: -1, More: v.more})
	}
	return v.probs
}

type validator struct {
	ctx    context.Context
	tags   map[string]bool // language tags already parsed: valid or not
	m      *Manifest
	latest string
	probs  Problems
	more   int // problems past MaxProblems, counted only
}

func (v *validator) add(field, msg string) {
	if msg != "" {
		v.record(problemf(field, "%s", msg))
	}
}

// record keeps p, or only counts it past MaxProblems.
func (v *validator) record(p Problem) {
	if len(v.probs) >= MaxProblems {
		v.more++
		return
	}
	v.probs = append(v.probs, p)
}

func (v *validator) pack() {
	m := v.m
	if m.Format != Format {
		v.add("format", fmt.Sprintf("unsupported pack format %d (this kiosk reads format %d)", m.Format, Format))
	}
	v.add("id", checkID(m.ID))
	v.add("version", required(m.Version == "", checkString(m.Version, 100)))
	v.add("title", required(m.Title.empty(), v.text(m.Title, maxTitle)))
	v.add("publisher.name", required(m.Publisher.Name == "", checkString(m.Publisher.Name, maxShort)))
	if m.Publisher.URL != "" {
		v.add("publisher.url", checkURL(m.Publisher.URL, false))
	}
	v.add("published", required(m.Published == "", checkDate(m.Published, v.latest)))
	if m.ReviewBy != "" {
		v.add("review_by", checkDate(m.ReviewBy, ""))
	}
	if len(m.Languages) == 0 {
		v.add("languages", "missing: list at least one language, e.g. [\"en\"]")
	}
	for i, l := range m.Languages {
		v.add(fmt.Sprintf("languages[%d]", i), checkLang(l))
	}
	for i, h := range m.AllowedLinkHosts {
		if h == "" || checkURL("https://"+h+"/", true) != "" || mustParse("https://"+h+"/").Host != h {
			v.add(fmt.Sprintf("allowed_link_hosts[%d]", i), fmt.Sprintf("%q is not a host name like example.org", h))
		}
	}
}

// required returns "missing" when absent, else msg.
func required(absent bool, msg string) string {
	if absent {
		return "missing"
	}
	return msg
}

func (v *validator) stats() {
	for i, s := range v.m.Stats {
		f := fmt.Sprintf("stats[%d]", i)
		v.add(f+".label", required(s.Label.empty(), v.text(s.Label, maxLabel)))
		v.add(f+".as_of", required(s.AsOf == "", checkDate(s.AsOf, v.latest)))
		v.add(f+".source", required(s.Source == "", checkString(s.Source, maxShort)))
		if s.SourceURL != "" {
			v.add(f+".source_url", checkURL(s.SourceURL, false))
		}
	}
}

func (v *validator) actions() {
	for i, a := range v.m.Actions {
		f := fmt.Sprintf("actions[%d]", i)
		if !actionKinds[a.Kind] {
			v.add(f+".kind", fmt.Sprintf("%q is not one of petition, donate, event, letter, other", a.Kind))
		}
		v.add(f+".url", required(a.URL == "", checkLink(a.URL, v.m.AllowedLinkHosts)))
		v.add(f+".label", v.text(a.Label, maxLabel))
	}
}

// maxDayTitle is the longest title of a day, in characters.
const maxDayTitle = 120

// days checks the pack's own days: a date every year (--MM-DD) or once
// (YYYY-MM-DD, in the past or the future), a title, and people of the pack.
func (v *validator) days() {
	ids := make(map[string]bool, len(v.m.People))
	for _, p := range v.m.People {
		ids[p.ID] = true
	}
	for i, d := range v.m.Days {
		f := fmt.Sprintf("days[%d]", i)
		date := ""
		switch {
		case d.Date == "":
			date = "missing"
		case strings.HasPrefix(d.Date, "--"):
			if t, err := time.Parse(time.DateOnly, "2000"+d.Date[1:]); err != nil || t.Format("--01-02") != d.Date {
				date = fmt.Sprintf("%q is not a day of the year (want --MM-DD, or YYYY-MM-DD for one date)", d.Date)
			}
		case !isDate(d.Date):
			date = fmt.Sprintf("%q is not a date (want --MM-DD every year, or YYYY-MM-DD)", d.Date)
		default:
			date = checkDate(d.Date, "")
		}
		v.add(f+".date", date)
		v.add(f+".title", required(d.Title.empty(), v.text(d.Title, maxDayTitle)))
		for j, id := range d.People {
			if !ids[id] {
				v.add(fmt.Sprintf("%s.people[%d]", f, j), fmt.Sprintf("%q is not a person of this pack", clip(id, 100)))
			}
		}
	}
}

func (v *validator) letterRules() {
	for _, country := range sortedKeys(v.m.LetterRules) {
		r := v.m.LetterRules[country]
		f := "letter_rules." + country
		v.add(f, checkCountry(country))
		for i, l := range r.Languages {
			v.add(fmt.Sprintf("%s.languages[%d]", f, i), checkLang(l))
		}
		v.add(f+".note", v.text(r.Note, maxNote))
	}
}

func (v *validator) files() {
	for _, name := range sortedKeys(v.m.Files) {
		h := v.m.Files[name]
		f := "files." + name
		v.add(f, checkPackPath(name))
		if !hashPattern.MatchString(h) {
			v.add(f, fmt.Sprintf("%q must be sha256: followed by 64 lowercase hex digits", h))
		}
	}
}
