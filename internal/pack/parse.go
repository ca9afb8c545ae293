package pack

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

var bom = []byte("\xEF\xBB\xBF")

// Parse decodes pack.json. It reports, all at once, what makes the document
// unreadable as a manifest: an empty file, JSON syntax (with line and
// column), invalid UTF-8, duplicate keys, unknown keys and wrong types, each
// with its field and person. It returns the manifest whenever the JSON could
// be decoded at all, so Validate can add the rule problems.
//
// A manifest past any of the limits in limits.go (nesting, the length of a
// text, a key or a number, the entries of a list or object) is refused: no
// manifest, and problems naming the field, the line and the column. Parse
// reads at most MaxManifestBytes and lists at most MaxProblems problems.
func Parse(data []byte) (*Manifest, Problems) {
	return ParseContext(context.Background(), data)
}

// ParseContext is Parse that gives up once ctx is done, returning no
// manifest and a problem saying it was stopped.
func ParseContext(ctx context.Context, data []byte) (*Manifest, Problems) {
	data = bytes.TrimPrefix(data, bom)
	if len(data) > MaxManifestBytes {
		return nil, Problems{problemf("", "is %d bytes; the limit is %d (16 MiB)", len(data), MaxManifestBytes)}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, Problems{problemf("", "the file is empty")}
	}
	w := &walker{ctx: ctx, data: data, dec: json.NewDecoder(bytes.NewReader(data)), lines: lineCounter{data: data, line: 1}, ids: map[int]string{}}
	w.dec.UseNumber()
	err := w.value(manifestSchema)
	if err == nil {
		if _, err := w.dec.Token(); err != io.EOF {
			return nil, Problems{problemf("", "not valid JSON: more content after the end of the manifest")}
		}
	}
	switch {
	case errors.Is(err, errRefused):
		return nil, w.problems()
	case err != nil && ctx.Err() != nil:
		return nil, Problems{stopped(ctx)}
	case err != nil:
		return nil, Problems{syntaxProblem(data, err)}
	case w.refuse:
		return nil, w.problems()
	case ctx.Err() != nil:
		return nil, Problems{stopped(ctx)}
	}
	m, err := unmarshal(ctx, data)
	if ctx.Err() != nil {
		return nil, Problems{stopped(ctx)}
	}
	if err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) || len(w.probs) == 0 {
			w.add("not a pack manifest: " + err.Error())
		}
	}
	settleTexts(m)
	return m, w.problems()
}

// unmarshal decodes the manifest a person at a time, so that a context
// that ends stops it between two people. It returns the first error.
func unmarshal(ctx context.Context, data []byte) (*Manifest, error) {
	var shell struct {
		Manifest
		People []json.RawMessage `json:"people"`
	}
	first := json.Unmarshal(data, &shell)
	m := shell.Manifest
	if shell.People != nil {
		m.People = make([]Person, len(shell.People))
	}
	for i, raw := range shell.People {
		if i&63 == 63 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if err := json.Unmarshal(raw, &m.People[i]); err != nil && first == nil {
			first = err
		}
	}
	return &m, first
}

// stopped is the problem of a check that ctx ended.
func stopped(ctx context.Context) Problem {
	return problemf("", "not checked to the end: %v", ctx.Err())
}

func syntaxProblem(data []byte, err error) Problem {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		line, col := lineCol(data, se.Offset)
		return problemf("", "not valid JSON at line %d, column %d: %v", line, col, se)
	}
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return problemf("", "not valid JSON: the file ends too early (is it cut off?)")
	}
	return problemf("", "not valid JSON: %v", err)
}

func lineCol(data []byte, off int64) (int, int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	line := bytes.Count(before, []byte("\n")) + 1
	col := max(int(off)-bytes.LastIndexByte(before, '\n')-1, 1) // the offset is just past the bad byte
	return line, col
}

// lineCounter turns offsets into lines and columns, counting newlines
// only once when asked in increasing order, as the walk does.
type lineCounter struct {
	data      []byte
	off       int // counted up to here
	line      int // the line at off
	lineStart int // the offset of that line's first byte
}

// at returns the line and column (in bytes, from 1) of the byte at off.
func (lc *lineCounter) at(off int) (int, int) {
	off = min(max(off, 0), len(lc.data))
	if off < lc.off {
		lc.off, lc.line, lc.lineStart = 0, 1, 0
	}
	seg := lc.data[lc.off:off]
	if n := bytes.Count(seg, []byte("\n")); n > 0 {
		lc.line += n
		lc.lineStart = lc.off + bytes.LastIndexByte(seg, '\n') + 1
	}
	lc.off = off
	return lc.line, off - lc.lineStart + 1
}

