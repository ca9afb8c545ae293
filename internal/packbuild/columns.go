package packbuild

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"golang.org/x/text/language"
)

// Header families.
const (
	FamilyKiosk  = "kiosk"  // the kiosk's own column names
	FamilyViasna = "viasna" // the Viasna political prisoners list export
)

// ViasnaCountry is the country of every person of a Viasna export that has
// no country column: the list is of political prisoners in Belarus.
const ViasnaCountry = "BY"

// ViasnaSource is the source given to every person of a Viasna export that
// has no source column.
var ViasnaSource = pack.Source{Name: "Viasna", URL: "https://spring96.org"}

// alias is what one header means.
type alias struct {
	field  string // the canonical field the column sets
	lang   string // for Viasna's Russian and Belarusian headers: the language of their text
	viasna bool   // only the Viasna export uses this header
}

// localized fields take a .xx language suffix; their text is in that
// language, else in the header's language, else in the pack's first one.
var localized = map[string]bool{
	"name": true, "sentence": true, "occupation": true, "bio": true, "facility": true,
	"charges": true, "decision": true, "penalty": true, "prison": true,
}

// aliases maps a normalized header to its meaning.
var aliases = func() map[string]alias {
	m := map[string]alias{}
	for _, f := range []string{
		"id", "name", "country", "photo", "photo_credit", "status", "born", "arrested",
		"released", "died", "sentence", "occupation", "bio", "charges", "facility",
		"contact", "weight", "verified", "consent.photo", "consent.address", "gender",
		"letter_url", "petition_url", "profile_url", "donate_url", "other_url",
	} {
		m[f] = alias{field: f}
	}
	for h, f := range map[string]string{
		"facility.name": "facility", "address": "address", "facility.address": "address",
		"source": "source.name", "source.name": "source.name", "source_url": "source.url", "source.url": "source.url",
		"пол": "gender", "пол.": "gender", "gender.": "gender",
	} {
		m[h] = alias{field: f}
	}
	viasna := []struct{ field, en, ru, be string }{
		{"name", "", "имя и фамилия", "імя і прозвішча"},
		{"status", "", "", ""},
		{"born", "birthday", "дата рождения", "дата нараджэння"},
		{"arrested", "", "дата задержания", "дата затрымання"},
		{"charges", "articles", "предъявлены обвинения", "прад'яўлены абвінавачванні"},
		{"decision", "decision", "решение суда", "рашэнне суда"},
		{"penalty", "penalty", "вид наказания", "від пакарання"},
		{"prison", "prison", "место заключения", "месца зняволення"},
		{"released", "release_date", "дата освобождения", "дата вызвалення"},
		{"died", "", "дата смерти", "дата смерці"},
	}
	for _, v := range viasna {
		if v.en != "" {
			m[v.en] = alias{field: v.field, viasna: true}
		}
		if v.ru != "" {
			m[v.ru] = alias{field: v.field, lang: "ru", viasna: true}
		}
		if v.be != "" {
			m[v.be] = alias{field: v.field, lang: "be", viasna: true}
		}
	}
	m["прад'яўленыя абвінавачванні"] = m["прад'яўлены абвінавачванні"]
	m["вид пакарання"] = m["від пакарання"]
	m["статус"] = alias{field: "status", viasna: true}
	return m
}()

// normHeader lowercases a header, trims it, collapses its spaces and
// writes every apostrophe as '.
func normHeader(h string) string {
	h = strings.Join(strings.Fields(strings.ToLower(h)), " ")
	return strings.NewReplacer("’", "'", "ʼ", "'", "`", "'", "‘", "'").Replace(h)
}

var suffixPattern = regexp.MustCompile(`^[a-z]{2,3}(-[a-z0-9]{1,8})*$`)

// lookupHeader returns what a normalized header means.
func lookupHeader(h string) (alias, bool) {
	if a, ok := aliases[h]; ok {
		return a, true
	}
	i := strings.LastIndexByte(h, '.')
	if i < 0 {
		return alias{}, false
	}
	a, ok := aliases[h[:i]]
	if !ok || !localized[a.field] || a.lang != "" || !suffixPattern.MatchString(h[i+1:]) {
		return alias{}, false
	}
	tag, err := language.Parse(h[i+1:])
	if err != nil {
		return alias{}, false
	}
	a.lang = tag.String()
	return a, true
}

