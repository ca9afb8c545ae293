package pack

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Parse decodes pack.json. It reports, all at once, what makes the document
// unreadable as a manifest: an empty file, JSON syntax (with line and
// column), invalid UTF-8, duplicate keys, unknown keys and wrong types, each
// with its field and person. It returns the manifest whenever the JSON could
// be decoded at all, so Validate can add the rule problems.
func Parse(data []byte) (*Manifest, Problems) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, Problems{problemf("", "the file is empty")}
	}
	w := &walker{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	w.dec.UseNumber()
	if err := w.value(manifestSchema, nil); err != nil {
		return nil, Problems{syntaxProblem(data, err)}
	}
	if _, err := w.dec.Token(); err != io.EOF {
		return nil, Problems{problemf("", "not valid JSON: more content after the end of the manifest")}
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) || len(w.probs) == 0 {
			w.probs = append(w.probs, problemf("", "not a pack manifest: %v", err))
		}
	}
	settleTexts(&m)
	probs := w.probs
	for i := range probs {
		if probs[i].Index >= 0 && probs[i].Index < len(m.People) {
			probs[i].PersonID = m.People[probs[i].Index].ID
		}
	}
	return &m, probs
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

// walker goes through the JSON tokens, checking them against the schema.
type walker struct {
	data  []byte
	dec   *json.Decoder
	probs Problems
}

// value reads one JSON value at path, expected to match n (nil: anything).
func (w *walker) value(n *node, path []string) error {
	start := w.dec.InputOffset()
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	raw := w.data[start:w.dec.InputOffset()]
	switch t := tok.(type) {
	case json.Delim:
		if t == '{' {
			return w.object(n, path)
		}
		return w.array(n, path)
	case string:
		if !utf8.Valid(raw) {
			w.add(path, "is not valid UTF-8 text (save the file as UTF-8)")
		}
		w.expect(n, path, 's')
	case json.Number:
		w.expect(n, path, 'n')
	case bool:
		w.expect(n, path, 'b')
	}
	// null is read as "absent"; Validate reports required fields that are missing.
	return nil
}

// expect reports a value of kind got where n wants another kind.
func (w *walker) expect(n *node, path []string, got byte) {
	if n == nil {
		return
	}
	ok := n.kind == got || (n.kind == 't' && (got == 's' || got == 'o')) || (n.kind == 'm' && got == 'o')
	if !ok {
		w.add(path, "must be "+kindName[n.kind])
	}
}

func (w *walker) object(n *node, path []string) error {
	w.expect(n, path, 'o')
	seen := map[string]bool{}
	for w.dec.More() {
		start := w.dec.InputOffset()
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		child := path
		child = append(child[:len(child):len(child)], key)
		if !utf8.Valid(w.data[start:w.dec.InputOffset()]) {
			w.add(child, "the key is not valid UTF-8")
		}
		if seen[key] {
			w.add(child, "appears twice")
		}
		seen[key] = true
		if err := w.value(w.childNode(n, child, key), child); err != nil {
			return err
		}
	}
	_, err := w.dec.Token()
	return err
}

// childNode is the schema node for key inside n, reporting unknown keys.
func (w *walker) childNode(n *node, path []string, key string) *node {
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
		w.add(path, "unknown field (misspelt? see docs/PACK-FORMAT.md)")
	}
	return nil
}

func (w *walker) array(n *node, path []string) error {
	w.expect(n, path, 'a')
	var elem *node
	if n != nil && n.kind == 'a' {
		elem = n.elem
	}
	for i := 0; w.dec.More(); i++ {
		child := append(path[:len(path):len(path)], "["+strconv.Itoa(i)+"]")
		if err := w.value(elem, child); err != nil {
			return err
		}
	}
	_, err := w.dec.Token()
	return err
}

// add records a problem at path, naming the person when the path is inside people[i].
func (w *walker) add(path []string, msg string) {
	w.probs = append(w.probs, problemAt(path, msg))
}

func problemAt(path []string, msg string) Problem {
	p := Problem{File: ManifestFile, Index: -1, Msg: msg}
	if len(path) >= 2 && path[0] == "people" && strings.HasPrefix(path[1], "[") {
		if i, err := strconv.Atoi(strings.Trim(path[1], "[]")); err == nil {
			p.Index = i
			path = path[2:]
		}
	}
	p.Field = joinPath(path)
	return p
}

// joinPath writes ["links", "[0]", "url"] as links[0].url.
func joinPath(path []string) string {
	var b strings.Builder
	for i, s := range path {
		if i > 0 && !strings.HasPrefix(s, "[") {
			b.WriteByte('.')
		}
		b.WriteString(s)
	}
	return b.String()
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
