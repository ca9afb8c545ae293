package show

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/i18n"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

func manifest(people ...pack.Person) *pack.Manifest {
	return &pack.Manifest{
		ID: "p", Languages: []string{"en", "be"}, People: people,
		AllowedLinkHosts: []string{"example.org"},
		Actions:          []pack.Action{{Kind: "petition", URL: "https://example.org/all"}},
	}
}

func entriesOf(m *pack.Manifest) []Entry {
	var out []Entry
	for i := range m.People {
		out = append(out, Entry{PackID: m.ID, Manifest: m, Person: &m.People[i], Weight: m.People[i].EffectiveWeight()})
	}
	return out
}

func weight(w float64) *float64 { return &w }

func TestPlaylistWeightsAndNoRepeats(t *testing.T) {
	m := manifest(
		pack.Person{ID: "a", Weight: weight(2)},
		pack.Person{ID: "b"},
		pack.Person{ID: "c"},
		pack.Person{ID: "d", Weight: weight(0.5)},
	)
	pl := NewPlaylist(entriesOf(m), 42)
	counts := map[string]int{}
	last := ""
	const n = 11000
	for i := 0; i < n; i++ {
		e, ok := pl.Next()
		if !ok {
			t.Fatal("empty")
		}
		if e.Person.ID == last {
			t.Fatalf("slide %d: %s twice in a row", i, last)
		}
		last = e.Person.ID
		counts[e.Person.ID]++
	}
	// Expected shares: a 2, b 1, c 1, d 0.5 of 4.5.
	for id, want := range map[string]float64{"a": 2 / 4.5, "b": 1 / 4.5, "c": 1 / 4.5, "d": 0.5 / 4.5} {
		got := float64(counts[id]) / n
		if got < want*0.9 || got > want*1.1 {
			t.Errorf("%s shown %.3f of the time, want %.3f ±10%%", id, got, want)
		}
	}
}

func TestPlaylistReshufflesEachRound(t *testing.T) {
	var people []pack.Person
	for i := 0; i < 8; i++ {
		people = append(people, pack.Person{ID: fmt.Sprint(i)})
	}
	pl := NewPlaylist(entriesOf(manifest(people...)), 7)
	round := func() string {
		var ids []string
		for i := 0; i < 8; i++ {
			e, _ := pl.Next()
			ids = append(ids, e.Person.ID)
		}
		return strings.Join(ids, ",")
	}
	first, second := round(), round()
	if first == second {
		t.Fatalf("two rounds in the same order: %s", first)
	}
	for _, r := range []string{first, second} {
		if len(strings.Split(r, ",")) != 8 {
			t.Fatal(r)
		}
		seen := map[string]bool{}
		for _, id := range strings.Split(r, ",") {
			if seen[id] {
				t.Fatalf("round %s shows %s twice while others are missing", r, id)
			}
			seen[id] = true
		}
	}
}

func TestPlaylistPrevAndNext(t *testing.T) {
	pl := NewPlaylist(entriesOf(manifest(pack.Person{ID: "a"}, pack.Person{ID: "b"}, pack.Person{ID: "c"})), 1)
	a, _ := pl.Next()
	b, _ := pl.Next()
	if p, _ := pl.Prev(); p.Person.ID != a.Person.ID {
		t.Fatalf("prev gave %s, want %s", p.Person.ID, a.Person.ID)
	}
	if n, _ := pl.Next(); n.Person.ID != b.Person.ID {
		t.Fatalf("next after prev gave %s, want %s", n.Person.ID, b.Person.ID)
	}
	if _, ok := NewPlaylist(nil, 1).Next(); ok {
		t.Fatal("an empty playlist gave a slide")
	}
	single := NewPlaylist(entriesOf(manifest(pack.Person{ID: "only"})), 1)
	for i := 0; i < 3; i++ {
		if e, ok := single.Next(); !ok || e.Person.ID != "only" {
			t.Fatal("a single person must still be shown")
		}
	}
}

