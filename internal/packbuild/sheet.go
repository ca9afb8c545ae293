package packbuild

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

// Sheet is a spreadsheet mapped to a pack, before the photos.
type Sheet struct {
	// Manifest holds every usable row as a person, in order. It is complete
	// but for photos: no person has a photo and files is empty.
	Manifest *pack.Manifest
	Rows     []Row    // where each person came from, parallel to Manifest.People
	Problems Problems // unknown columns (row 1) and every row that could not be used
	Family   string   // FamilyKiosk or FamilyViasna
	File     string   // the spreadsheet's name in problems
}

// Row is the spreadsheet row a person came from.
type Row struct {
	Line        int    // the CSV line the row starts on
	Photo       string // the photo cell, "" when empty or there is no photo column
	PhotoColumn string // the photo column's header, or "photo"
}

// sheetBuilder holds what every row needs.
type sheetBuilder struct {
	file   string
	now    time.Time
	latest string
	h      *header
	tmpl   pack.Manifest // the pack's fields, to validate one person at a time
	paths  map[string]string
}

// record is one CSV record and the line it starts on.
type record struct {
	line  int
	cells []string
	err   error
}

// Map reads a CSV spreadsheet into a pack manifest without photos. Rows it
// cannot use are left out and reported in Sheet.Problems, each with its row
// and column. It fails, with Problems as the error, when the sheet cannot be
// read at all: empty, no usable header, a required column missing, or
// invalid pack-level options. Map does no I/O; it is safe on any input.
func Map(data []byte, opt Options) (*Sheet, error) {
	file := opt.fileName()
	recs := readCSV(data)
	if len(recs) == 0 {
		return nil, Problems{{File: file, Reason: "the file is empty; want a header row and one row per person"}}
	}
	if probs := headerProblems(recs[0], file); len(probs) > 0 {
		return nil, probs
	}
	if probs := checkLanguages(opt.Languages, file); len(probs) > 0 {
		return nil, probs
	}
	h, warn, fatal := readHeader(recs[0].cells, recs[0].line, file, opt.Languages)
	if len(fatal) > 0 {
		return nil, append(fatal, warn...)
	}
	sb := &sheetBuilder{file: file, now: opt.now(), h: h, paths: columnPaths(h.cols)}
	sb.latest = latestDate(sb.now)
	sb.tmpl = packFields(opt, h.languages, sb.now)
	if probs := sb.checkOptions(); len(probs) > 0 {
		return nil, probs
	}
	sh := &Sheet{Problems: warn, Family: h.family, File: file}
	var rows []*rowBuilder
	for _, rec := range recs[1:] {
		if b := sb.row(rec, &sh.Problems); b != nil {
			rows = append(rows, b)
		}
	}
	rows = sb.dedupe(rows, &sh.Problems)
	assignIDs(rows)
	sh.Manifest = sb.assemble(rows, sh)
	sort.SliceStable(sh.Problems, func(i, j int) bool { return sh.Problems[i].Row < sh.Problems[j].Row })
	return sh, nil
}