// errRefused ends the walk at a limit; the problem is recorded.
var errRefused = errors.New("refused")

// step is one level of the path to a value: a key, or a list index.
type step struct {
	key   string
	index int // >= 0 for a list entry
}

// walker goes through the JSON tokens, checking them against the schema.
// Its path is one stack, pushed and popped, so the walk costs the same at
// any depth; the depth itself stops at MaxDepth.
type walker struct {
	ctx    context.Context
	data   []byte
	dec    *json.Decoder
	path   []step
	depth  int
	tokens int
	probs  Problems
	more   int  // problems past MaxProblems, counted only
	refuse bool // a limit was passed: the manifest is refused
	lines  lineCounter
	ids    map[int]string // people's ids as read, to name them in problems
}

// problems returns what the walk found, capped at MaxProblems, with the
// ids of the people they are about.
func (w *walker) problems() Problems {
	for i, p := range w.probs {
		if p.Index >= 0 {
			w.probs[i].PersonID = w.ids[p.Index]
		}
	}
	if w.more > 0 {
		return append(w.probs, Problem{Index: -1, More: w.more})
	}
	return w.probs
}

// value reads one JSON value, expected to match n (nil: anything).
func (w *walker) value(n *node) error {
	if err := w.tick(); err != nil {
		return err
	}
	prev := w.dec.InputOffset()
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	end := w.dec.InputOffset()
	switch t := tok.(type) {
	case json.Delim:
		if w.depth >= MaxDepth {
			w.addAt(int(end)-1, fmt.Sprintf("nested too deeply (more than %d levels)", MaxDepth))
			return errRefused
		}
		w.depth++
		if t == '{' {
			err = w.object(n)
		} else {
			err = w.array(n)
		}
		w.depth--
		return err
	case string:
		if len(t) > MaxStringBytes {
			w.refuseAt(w.start(prev), fmt.Sprintf("is %d bytes long; no text in pack.json may be longer than %d bytes", len(t), MaxStringBytes))
			return nil
		}
		if !utf8.Valid(w.data[prev:end]) {
			w.add("is not valid UTF-8 text (save the file as UTF-8)")
		}
		w.expect(n, 's')
		if p := w.path; len(p) == 3 && p[0].key == "people" && p[1].index >= 0 && p[2].index < 0 && p[2].key == "id" {
			w.ids[p[1].index] = t
		}
	case json.Number:
		w.number(n, string(t), w.start(prev))
	case bool:
		w.expect(n, 'b')
	}
	// null is read as "absent"; Validate reports required fields that are missing.
	return nil
}

// tick checks the context every 1,024 tokens.
func (w *walker) tick() error {
	w.tokens++
	if w.tokens&1023 == 0 {
		return w.ctx.Err()
	}
	return nil
}

// number checks a number's length, and that it fits where n wants one.
func (w *walker) number(n *node, s string, at int) {
	if len(s) > MaxNumberBytes {
		w.refuseAt(at, fmt.Sprintf("is a number %d characters long; the limit is %d", len(s), MaxNumberBytes))
		return
	}
	w.expect(n, 'n')
	if n == nil || (n.kind != 'n' && n.kind != 'i') {
		return
	}
	if f, err := strconv.ParseFloat(s, 64); err != nil || math.IsInf(f, 0) {
		w.add(s + " is too large a number")
		return
	}
	if _, err := strconv.ParseInt(s, 10, 32); n.kind == 'i' && err != nil {
		w.add(s + " must be a whole number, like 1")
	}
}

// start is the offset of the token that the decoder read after prev:
// past the blanks, comma or colon before it.
func (w *walker) start(prev int64) int {
	i := int(prev)
	for i < len(w.data) && strings.IndexByte(" \t\r\n,:", w.data[i]) >= 0 {
		i++
	}
	return i
}

// expect reports a value of kind got where n wants another kind.
func (w *walker) expect(n *node, got byte) {
	if n == nil {
		return
	}
	ok := n.kind == got || (n.kind == 't' && (got == 's' || got == 'o')) || (n.kind == 'm' && got == 'o') || (n.kind == 'i' && got == 'n')
	if !ok {
		w.add("must be " + kindName[n.kind])
	}
}

// limitOf is how many entries the container at n may hold.
func limitOf(n *node, kinds string, generic *node) (int, string) {
	if n != nil && n.max > 0 && strings.IndexByte(kinds, n.kind) >= 0 {
		return n.max, n.noun
	}
	return generic.max, generic.noun
}