func TestDaysBehindBarsChangesAtMidnight(t *testing.T) {
	loc := time.FixedZone("Minsk", 3*3600)
	before := time.Date(2024, 5, 20, 23, 59, 59, 0, loc)
	after := before.Add(2 * time.Second)
	if d := DaysBehindBars("2024-05-20", before); d != 1 {
		t.Fatalf("arrest day is day %d, want 1", d)
	}
	if d := DaysBehindBars("2024-05-20", after); d != 2 {
		t.Fatalf("day after midnight is day %d, want 2", d)
	}
	// Across a DST change the count still moves by one a day.
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err == nil {
		if d := DaysBehindBars("2024-03-30", time.Date(2024, 4, 1, 12, 0, 0, 0, berlin)); d != 3 {
			t.Fatalf("across DST: day %d, want 3", d)
		}
	}
	if d := DaysBehindBars("2022-03-15", time.Date(2024, 12, 10, 12, 0, 0, 0, time.UTC)); d != 1002 {
		t.Fatalf("got day %d, want 1002", d)
	}
}

func TestSlideForEachStatus(t *testing.T) {
	now := time.Date(2024, 12, 10, 12, 0, 0, 0, time.UTC)
	base := pack.Person{
		ID: "h", Name: pack.Text{"en": "Hanna Ablab", "be": "Ганна Аблаб"}, Country: "BY", Arrested: "2022-03-15",
		Charges: []pack.Charge{{Code: "356", Label: pack.Text{"en": "High treason"}}},
		Links:   []pack.Link{{Kind: "letter", URL: "https://letters.example.org/h"}, {Kind: "petition", URL: "https://example.org/p"}},
	}
	cases := []struct {
		name       string
		edit       func(*pack.Person)
		line       string
		letter     bool
		noticeHave string
	}{
		{"in custody", func(p *pack.Person) { p.Status = "in_custody" }, "In custody · day 1,002 behind bars", true, ""},
		{"pretrial", func(p *pack.Person) { p.Status = "pretrial" }, "In pre-trial detention · day 1,002 behind bars", true, ""},
		{"house arrest", func(p *pack.Person) { p.Status = "house_arrest" }, "Under house arrest · day 1,002 of detention", true, ""},
		{"released", func(p *pack.Person) { p.Status = "released"; p.Released = "2024-09-11" }, "Released on 11 September 2024", false, ""},
		{"died", func(p *pack.Person) { p.Status = "died_in_custody"; p.Died = "2024-01-02" }, "In memoriam · died in custody on 2 January 2024", false, ""},
		{"unknown", func(p *pack.Person) { p.Status = "unknown" }, "Status unknown", true, ""},
		{"incommunicado", func(p *pack.Person) { p.Status = "in_custody"; p.Contact = "none" }, "In custody · day 1,002 behind bars", false, "letters are not delivered"},
		{"restricted", func(p *pack.Person) { p.Status = "in_custody"; p.Contact = "restricted" }, "In custody · day 1,002 behind bars", true, "do not arrive"},
		{"birthday", func(p *pack.Person) { p.Status = "in_custody"; p.Born = "--12-12" }, "In custody · day 1,002 behind bars", true, "Birthday on 12 December"},
		{"link outside allowed hosts never encoded", func(p *pack.Person) {
			p.Status = "in_custody"
			p.Links = []pack.Link{{Kind: "letter", URL: "https://evil.test/x"}, {Kind: "petition", URL: "https://example.org/p"}}
		}, "In custody · day 1,002 behind bars", false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := base
			tc.edit(&p)
			s := Build(Entry{Manifest: manifest(p), Person: &p}, words(t, "en"), now)
			if s.StatusLine != tc.line {
				t.Errorf("status line %q, want %q", s.StatusLine, tc.line)
			}
			if (s.Letter != nil) != tc.letter {
				t.Errorf("letter QR %v, want %v", s.Letter, tc.letter)
			}
			if tc.noticeHave != "" && !strings.Contains(strings.Join(s.Notices, " "), tc.noticeHave) {
				t.Errorf("notices %q lack %q", s.Notices, tc.noticeHave)
			}
			if s.Name != "Hanna Ablab" || s.NativeName != "Ганна Аблаб" || s.Country != "Belarus" {
				t.Errorf("name %q native %q country %q", s.Name, s.NativeName, s.Country)
			}
			held := p.Status != "released" && p.Status != "died_in_custody"
			if held && (s.Petition == nil || s.Petition.URL != "https://example.org/p" || s.Petition.Domain != "example.org") {
				t.Errorf("petition %+v", s.Petition)
			}
			if !held && s.Petition != nil {
				t.Errorf("a petition for the freedom of someone %s: %+v", p.Status, s.Petition)
			}
			if !strings.Contains(s.LetterRules, "Russian or Belarusian") {
				t.Errorf("letter rules %q", s.LetterRules)
			}
			if s.Charges != "Art. 356 High treason" {
				t.Errorf("charges %q", s.Charges)
			}
		})
	}
}