// readCSV reads every record, after a byte-order mark and an Excel "sep="
// line, with the separator the header line uses most: comma, semicolon or tab.
func readCSV(data []byte) []record {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	offset := 0
	sep := rune(0)
	if first, rest, ok := bytes.Cut(data, []byte("\n")); ok || len(first) > 0 {
		line := strings.TrimRight(string(first), "\r")
		if len(line) == 5 && strings.HasPrefix(strings.ToLower(line), "sep=") && strings.ContainsRune(",;\t|", rune(line[4])) {
			sep, data, offset = rune(line[4]), rest, 1
		}
	}
	if sep == 0 {
		sep = detectSeparator(data)
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma, r.FieldsPerRecord, r.LazyQuotes = sep, -1, false
	var recs []record
	for {
		cells, err := r.Read()
		if errors.Is(err, io.EOF) {
			return recs
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			recs = append(recs, record{line: pe.StartLine + offset, err: pe})
			continue
		}
		if err != nil {
			return append(recs, record{line: 1 + offset, err: err})
		}
		line, _ := r.FieldPos(0)
		recs = append(recs, record{line: line + offset, cells: cells})
	}
}

// detectSeparator counts commas, semicolons and tabs outside quotes on the
// first line.
func detectSeparator(data []byte) rune {
	counts := map[byte]int{}
	quoted := false
	for _, c := range data {
		if c == '"' {
			quoted = !quoted
		}
		if c == '\n' && !quoted {
			break
		}
		if !quoted {
			counts[c]++
		}
	}
	switch {
	case counts[';'] > counts[','] && counts[';'] >= counts['\t']:
		return ';'
	case counts['\t'] > counts[','] && counts['\t'] > counts[';']:
		return '\t'
	}
	return ','
}

// headerProblems reports a header that cannot be read.
func headerProblems(rec record, file string) Problems {
	if rec.err != nil {
		return Problems{{File: file, Row: rec.line, Reason: csvReason(rec.err)}}
	}
	for i, c := range rec.cells {
		if !utf8.ValidString(c) {
			return Problems{{File: file, Row: rec.line, Column: fmt.Sprintf("#%d", i+1), Reason: notUTF8}}
		}
	}
	return nil
}

const notUTF8 = "is not valid UTF-8 text; save the spreadsheet as \"CSV UTF-8\""

// csvReason says what is wrong with a record encoding/csv refused.
func csvReason(err error) string {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return "cannot read the file: " + err.Error()
	}
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return fmt.Sprintf("a \" inside a cell that does not start with \" (line %d, byte %d); put the cell in double quotes and double every \" inside it", pe.Line, pe.Column)
	case errors.Is(pe.Err, csv.ErrQuote):
		return fmt.Sprintf("a quoted cell is not closed, or has text after its closing \" (line %d, byte %d)", pe.Line, pe.Column)
	}
	return fmt.Sprintf("line %d, byte %d: %v", pe.Line, pe.Column, pe.Err)
}

// packFields are the pack-level fields of the manifest.
func packFields(opt Options, langs []string, now time.Time) pack.Manifest {
	title := opt.Title
	if title == "" {
		title = strings.TrimSuffix(opt.fileName(), filepath.Ext(opt.fileName()))
	}
	id := opt.ID
	if id == "" {
		id = defaultID(opt)
	}
	publisher := opt.Publisher
	if publisher == "" {
		publisher = DefaultPublisher
	}
	return pack.Manifest{
		Format:    pack.Format,
		ID:        id,
		Version:   now.UTC().Format("2006-01-02.1504"),
		Title:     pack.Text{langs[0]: title},
		Publisher: pack.Publisher{Name: publisher},
		Published: now.Format(time.DateOnly),
		Languages: langs,
	}
}

// defaultID is a slug of the title when one is given, else of the output
// file's name, else of the spreadsheet's name.
func defaultID(opt Options) string {
	for _, s := range []string{opt.Title, filepath.Base(opt.Out), opt.fileName()} {
		if s == "." || s == "" {
			continue
		}
		if id := slug(strings.TrimSuffix(s, filepath.Ext(s)), ""); id != "" {
			return id
		}
	}
	return "pack"
}

// checkOptions reports pack-level fields the options made invalid.
func (sb *sheetBuilder) checkOptions() Problems {
	m := sb.tmpl
	m.People = []pack.Person{{ID: "x", Name: pack.Text{"en": "x"}, Country: "BY", Status: pack.StatusUnknown}}
	var probs Problems
	for _, p := range m.Validate(sb.now) {
		probs = append(probs, RowProblem{File: sb.file, Reason: "pack " + p.Field + ": " + p.Msg})
	}
	return probs
}