// tooMany refuses a list or object with more than limit entries.
func (w *walker) tooMany(limit int, noun string) error {
	w.addAt(w.start(w.dec.InputOffset()), fmt.Sprintf("more than %d %s; the limit is %d", limit, noun, limit))
	return errRefused
}

func (w *walker) object(n *node) error {
	w.expect(n, 'o')
	limit, noun := limitOf(n, "omt", anyObject)
	seen := map[string]bool{}
	for i := 0; w.dec.More(); i++ {
		if i >= limit {
			return w.tooMany(limit, noun)
		}
		if err := w.tick(); err != nil {
			return err
		}
		prev := w.dec.InputOffset()
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		w.path = append(w.path, step{key: key, index: -1})
		switch {
		case len(key) > MaxKeyBytes:
			w.refuseAt(w.start(prev), fmt.Sprintf("the key is %d bytes long; the limit is %d", len(key), MaxKeyBytes))
		case !utf8.Valid(w.data[prev:w.dec.InputOffset()]):
			w.add("the key is not valid UTF-8")
		}
		if seen[key] {
			w.add("appears twice")
		}
		seen[key] = true
		err = w.value(w.childNode(n, key))
		w.path = w.path[:len(w.path)-1]
		if err != nil {
			return err
		}
	}
	_, err := w.dec.Token()
	return err
}

// childNode is the schema node for key inside n, reporting unknown keys.
func (w *walker) childNode(n *node, key string) *node {
	if n == nil {
		return nil
	}
	switch n.kind {
	case 'm':
		return n.elem
	case 't':
		return str
	case 'o':
		if c, ok := n.keys[key]; ok {
			return c
		}
		w.add("unknown field (misspelt? see docs/PACK-FORMAT.md)")
	}
	return nil
}

func (w *walker) array(n *node) error {
	w.expect(n, 'a')
	var elem *node
	if n != nil && n.kind == 'a' {
		elem = n.elem
	}
	limit, noun := limitOf(n, "a", anyList)
	for i := 0; w.dec.More(); i++ {
		if i >= limit {
			return w.tooMany(limit, noun)
		}
		w.path = append(w.path, step{index: i})
		err := w.value(elem)
		w.path = w.path[:len(w.path)-1]
		if err != nil {
			return err
		}
	}
	_, err := w.dec.Token()
	return err
}

// add records a problem at the current path, naming the person when the
// path is inside people[i]; past MaxProblems it only counts.
func (w *walker) add(msg string) {
	if len(w.probs) >= MaxProblems {
		w.more++
		return
	}
	w.probs = append(w.probs, problemAt(w.path, msg))
}

// addAt records a problem with the line and column of the byte at off.
func (w *walker) addAt(off int, msg string) {
	line, col := w.lines.at(off)
	w.add(fmt.Sprintf("%s at line %d, column %d", msg, line, col))
}

// refuseAt records a problem that refuses the manifest.
func (w *walker) refuseAt(off int, msg string) {
	w.refuse = true
	w.addAt(off, msg)
}

func problemAt(path []step, msg string) Problem {
	p := Problem{File: ManifestFile, Index: -1, Msg: msg}
	if len(path) >= 2 && path[0].index < 0 && path[0].key == "people" && path[1].index >= 0 {
		p.Index = path[1].index
		path = path[2:]
	}
	p.Field = joinPath(path)
	return p
}

// joinPath writes links, [0], url as links[0].url, cutting long keys.
func joinPath(path []step) string {
	var b strings.Builder
	for i, s := range path {
		if s.index >= 0 {
			fmt.Fprintf(&b, "[%d]", s.index)
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(clip(s.key, 100))
	}
	return b.String()
}

// clip cuts s to at most n bytes at a character boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// settleTexts files plain-string texts under the pack's first language.
func settleTexts(m *Manifest) {
	lang := "und"
	if len(m.Languages) > 0 && m.Languages[0] != "" {
		lang = m.Languages[0]
	}
	texts := []Text{m.Title}
	for i := range m.Stats {
		texts = append(texts, m.Stats[i].Label)
	}
	for i := range m.Actions {
		texts = append(texts, m.Actions[i].Label)
	}
	for _, r := range m.LetterRules {
		texts = append(texts, r.Note)
	}
	for i := range m.People {
		p := &m.People[i]
		texts = append(texts, p.Name, p.Sentence, p.Occupation, p.Bio)
		for _, c := range p.Charges {
			texts = append(texts, c.Label)
		}
		if p.Facility != nil {
			texts = append(texts, p.Facility.Name)
		}
	}
	for _, t := range texts {
		if t != nil {
			t.settle(lang)
		}
	}
}