func TestPackPetitionAndLetterRulesOverride(t *testing.T) {
	p := pack.Person{ID: "x", Name: pack.Text{"en": "X"}, Country: "IR", Status: "in_custody"}
	m := manifest(p)
	m.LetterRules = map[string]pack.LetterRule{"IR": {Note: pack.Text{"en": "Only postcards."}}}
	s := Build(Entry{Manifest: m, Person: &m.People[0]}, words(t, "en"), time.Now())
	if s.Petition == nil || s.Petition.URL != "https://example.org/all" {
		t.Fatalf("pack petition not used: %+v", s.Petition)
	}
	if s.LetterRules != "Only postcards." {
		t.Fatalf("pack letter rules not used: %q", s.LetterRules)
	}
}

func TestDominantPersonNeverTwiceInARow(t *testing.T) {
	m := manifest(pack.Person{ID: "a", Weight: weight(10)}, pack.Person{ID: "b"})
	pl := NewPlaylist(entriesOf(m), 3)
	last := ""
	for i := 0; i < 500; i++ {
		e, _ := pl.Next()
		if e.Person.ID == last {
			t.Fatalf("slide %d: %s twice in a row", i, last)
		}
		last = e.Person.ID
	}
}

// words are the kiosk's own words in lang, from the embedded translations.
func words(t testing.TB, lang string) *i18n.Words {
	t.Helper()
	c, err := i18n.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return c.For(lang)
}

func TestCheckModeNamesTheModes(t *testing.T) {
	for _, m := range Modes {
		if err := CheckMode(m); err != nil {
			t.Errorf("%s: %v", m, err)
		}
	}
	err := CheckMode("walls")
	if err == nil || !strings.Contains(err.Error(), "spotlight, wall, mixed") {
		t.Errorf("CheckMode(walls) = %v", err)
	}
}

// TestEveryStatusHasItsWordsInEveryLanguage reads the pack's status table
// as the slides do: each wording, counter and dated wording exists in
// every language the kiosk ships.
func TestEveryStatusHasItsWordsInEveryLanguage(t *testing.T) {
	c, err := i18n.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range c.Languages() {
		w := c.For(lang)
		for _, s := range pack.Statuses {
			if w.T(s.Wording, nil) == "" {
				t.Errorf("%s: %s: no words for %s", lang, s.Key, s.Wording)
			}
			if s.Counter != "" && w.N(s.Counter, 5, map[string]any{"Days": "5"}) == "" {
				t.Errorf("%s: %s: no words for %s", lang, s.Key, s.Counter)
			}
			if s.Dated != "" && (s.Date == nil || w.T(s.Dated, map[string]any{"Date": "1 May"}) == "") {
				t.Errorf("%s: %s: no words or date for %s", lang, s.Key, s.Dated)
			}
			if s.Counter != "" && !s.Detention {
				t.Errorf("%s counts days but is not a detention", s.Key)
			}
		}
	}
	if fmt.Sprint(pack.StatusKeys()) != "[in_custody pretrial house_arrest released died_in_custody unknown]" {
		t.Errorf("status keys %v differ from the pack format's", pack.StatusKeys())
	}
}

