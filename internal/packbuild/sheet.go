package packbuild

import (
	"bytes"
	"context"
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
	file    string
	now     time.Time
	latest  string
	h       *header
	tmpl    pack.Manifest // the pack's fields, to validate one person at a time
	paths   map[string]string
	headers []string // the header row's cells
}

// record is one CSV record and the line it starts on.
type record struct {
	line  int
	cells []string
	err   error
}

// Map reads a CSV spreadsheet into a pack manifest without photos. Rows it
// cannot use are left out and reported in Sheet.Problems, each with its row
// and column (at most MaxProblems of them, see Problems.Capped). It fails,
// with Problems as the error, when the sheet cannot be read at all: empty,
// no usable header, a required column missing, invalid pack-level options,
// or past a limit (MaxCSVBytes, MaxRows, MaxColumns, a header cell longer
// than MaxCellBytes, a row longer than MaxRowBytes). Map does no I/O; it
// is safe on any input.
func Map(data []byte, opt Options) (*Sheet, error) {
	return MapContext(context.Background(), data, opt)
}

// MapContext is Map that gives up, returning ctx's error, once ctx is done.
func MapContext(ctx context.Context, data []byte, opt Options) (*Sheet, error) {
	file := opt.fileName()
	if len(data) > MaxCSVBytes {
		return nil, Problems{{File: file, Reason: fmt.Sprintf("is %d bytes; the limit is %d (64 MiB)", len(data), MaxCSVBytes)}}
	}
	cr := newCSVReader(data)
	head, ok := cr.next()
	if !ok {
		if cr.tooLong {
			return nil, Problems{cr.tooLongProblem(file)}
		}
		return nil, Problems{{File: file, Reason: "the file is empty; want a header row and one row per person"}}
	}
	if probs := headerProblems(head, file); len(probs) > 0 {
		return nil, probs
	}
	if probs := checkLanguages(opt.Languages, file); len(probs) > 0 {
		return nil, probs
	}
	h, warn, fatal := readHeader(head.cells, head.line, file, opt.Languages)
	if len(fatal) > 0 {
		return nil, append(fatal, warn...)
	}
	sb := &sheetBuilder{file: file, now: opt.now(), h: h, paths: columnPaths(h.cols), headers: head.cells}
	sb.latest = latestDate(sb.now)
	sb.tmpl = packFields(opt, h.languages, sb.now)
	if probs := sb.checkOptions(); len(probs) > 0 {
		return nil, probs
	}
	sh := &Sheet{Problems: warn, Family: h.family, File: file}
	var rows []*rowBuilder
	for n := 1; ; n++ {
		if n&255 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		rec, ok := cr.next()
		if !ok {
			break
		}
		if n > MaxRows {
			return nil, Problems{{File: file, Row: rec.line, Reason: fmt.Sprintf("more than %d rows; a pack holds at most %d people: split the list", MaxRows, pack.MaxPeople)}}
		}
		if b := sb.row(rec, &sh.Problems); b != nil {
			rows = append(rows, b)
		}
	}
	if cr.tooLong {
		return nil, Problems{cr.tooLongProblem(file)}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rows = sb.dedupe(rows, &sh.Problems)
	assignIDs(rows)
	sh.Manifest = sb.assemble(rows, sh)
	sort.SliceStable(sh.Problems, func(i, j int) bool { return sh.Problems[i].Row < sh.Problems[j].Row })
	sh.Problems = sh.Problems.Capped()
	return sh, nil
}

// csvReader reads one record at a time, after a byte-order mark and an
// Excel "sep=" line, with the separator the header line uses most: comma,
// semicolon or tab. It stops at a row longer than MaxRowBytes.
type csvReader struct {
	data    []byte
	r       *csv.Reader
	budget  *budgetReader
	offset  int // lines before data: 1 after a "sep=" line
	tooLong bool
	tooLine int // the line the row that is too long starts on
}

func newCSVReader(data []byte) *csvReader {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	offset := 0
	sep := rune(0)
	// An Excel "sep=;" line: five characters, then the line's end.
	if len(data) >= 5 && strings.EqualFold(string(data[:4]), "sep=") && strings.IndexByte(",;\t|", data[4]) >= 0 {
		if rest := bytes.TrimLeft(data[5:], "\r"); len(rest) == 0 || rest[0] == '\n' {
			sep, offset = rune(data[4]), 1
			data = bytes.TrimPrefix(rest, []byte("\n"))
		}
	}
	if sep == 0 {
		sep = detectSeparator(data)
	}
	cr := &csvReader{data: data, offset: offset}
	cr.budget = &budgetReader{r: bytes.NewReader(data)}
	cr.r = csv.NewReader(cr.budget)
	cr.r.Comma, cr.r.FieldsPerRecord, cr.r.LazyQuotes = sep, -1, false
	return cr
}

// next returns the next record; false at the end, or at a row too long.
func (cr *csvReader) next() (record, bool) {
	// The reader buffers 4,096 bytes ahead: a row of MaxRowBytes always
	// fits the budget, and one much longer never does.
	start := cr.r.InputOffset()
	cr.budget.refill(MaxRowBytes + 8192)
	cells, err := cr.r.Read()
	switch {
	case errors.Is(err, io.EOF):
		return record{}, false
	case errors.Is(err, errRowTooLong) || cr.rowBytes(start, cr.r.InputOffset()) > MaxRowBytes:
		cr.tooLong, cr.tooLine = true, cr.lineAt(start)
		return record{}, false
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return record{line: pe.StartLine + cr.offset, err: pe}, true
	}
	if err != nil {
		return record{line: cr.lineAt(start), err: err}, true
	}
	line, _ := cr.r.FieldPos(0)
	return record{line: line + cr.offset, cells: cells}, true
}

// rowBytes is the length of the row read from start to end: without the
// blank lines before it and the line break after it.
func (cr *csvReader) rowBytes(start, end int64) int {
	i, j := int(start), int(min(end, int64(len(cr.data))))
	for i < j && (cr.data[i] == '\n' || cr.data[i] == '\r') {
		i++
	}
	if j > i && cr.data[j-1] == '\n' {
		j--
	}
	if j > i && cr.data[j-1] == '\r' {
		j--
	}
	return j - i
}

// lineAt is the line of the first row starting at or after off (blank lines
// are skipped, as the CSV reader skips them).
func (cr *csvReader) lineAt(off int64) int {
	i := int(min(off, int64(len(cr.data))))
	for i < len(cr.data) && (cr.data[i] == '\n' || cr.data[i] == '\r') {
		i++
	}
	return bytes.Count(cr.data[:i], []byte("\n")) + 1 + cr.offset
}

func (cr *csvReader) tooLongProblem(file string) RowProblem {
	return RowProblem{File: file, Row: cr.tooLine, Reason: fmt.Sprintf("the row is longer than %d bytes, the limit (a quote that is never closed?)", MaxRowBytes)}
}

// detectSeparator counts commas, semicolons and tabs outside quotes on the
// first line (which is at most MaxRowBytes long, or the sheet is refused).
func detectSeparator(data []byte) rune {
	var commas, semicolons, tabs int
	quoted := false
	for _, c := range data[:min(len(data), MaxRowBytes+1)] {
		switch {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '\n':
			return separator(commas, semicolons, tabs)
		case c == ',':
			commas++
		case c == ';':
			semicolons++
		case c == '\t':
			tabs++
		}
	}
	return separator(commas, semicolons, tabs)
}

// separator picks the separator from the counts of each on the header line.
func separator(commas, semicolons, tabs int) rune {
	switch {
	case semicolons > commas && semicolons >= tabs:
		return ';'
	case tabs > commas && tabs > semicolons:
		return '\t'
	}
	return ','
}

// headerProblems reports a header that cannot be read.
func headerProblems(rec record, file string) Problems {
	if rec.err != nil {
		return Problems{{File: file, Row: rec.line, Reason: csvReason(rec.err)}}
	}
	if len(rec.cells) > MaxColumns {
		return Problems{{File: file, Row: rec.line, Reason: fmt.Sprintf("the header has %d columns; the limit is %d", len(rec.cells), MaxColumns)}}
	}
	for i, c := range rec.cells {
		if len(c) > MaxCellBytes {
			return Problems{{File: file, Row: rec.line, Column: fmt.Sprintf("#%d", i+1), Reason: fmt.Sprintf("is %d bytes long; no cell may be longer than %d", len(c), MaxCellBytes)}}
		}
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
	for i, c := range rec.cells {
		if len(c) > MaxCellBytes {
			col := strings.TrimSpace(sb.headers[i])
			if col == "" {
				col = fmt.Sprintf("#%d", i+1)
			}
			*probs = append(*probs, RowProblem{File: sb.file, Row: rec.line, Column: col, Reason: fmt.Sprintf("is %d bytes long; no cell may be longer than %d", len(c), MaxCellBytes)})
			return nil
		}
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