// column is one recognized column of the sheet.
type column struct {
	index  int
	header string // as written, trimmed
	field  string
	lang   string // for localized fields: the language of its text, "" until settled
}

// header is the sheet's first row, understood.
type header struct {
	cols      []column
	width     int // cells in the header row
	family    string
	lang      string   // the Viasna export's language: en, ru or be
	languages []string // the pack's languages
	has       map[string]bool
}

// readHeader recognizes the columns. Unknown columns are warnings; a sheet
// without a name column, or with a column twice, cannot be read.
func readHeader(cells []string, line int, file string, langs []string) (*header, Problems, Problems) {
	h := &header{width: len(cells), has: map[string]bool{}}
	var warn, fatal Problems
	counts := map[string]int{}
	var suffixLangs []string
	for i, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" {
			continue
		}
		a, ok := lookupHeader(normHeader(c))
		if !ok {
			warn = append(warn, RowProblem{File: file, Row: line, Column: c, Reason: "unknown column, ignored (see the Spreadsheets section of docs/PACK-FORMAT.md)"})
			continue
		}
		if a.viasna {
			h.family = FamilyViasna
			counts[a.lang]++
		} else if a.lang != "" {
			suffixLangs = append(suffixLangs, a.lang)
		}
		h.cols = append(h.cols, column{index: i, header: c, field: a.field, lang: a.lang})
		h.has[a.field] = true
	}
	h.settle(counts, suffixLangs, langs)
	fatal = append(fatal, h.check(file, line)...)
	return h, warn, fatal
}

// settle decides the family, its language and the pack's languages, and
// files unsuffixed text under the pack's first language.
func (h *header) settle(counts map[string]int, suffixLangs, langs []string) {
	if h.family == "" {
		h.family = FamilyKiosk
	}
	h.lang = "en"
	if counts["ru"] > 0 || counts["be"] > 0 {
		h.lang = "ru"
		if counts["be"] > counts["ru"] {
			h.lang = "be"
		}
	}
	switch {
	case len(langs) > 0:
		h.languages = langs
	case h.family == FamilyViasna && h.lang != "en":
		h.languages = []string{h.lang, "en"}
	default:
		h.languages = dedupe(append([]string{"en"}, suffixLangs...))
	}
	for i := range h.cols {
		if localized[h.cols[i].field] && h.cols[i].lang == "" {
			h.cols[i].lang = h.languages[0]
		}
	}
}

// checkLanguages reports language options that are not BCP 47 tags.
func checkLanguages(langs []string, file string) Problems {
	var probs Problems
	for _, l := range langs {
		if _, err := language.Parse(l); err != nil || l == "" {
			probs = append(probs, RowProblem{File: file, Reason: fmt.Sprintf("pack languages: %q is not a BCP 47 language tag like en, be or ru", l)})
		}
	}
	return probs
}

// check reports what makes the header unusable.
func (h *header) check(file string, line int) Problems {
	var probs Problems
	if !h.has["name"] {
		probs = append(probs, RowProblem{File: file, Row: line, Column: "name", Reason: "no name column (name, name.xx, имя и фамилия or імя і прозвішча)"})
	}
	if !h.has["status"] {
		probs = append(probs, RowProblem{File: file, Row: line, Column: "status", Reason: "no status column (status or статус)"})
	}
	if h.family == FamilyKiosk && !h.has["country"] {
		probs = append(probs, RowProblem{File: file, Row: line, Column: "country", Reason: "no country column (ISO 3166-1 codes like BY, IR, RU)"})
	}
	seen := map[string]string{}
	for _, c := range h.cols {
		key := c.field
		if localized[c.field] {
			key += "." + c.lang
		}
		if other, dup := seen[key]; dup {
			probs = append(probs, RowProblem{File: file, Row: line, Column: c.header, Reason: fmt.Sprintf("says the same as column %q; keep one of them", other)})
			continue
		}
		seen[key] = c.header
	}
	return probs
}

func dedupe(ss []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