// TestStatusesGetTheirOwnCodesAndLines: someone released gets a donation or
// profile code, someone who died in custody a "Remember" code, neither a
// letter or petition; a missing photo says why.
func TestStatusesGetTheirOwnCodesAndLines(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	links := []pack.Link{
		{Kind: "letter", URL: "https://example.org/l"},
		{Kind: "petition", URL: "https://example.org/p"},
		{Kind: "donate", URL: "https://example.org/d"},
		{Kind: "profile", URL: "https://example.org/who"},
	}
	no := false
	cases := []struct {
		status       string
		links        []pack.Link
		consent      *bool
		photo        string
		letter, code string // URLs, "" none
		label        string
		notice       string
	}{
		{"released", links, nil, "photos/a.jpg", "", "https://example.org/d", "Support Ann Example", "No photo is available"},
		{"released", links[3:], nil, "photos/a.jpg", "", "https://example.org/who", "About Ann Example", ""},
		{"released", links[:2], nil, "", "", "", "", "No photo is available."},
		{"died_in_custody", links, &no, "photos/a.jpg", "", "https://example.org/who", "Remember Ann Example", "consent was not given"},
		{"died_in_custody", links[:3], nil, "", "", "", "", ""},
		{"in_custody", links, nil, "", "https://example.org/l", "https://example.org/p", "Sign the petition", "No photo is available."},
	}
	for i, c := range cases {
		p := pack.Person{ID: "a", Name: pack.Text{"en": "Ann Example"}, Country: "BY", Status: c.status, Links: c.links, Photo: c.photo}
		p.Consent.Photo = c.consent
		m := manifest(p)
		m.Actions = nil
		s := Build(Entry{Manifest: m, Person: &m.People[0]}, words(t, "en"), now)
		url := func(t *Target) string {
			if t == nil {
				return ""
			}
			return t.URL
		}
		if url(s.Letter) != c.letter || url(s.Petition) != c.code {
			t.Errorf("case %d (%s): letter %q code %q, want %q %q", i, c.status, url(s.Letter), url(s.Petition), c.letter, c.code)
		}
		if s.Petition != nil && s.Petition.Label != c.label {
			t.Errorf("case %d (%s): label %q, want %q", i, c.status, s.Petition.Label, c.label)
		}
		notices := strings.Join(s.Notices, " ")
		if c.notice != "" && c.photo == "" && !strings.Contains(notices, c.notice) {
			t.Errorf("case %d: notices %q lack %q", i, notices, c.notice)
		}
		if c.consent != nil && !strings.Contains(notices, c.notice) {
			t.Errorf("case %d: notices %q lack %q", i, notices, c.notice)
		}
	}
}

// TestAPersonWithNoCodeGetsThePacksAction: the demo's first screen must not
// be half empty: a person held with no link of their own shows the pack's
// first action.
func TestAPersonWithNoCodeGetsThePacksAction(t *testing.T) {
	p := pack.Person{ID: "x", Name: pack.Text{"en": "X"}, Country: "BY", Status: "in_custody"}
	m := manifest(p)
	m.Actions = []pack.Action{{Kind: "other", URL: "https://example.org/day"}}
	s := Build(Entry{Manifest: m, Person: &m.People[0]}, words(t, "en"), time.Now())
	if s.Letter != nil || s.Petition == nil || s.Petition.URL != "https://example.org/day" || s.Petition.Label != "Learn more" {
		t.Fatalf("letter %+v code %+v", s.Letter, s.Petition)
	}
}

// TestStatusLinesInEveryGenderAndLanguage: every status, with gender
// female, male or none, in every language, reads as a sentence: no
// "(а)"-style slashes; and the languages that mark gender word the two
// differently where they must.
func TestStatusLinesInEveryGenderAndLanguage(t *testing.T) {
	c, err := i18n.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	marked := map[string][]string{ // language → statuses whose line differs by gender
		"be": {"released", "died_in_custody"}, "ru": {"released", "died_in_custody"}, "uk": {"released", "died_in_custody"},
		"pl": {"died_in_custody"}, "lt": {"in_custody", "released", "died_in_custody"},
	}
	for _, lang := range c.Languages() {
		w := c.For(lang)
		for _, st := range pack.StatusKeys() {
			for _, dated := range []bool{false, true} {
				lines := map[string]string{}
				for _, g := range []string{"", pack.GenderFemale, pack.GenderMale} {
					p := pack.Person{ID: "a", Name: pack.Text{"en": "A"}, Country: "BY", Status: st, Gender: g, Arrested: "2022-03-15"}
					if dated {
						p.Released, p.Died = "2024-09-11", "2024-10-01"
					}
					line, _ := statusLine(&p, w, now)
					if line == "" || strings.ContainsAny(line, "()/") {
						t.Errorf("%s %s %q: %q", lang, st, g, line)
					}
					lines[g] = line
				}
				for _, m := range marked[lang] {
					if m == st && lines[pack.GenderFemale] == lines[pack.GenderMale] {
						t.Errorf("%s %s: female and male read the same: %q", lang, st, lines[pack.GenderFemale])
					}
				}
			}
		}
	}
	w := c.For("ru")
	p := pack.Person{Status: "died_in_custody", Died: "2024-01-02", Gender: pack.GenderFemale}
	if got, _ := statusLine(&p, w, now); got != "Памяти · погибла под стражей 2 января 2024 г." {
		t.Errorf("ru, female, died: %q", got)
	}
	p.Gender = ""
	if got, _ := statusLine(&p, w, now); got != "Памяти · гибель под стражей 2 января 2024 г." {
		t.Errorf("ru, no gender, died: %q", got)
	}
}