// row builds the person of one record, or reports why it cannot.
func (sb *sheetBuilder) row(rec record, probs *Problems) *rowBuilder {
	if rec.err != nil {
		*probs = append(*probs, RowProblem{File: sb.file, Row: rec.line, Reason: csvReason(rec.err)})
		return nil
	}
	if blank(rec.cells) {
		return nil
	}
	if len(rec.cells) != sb.h.width {
		*probs = append(*probs, RowProblem{File: sb.file, Row: rec.line, Reason: fmt.Sprintf("has %d cells; the header has %d (a separator too many or too few?)", len(rec.cells), sb.h.width)})
		return nil
	}
	b := &rowBuilder{sh: sb, line: rec.line, cols: map[string]string{}}
	for k, v := range sb.paths {
		b.cols[k] = v
	}
	for _, c := range sb.h.cols {
		v := strings.TrimSpace(rec.cells[c.index])
		switch {
		case !utf8.ValidString(v):
			b.fail(c.header, notUTF8)
		case v != "":
			b.set(c, v)
		}
	}
	b.finish()
	b.validate()
	*probs = append(*probs, b.probs...)
	return b
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// dedupe reports, on the later row, a name (in the same language, compared
// as photo names are) or an id that an earlier row has, and returns the rows
// without problems.
func (sb *sheetBuilder) dedupe(rows []*rowBuilder, probs *Problems) []*rowBuilder {
	first := map[string]int{}
	var ok []*rowBuilder
	for _, b := range rows {
		n := len(b.probs)
		if b.p.ID != "" {
			b.unique(first, "id\x00"+b.p.ID, b.column("id", ""), "%q is also the id in row %d; ids must be unique", b.p.ID)
		}
		for _, lang := range sortedKeys(b.p.Name) {
			name := b.p.Name[lang]
			key := matchKey(name)
			if key == "" {
				key = name
			}
			b.unique(first, "name\x00"+lang+"\x00"+key, b.column("name", lang+": "), "%q is also the name in row %d", name)
		}
		*probs = append(*probs, b.probs[n:]...)
		if len(b.probs) == 0 {
			ok = append(ok, b)
		}
	}
	return ok
}

// unique reports key when an earlier row has it, else remembers this row.
func (b *rowBuilder) unique(first map[string]int, key, col, format, value string) {
	if line, dup := first[key]; dup {
		b.fail(col, fmt.Sprintf(format, value, line))
		return
	}
	first[key] = b.line
}

// assignIDs gives every person without an id one made from their name
// (Latin letters, Cyrillic transliterated), unique by -2, -3, ….
func assignIDs(rows []*rowBuilder) {
	used := map[string]bool{}
	for _, b := range rows {
		used[b.p.ID] = b.p.ID != ""
	}
	for _, b := range rows {
		if b.p.ID != "" {
			continue
		}
		base := idBase(b)
		id := base
		for n := 2; used[id]; n++ {
			id = fmt.Sprintf("%s-%d", base, n)
		}
		used[id] = true
		b.p.ID = id
	}
}

// idBase slugs the name in English, else in the pack's languages in order,
// else in any language; "person" when no name has a Latin or Cyrillic letter
// or a digit.
func idBase(b *rowBuilder) string {
	langs := append([]string{"en"}, b.sh.h.languages...)
	langs = append(langs, sortedKeys(b.p.Name)...)
	for _, lang := range langs {
		if s := slug(b.p.Name[lang], lang); s != "" {
			return s
		}
	}
	return "person"
}

// assemble makes the manifest of the usable rows.
func (sb *sheetBuilder) assemble(rows []*rowBuilder, sh *Sheet) *pack.Manifest {
	m := sb.tmpl
	m.People = make([]pack.Person, 0, len(rows))
	for i, b := range rows {
		if i >= pack.MaxPeople {
			sh.Problems = append(sh.Problems, RowProblem{File: sb.file, Row: b.line, Reason: fmt.Sprintf("left out: a pack holds at most %d people; split the list", pack.MaxPeople)})
			continue
		}
		m.People = append(m.People, b.p)
		col := b.cols["photo"]
		if col == "" {
			col = "photo"
		}
		sh.Rows = append(sh.Rows, Row{Line: b.line, Photo: b.photo, PhotoColumn: col})
	}
	return &m
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
