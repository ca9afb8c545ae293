package packbuild

import (
	"fmt"
	"strings"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

// rowBuilder turns one row into a person, collecting the row's problems.
type rowBuilder struct {
	p        pack.Person
	sh       *sheetBuilder
	line     int
	cols     map[string]string // field path (e.g. "links[0]", "name.be") → the column's header
	probs    Problems
	photo    string   // the photo cell
	sentence []string // sentence parts by column order, as "lang\x00text"
}

// setter stores one non-empty cell in the person.
type setter func(b *rowBuilder, c column, v string)

var setters = map[string]setter{
	"id":           func(b *rowBuilder, _ column, v string) { b.p.ID = v },
	"name":         func(b *rowBuilder, c column, v string) { setText(&b.p.Name, c.lang, v) },
	"country":      setCountry,
	"photo":        func(b *rowBuilder, _ column, v string) { b.photo = v },
	"photo_credit": func(b *rowBuilder, _ column, v string) { b.p.PhotoCredit = v },
	"status":       setStatus,
	"born":         setBorn,
	"arrested":     func(b *rowBuilder, c column, v string) { b.setDate(&b.p.Arrested, c, v) },
	"released":     func(b *rowBuilder, c column, v string) { b.setDate(&b.p.Released, c, v) },
	"died":         func(b *rowBuilder, c column, v string) { b.setDate(&b.p.Died, c, v) },
	"verified":     func(b *rowBuilder, c column, v string) { b.setDate(&b.p.Verified, c, v) },
	"sentence":     addSentence,
	"decision":     addSentence,
	"penalty":      addSentence,
	"occupation":   func(b *rowBuilder, c column, v string) { setText(&b.p.Occupation, c.lang, v) },
	"bio":          func(b *rowBuilder, c column, v string) { setText(&b.p.Bio, c.lang, v) },
	"charges":      func(b *rowBuilder, c column, v string) { b.p.Charges = parseCharges(v, c.lang) },
	"facility":     func(b *rowBuilder, c column, v string) { setText(&b.facility().Name, c.lang, v) },
	"address":      func(b *rowBuilder, _ column, v string) { b.facility().Address = v },
	"prison":       setPrison,
	"contact":      func(b *rowBuilder, _ column, v string) { b.p.Contact = strings.ToLower(v) },
	"weight":       setWeight,
	"gender":       setGender,
	"source.name":  func(b *rowBuilder, _ column, v string) { b.source().Name = v },
	"source.url":   func(b *rowBuilder, _ column, v string) { b.source().URL = v },
	"consent.photo": func(b *rowBuilder, c column, v string) {
		b.p.Consent.Photo = b.setBool(c, v)
	},
	"consent.address": func(b *rowBuilder, c column, v string) {
		b.p.Consent.Address = b.setBool(c, v)
	},
	"letter_url":   addLink,
	"petition_url": addLink,
	"profile_url":  addLink,
	"donate_url":   addLink,
	"other_url":    addLink,
}

func (b *rowBuilder) fail(col, reason string) {
	b.probs = append(b.probs, RowProblem{File: b.sh.file, Row: b.line, Column: col, Reason: reason})
}

func setText(t *pack.Text, lang, v string) {
	if *t == nil {
		*t = pack.Text{}
	}
	(*t)[lang] = v
}

func (b *rowBuilder) facility() *pack.Facility {
	if b.p.Facility == nil {
		b.p.Facility = &pack.Facility{}
	}
	return b.p.Facility
}

func (b *rowBuilder) source() *pack.Source {
	if b.p.Source == nil {
		b.p.Source = &pack.Source{}
	}
	return b.p.Source
}

// setCountry accepts a two-letter code in any case.
func setCountry(b *rowBuilder, _ column, v string) {
	if len(v) == 2 {
		v = strings.ToUpper(v)
	}
	b.p.Country = v
}

func setStatus(b *rowBuilder, c column, v string) {
	st, msg := parseStatus(v)
	if msg != "" {
		b.fail(c.header, msg)
	}
	b.p.Status = st
}

func setBorn(b *rowBuilder, c column, v string) {
	d, msg := parseBorn(v, b.sh.latest)
	if msg != "" {
		b.fail(c.header, msg)
	}
	b.p.Born = d
}

func (b *rowBuilder) setDate(dst *string, c column, v string) {
	d, msg := parseDate(v, b.sh.latest)
	if msg != "" {
		b.fail(c.header, msg)
	}
	*dst = d
}

func (b *rowBuilder) setBool(c column, v string) *bool {
	ok, msg := parseBool(v)
	if msg != "" {
		b.fail(c.header, msg)
		return nil
	}
	return &ok
}

func setWeight(b *rowBuilder, c column, v string) {
	w, msg := parseWeight(v)
	if msg != "" {
		b.fail(c.header, msg)
		return
	}
	b.p.Weight = &w
}

// addSentence collects sentence, decision and penalty; finish joins them
// per language with "; ".
func addSentence(b *rowBuilder, c column, v string) {
	b.sentence = append(b.sentence, c.lang+"\x00"+v)
}

// setPrison reads a Viasna prison cell: the facility on the first line, the
// postal address (the whole cell, the facility's line included, as letters
// are addressed) when there are more lines.
func setPrison(b *rowBuilder, c column, v string) {
	first, rest, multi := strings.Cut(v, "\n")
	f := b.facility()
	if f.Name[c.lang] == "" {
		setText(&f.Name, c.lang, strings.TrimSpace(first))
	}
	if multi && strings.TrimSpace(rest) != "" && f.Address == "" {
		f.Address = v
		b.cols["facility.address"] = c.header
	}
}

func addLink(b *rowBuilder, c column, v string) {
	kind := strings.TrimSuffix(c.field, "_url")
	b.cols[fmt.Sprintf("links[%d]", len(b.p.Links))] = c.header
	b.p.Links = append(b.p.Links, pack.Link{Kind: kind, URL: v})
}

// fieldPaths says which field paths of pack.Validate's problems a column's
// cell ends up in, so those problems can name the column.
var fieldPaths = map[string]string{
	"facility": "facility.name", "address": "facility.address", "prison": "facility.name",
	"decision": "sentence", "penalty": "sentence",
}

// columnPaths maps the field paths of every column of the header to the
// column's header, the first column winning.
func columnPaths(cols []column) map[string]string {
	out := map[string]string{}
	add := func(path, header string) {
		if _, ok := out[path]; !ok {
			out[path] = header
		}
	}
	for _, c := range cols {
		path := c.field
		if p, ok := fieldPaths[c.field]; ok {
			path = p
		}
		if localized[c.field] {
			add(path+"."+c.lang, c.header)
		}
		add(path, c.header)
	}
	return out
}

// finish completes the person: the joined sentence, the family's defaults,
// consent applied to the address.
func (b *rowBuilder) finish() {
	for _, part := range b.sentence {
		lang, text, _ := strings.Cut(part, "\x00")
		if old := b.p.Sentence[lang]; old != "" {
			text = old + "; " + text
		}
		setText(&b.p.Sentence, lang, text)
	}
	if b.p.Country == "" && b.sh.h.family == FamilyViasna {
		b.p.Country = ViasnaCountry
	}
	if b.p.Source == nil && b.sh.h.family == FamilyViasna {
		src := ViasnaSource
		b.p.Source = &src
	}
	if f := b.p.Facility; f != nil && !b.p.Consent.AddressAllowed() {
		f.Address = ""
	}
	if f := b.p.Facility; f != nil && len(f.Name) == 0 && f.Address == "" {
		b.p.Facility = nil
	}
}

// column finds the column a pack.Validate problem is about: the field path,
// then shorter and shorter prefixes of it ("links[0].url", "links[0]",
// "links"), with the language a text problem starts with.
func (b *rowBuilder) column(field, msg string) string {
	lang, _, _ := strings.Cut(msg, ": ")
	for path := field; path != ""; {
		if h, ok := b.cols[path+"."+lang]; ok {
			return h
		}
		if h, ok := b.cols[path]; ok {
			return h
		}
		i := strings.LastIndexAny(path, ".[")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return field
}

// validate checks the person by the pack format's rules, as the only
// person of a pack whose other fields are valid.
func (b *rowBuilder) validate() {
	m := b.sh.tmpl
	p := b.p
	if p.ID == "" {
		p.ID = "x" // derived later, from the name
	}
	m.People = []pack.Person{p}
	for _, prob := range m.Validate(b.sh.now) {
		col := b.column(prob.Field, prob.Msg)
		if prob.Index == 0 && !b.hasProblem(col) { // a cell already reported is absent now
			b.fail(col, prob.Msg)
		}
	}
}

func (b *rowBuilder) hasProblem(col string) bool {
	for _, p := range b.probs {
		if p.Column == col {
			return true
		}
	}
	return false
}

// set stores one non-empty cell.
func (b *rowBuilder) set(c column, v string) { setters[c.field](b, c, v) }

// genders reads a gender cell as organizers write it: the pack's own words,
// a first letter, or Russian and Belarusian words.
var genders = map[string]string{
	"female": pack.GenderFemale, "f": pack.GenderFemale, "woman": pack.GenderFemale, "w": pack.GenderFemale,
	"ж": pack.GenderFemale, "жен": pack.GenderFemale, "женский": pack.GenderFemale, "жанчына": pack.GenderFemale, "жаночы": pack.GenderFemale,
	"male": pack.GenderMale, "m": pack.GenderMale, "man": pack.GenderMale,
	"м": pack.GenderMale, "муж": pack.GenderMale, "мужской": pack.GenderMale, "мужчына": pack.GenderMale, "мужчынскі": pack.GenderMale,
}

func setGender(b *rowBuilder, c column, v string) {
	g, ok := genders[strings.Trim(strings.ToLower(strings.TrimSpace(v)), ".")]
	if !ok {
		b.fail(c.header, fmt.Sprintf("%q is not a gender; write female or male (or leave the cell empty)", v))
		return
	}
	b.p.Gender = g
}