// TestDaysBehindBarsNeverSaturates: the counter is exact over any span, and
// absent (0) before the arrest day (issue 18: an arrest dated tomorrow gave
// "day 1 behind bars"; one on 0001-01-02 gave "day 106,753").
func TestDaysBehindBarsNeverSaturates(t *testing.T) {
	now := time.Date(2024, 12, 10, 23, 30, 0, 0, time.FixedZone("Minsk", 3*3600))
	for _, c := range []struct {
		arrested string
		want     int
	}{
		{"2024-12-10", 1},
		{"2024-12-09", 2},
		{"2024-12-11", 0},
		{"2025-12-10", 0},
		{"9999-12-31", 0},
		{"1900-01-01", 45635},
		{"0001-01-02", 739229},
		{"not a date", 0},
		{"", 0},
	} {
		if got := DaysBehindBars(c.arrested, now); got != c.want {
			t.Errorf("arrested %q: day %d, want %d", c.arrested, got, c.want)
		}
	}
	p := pack.Person{ID: "x", Name: pack.Text{"en": "X"}, Country: "BY", Status: "in_custody", Arrested: "2024-12-11"}
	if s := Build(Entry{Manifest: manifest(p), Person: &p}, words(t, "en"), now); s.StatusLine != "In custody" || s.Days != 0 {
		t.Errorf("an arrest tomorrow: %q, day %d", s.StatusLine, s.Days)
	}
}

// TestCodesPrintTheHostAVisitorCanTrust: the domain under a code comes from
// linkhost.Display: a host that mixes scripts is printed as punycode, one
// in a single script as written (issue 18: раураl.com read as paypal.com).
func TestCodesPrintTheHostAVisitorCanTrust(t *testing.T) {
	for u, want := range map[string]string{
		"https://раураl.com/letters/x":      "xn--l-7sba6dbr.com",
		"https://www.Example.org/letters/x": "example.org",
		"https://пример.рф/letters/x":       "пример.рф",
		"https://xn--e1afmkfd.xn--p1ai/x":   "пример.рф",
		"https://ｅｘａｍｐｌｅ.org/letters/x":     "example.org",
	} {
		p := pack.Person{ID: "x", Name: pack.Text{"en": "X"}, Country: "BY", Status: "in_custody", Links: []pack.Link{{Kind: "letter", URL: u}}}
		m := manifest(p)
		m.AllowedLinkHosts = nil
		s := Build(Entry{Manifest: m, Person: &m.People[0]}, words(t, "en"), time.Now())
		if s.Letter == nil || s.Letter.URL != u || s.Letter.Domain != want {
			t.Errorf("%s: letter %+v, want the domain %q", u, s.Letter, want)
		}
	}
	// A link with a right-to-left override is never a code.
	p := pack.Person{ID: "x", Name: pack.Text{"en": "X"}, Country: "BY", Status: "in_custody", Links: []pack.Link{{Kind: "letter", URL: "https://\u202egro.elpmaxe\u202c/letter"}}}
	m := manifest(p)
	m.AllowedLinkHosts = nil
	if s := Build(Entry{Manifest: m, Person: &m.People[0]}, words(t, "en"), time.Now()); s.Letter != nil {
		t.Errorf("a letter code for a link with U+202E: %+v", s.Letter)
	}
}
