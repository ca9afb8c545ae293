package pack

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"
)

// minimal is a valid manifest with extra top-level fields and the person's
// extra fields (each starting with a comma).
func minimal(top, person string) string {
	return `{"format":1,"id":"limits","version":"1","title":"Limits","publisher":{"name":"T"},` +
		`"published":"2024-05-20","languages":["en"]` + top +
		`,"people":[{"id":"p-0","name":"Person","country":"BY","status":"in_custody"` + person + `}]}`
}

// parseProblems parses and validates, returning every problem as text and
// whether a manifest came out.
func parseProblems(t *testing.T, data string) (string, bool) {
	t.Helper()
	m, probs := Parse([]byte(data))
	if m != nil {
		probs = append(probs, m.Validate(now)...)
	}
	return probs.Error(), m != nil
}

func nest(open, close string, n int, inner string) string {
	return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
}

func repeatJoin(n int, f func(i int) string) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = f(i)
	}
	return strings.Join(parts, ",")
}

func TestMinimalIsValid(t *testing.T) {
	if out, ok := parseProblems(t, minimal("", "")); !ok || out != "" {
		t.Fatalf("the minimal manifest has problems: %s", out)
	}
}

// TestLimits checks every limit of pack.json at the limit (no such problem,
// a manifest comes out) and one past it (refused, no manifest, the message
// naming the person, the field, the line and the column).
func TestLimits(t *testing.T) {
	sha := `"sha256:` + strings.Repeat("0", 64) + `"`
	cases := []struct {
		name      string
		at, over  string // manifests at and one past the limit
		want      string // the problem one past it
		overLimit string // a phrase only the refusal has
	}{
		{
			"depth",
			minimal(`,"x":`+nest("[", "]", MaxDepth-1, ""), ""),
			minimal(`,"x":`+nest("[", "]", MaxDepth, ""), ""),
			"pack.json: x[0][0][0][0][0][0][0][0][0]: nested too deeply (more than 10 levels) at line 1, column 140", "nested too deeply",
		},
		{
			"depth of objects on line 3",
			"{\n\n\"a\":" + nest(`{"a":`, "}", MaxDepth-1, "0") + "}",
			"{\n\n\"a\":" + nest(`{"a":`, "}", MaxDepth, "0") + "}",
			"pack.json: a.a.a.a.a.a.a.a.a.a: nested too deeply (more than 10 levels) at line 3, column 50", "nested too deeply",
		},
		{
			"string",
			minimal("", `,"bio":"`+strings.Repeat("a", MaxStringBytes)+`"`),
			minimal("", `,"bio":"`+strings.Repeat("a", MaxStringBytes+1)+`"`),
			`pack.json: people[0] "p-0": bio: is 65537 bytes long; no text in pack.json may be longer than 65536 bytes at line 1, column 208`, "no text in pack.json",
		},
		{
			"string with escapes, counted decoded",
			minimal(`,"x":"`+strings.Repeat(`\u00e9`, MaxStringBytes/2)+`"`, ""),
			minimal(`,"x":"`+strings.Repeat(`\u00e9`, MaxStringBytes/2)+`a"`, ""),
			"x: is 65537 bytes long", "no text in pack.json",
		},
		{
			"key",
			minimal(`,"files":{"`+strings.Repeat("k", MaxKeyBytes)+`":`+sha+`}`, ""),
			minimal(`,"files":{"`+strings.Repeat("k", MaxKeyBytes+1)+`":`+sha+`}`, ""),
			"the key is 1025 bytes long; the limit is 1024 at line 1, column 136", "the key is",
		},
		{
			"number",
			minimal("", `,"weight":1.`+strings.Repeat("0", MaxNumberBytes-2)),
			minimal("", `,"weight":1.`+strings.Repeat("0", MaxNumberBytes-1)),
			`people[0] "p-0": weight: is a number 33 characters long; the limit is 32`, "is a number",
		},
		{
			"people",
			minimal("", "")[:strings.Index(minimal("", ""), `"people"`)] + `"people":[` + repeatJoin(MaxPeople, func(i int) string {
				return fmt.Sprintf(`{"id":"p-%d","name":"P","country":"BY","status":"in_custody"}`, i)
			}) + "]}",
			minimal("", "")[:strings.Index(minimal("", ""), `"people"`)] + `"people":[` + repeatJoin(MaxPeople+1, func(i int) string {
				return fmt.Sprintf(`{"id":"p-%d","name":"P","country":"BY","status":"in_custody"}`, i)
			}) + "]}",
			"pack.json: people: more than 10000 people; the limit is 10000", "more than",
		},
		{
			"files",
			minimal(`,"files":{`+repeatJoin(MaxFiles, func(i int) string { return fmt.Sprintf(`"f/%d.jpg":%s`, i, sha) })+`}`, ""),
			minimal(`,"files":{`+repeatJoin(MaxFiles+1, func(i int) string { return fmt.Sprintf(`"f/%d.jpg":%s`, i, sha) })+`}`, ""),
			"pack.json: files: more than 20000 files; the limit is 20000", "more than",
		},
		{
			"languages of one text",
			minimal("", `,"bio":{`+repeatJoin(MaxLanguages, func(i int) string { return fmt.Sprintf(`"en-x-%d":"a"`, i) })+`}`),
			minimal("", `,"bio":{`+repeatJoin(MaxLanguages+1, func(i int) string { return fmt.Sprintf(`"en-x-%d":"a"`, i) })+`}`),
			`pack.json: people[0] "p-0": bio: more than 100 languages; the limit is 100`, "more than",
		},
		{
			"languages",
			strings.Replace(minimal("", ""), `"languages":["en"]`, `"languages":[`+repeatJoin(MaxLanguages, func(i int) string { return fmt.Sprintf(`"en-x-%d"`, i) })+`]`, 1),
			strings.Replace(minimal("", ""), `"languages":["en"]`, `"languages":[`+repeatJoin(MaxLanguages+1, func(i int) string { return fmt.Sprintf(`"en-x-%d"`, i) })+`]`, 1),
			"pack.json: languages: more than 100 languages; the limit is 100", "more than",
		},
		{
			"allowed link hosts",
			minimal(`,"allowed_link_hosts":[`+repeatJoin(MaxLinkHosts, func(i int) string { return fmt.Sprintf(`"h%d.org"`, i) })+`]`, ""),
			minimal(`,"allowed_link_hosts":[`+repeatJoin(MaxLinkHosts+1, func(i int) string { return fmt.Sprintf(`"h%d.org"`, i) })+`]`, ""),
			"pack.json: allowed_link_hosts: more than 1000 hosts; the limit is 1000", "more than",
		},
		{
			"stats",
			minimal(`,"stats":[`+repeatJoin(MaxStats, func(int) string { return `{"label":"n","value":1,"as_of":"2024-05-20","source":"s"}` })+`]`, ""),
			minimal(`,"stats":[`+repeatJoin(MaxStats+1, func(int) string { return `{"label":"n","value":1,"as_of":"2024-05-20","source":"s"}` })+`]`, ""),
			"pack.json: stats: more than 100 figures; the limit is 100", "more than",
		},
		{
			"actions",
			minimal(`,"actions":[`+repeatJoin(MaxActions, func(int) string { return `{"kind":"donate","url":"https://example.org"}` })+`]`, ""),
			minimal(`,"actions":[`+repeatJoin(MaxActions+1, func(int) string { return `{"kind":"donate","url":"https://example.org"}` })+`]`, ""),
			"pack.json: actions: more than 100 actions; the limit is 100", "more than",
		},
		{
			"letter rules",
			minimal(`,"letter_rules":{`+repeatJoin(MaxLetterRules, func(i int) string { return fmt.Sprintf(`"Q%d":{}`, i) })+`}`, ""),
			minimal(`,"letter_rules":{`+repeatJoin(MaxLetterRules+1, func(i int) string { return fmt.Sprintf(`"Q%d":{}`, i) })+`}`, ""),
			"pack.json: letter_rules: more than 300 countries; the limit is 300", "more than",
		},
		{
			"charges",
			minimal("", `,"charges":[`+repeatJoin(MaxCharges, func(int) string { return `{"code":"1"}` })+`]`),
			minimal("", `,"charges":[`+repeatJoin(MaxCharges+1, func(int) string { return `{"code":"1"}` })+`]`),
			`pack.json: people[0] "p-0": charges: more than 100 charges; the limit is 100`, "more than",
		},
		{
			"links",
			minimal("", `,"links":[`+repeatJoin(MaxLinks, func(int) string { return `{"kind":"other","url":"https://example.org"}` })+`]`),
			minimal("", `,"links":[`+repeatJoin(MaxLinks+1, func(int) string { return `{"kind":"other","url":"https://example.org"}` })+`]`),
			`pack.json: people[0] "p-0": links: more than 50 links; the limit is 50`, "more than",
		},
		{
			"keys of an object",
			minimal("", ","+repeatJoin(MaxKeys-4, func(i int) string { return fmt.Sprintf(`"x%d":0`, i) })),
			minimal("", ","+repeatJoin(MaxKeys-3, func(i int) string { return fmt.Sprintf(`"x%d":0`, i) })),
			`pack.json: people[0] "p-0": more than 100 keys; the limit is 100`, "more than",
		},
		{
			"a list under an unknown key",
			minimal(`,"x":[`+repeatJoin(MaxElements, func(int) string { return "0" })+`]`, ""),
			minimal(`,"x":[`+repeatJoin(MaxElements+1, func(int) string { return "0" })+`]`, ""),
			"pack.json: x: more than 10000 entries; the limit is 10000", "more than",
		},
		{
			"an object under an unknown key",
			minimal(`,"x":{`+repeatJoin(MaxElements, func(i int) string { return fmt.Sprintf(`"%d":0`, i) })+`}`, ""),
			minimal(`,"x":{`+repeatJoin(MaxElements+1, func(i int) string { return fmt.Sprintf(`"%d":0`, i) })+`}`, ""),
			"pack.json: x: more than 10000 keys; the limit is 10000", "more than",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, ok := parseProblems(t, tc.at)
			if !ok {
				t.Errorf("at the limit: no manifest: %.500s", out)
			}
			if strings.Contains(out, tc.overLimit) {
				t.Errorf("at the limit, refused: %.500s", out)
			}
			out, ok = parseProblems(t, tc.over)
			if ok {
				t.Errorf("one past the limit, a manifest came out")
			}
			if !strings.Contains(out, tc.want) {
				t.Errorf("one past the limit: want\n  %s\ngot\n  %.1000s", tc.want, out)
			}
		})
	}
}

func TestNumbers(t *testing.T) {
	for _, tc := range []struct{ field, value, want string }{
		{"weight", "1e999999", `people[0] "p-0": weight: 1e999999 is too large a number`},
		{"weight", "-1e400", `weight: -1e400 is too large a number`},
		{"format", "1.5", "format: 1.5 must be a whole number"},
		{"format", "99999999999", "format: 99999999999 must be a whole number"},
	} {
		var data string
		if tc.field == "format" {
			data = strings.Replace(minimal("", ""), `"format":1`, `"format":`+tc.value, 1)
		} else {
			data = minimal("", `,"`+tc.field+`":`+tc.value)
		}
		if out, _ := parseProblems(t, data); !strings.Contains(out, tc.want) {
			t.Errorf("%s %s: want %q, got\n%s", tc.field, tc.value, tc.want, out)
		}
	}
}

func TestManifestSizeLimit(t *testing.T) {
	data := minimal("", "")
	at := data + strings.Repeat(" ", MaxManifestBytes-len(data))
	if _, probs := Parse([]byte(at)); len(probs) > 0 {
		t.Fatalf("16 MiB refused: %v", probs)
	}
	if _, probs := Parse([]byte(at + " ")); !strings.Contains(probs.Error(), "pack.json: is 16777217 bytes; the limit is 16777216") {
		t.Fatalf("16 MiB + 1 not refused: %v", probs)
	}
}

// TestIssue10 is the issue's input: 100,000 [ then 100,000 ]. It is
// refused at once, reading nothing past the 11th level.
func TestIssue10(t *testing.T) {
	data := []byte(strings.Repeat("[", 100_000) + strings.Repeat("]", 100_000))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	m, probs := Parse(data)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if m != nil || !strings.Contains(probs.Error(), "nested too deeply (more than 10 levels) at line 1, column 11") {
		t.Fatalf("not refused: %v", probs)
	}
	if took > time.Second {
		t.Errorf("took %v", took)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Errorf("allocated %d bytes", alloc)
	}
}

func TestProblemsAreCapped(t *testing.T) {
	var people []string
	for i := range MaxProblems + 50 {
		people = append(people, fmt.Sprintf(`{"id":"p-%d","name":"P","country":"XX","status":"in_custody","x":0}`, i))
	}
	data := minimal("", "")[:strings.Index(minimal("", ""), `"people"`)] + `"people":[` + strings.Join(people, ",") + "]}"
	m, probs := Parse([]byte(data))
	if m == nil {
		t.Fatal("no manifest")
	}
	if len(probs) != MaxProblems+1 || probs[MaxProblems].More != 50 || probs.Count() != MaxProblems+50 {
		t.Fatalf("parse: %d problems listed, count %d", len(probs), probs.Count())
	}
	vprobs := m.Validate(now)
	if len(vprobs) != MaxProblems+1 || vprobs.Count() != MaxProblems+50 {
		t.Fatalf("validate: %d problems listed, count %d", len(vprobs), vprobs.Count())
	}
	all := append(probs, vprobs...)
	lines := strings.Split(all.Error(), "\n")
	if len(lines) != MaxProblems+1 || lines[MaxProblems] != "… and 300 more problems (only the first 200 are listed)" {
		t.Fatalf("%d lines, the last: %q", len(lines), lines[len(lines)-1])
	}
	if c := all.Capped(); c.Count() != all.Count() || len(c) != MaxProblems+1 {
		t.Fatalf("Capped: %d listed, count %d, want %d", len(c), c.Count(), all.Count())
	}
	if !strings.HasPrefix(lines[0], `pack.json: people[0] "p-0": x: unknown field`) {
		t.Fatalf("first line %q", lines[0])
	}
}

func TestLongValuesAreCutInMessages(t *testing.T) {
	data := minimal("", `,"arrested":"`+strings.Repeat("9", 60_000)+`"`)
	out, _ := parseProblems(t, data)
	if len(out) > 1000 || !strings.Contains(out, `people[0] "p-0": arrested: "999`) || !strings.HasSuffix(out, "…") {
		t.Fatalf("%d bytes: %.300s", len(out), out)
	}
}

func TestParseContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	data := minimal(`,"x":[`+repeatJoin(5000, func(int) string { return "0" })+`]`, "")
	m, probs := ParseContext(ctx, []byte(data))
	if m != nil || len(probs) != 1 || probs[0].String() != "pack.json: not checked to the end: context canceled" {
		t.Fatalf("cancelled: %v %v", m, probs)
	}
	dir := writeFolder(t, []byte(minimal("", "")), map[string][]byte{})
	if _, err := OpenContext(ctx, dir, DefaultLimits()); !errors.Is(err, context.Canceled) {
		t.Fatalf("OpenContext with a cancelled context: %v", err)
	}
}

// TestCheckStopsWithTheContext opens a pack, then cancels its context: Check
// and ReadFile stop.
func TestCheckStopsWithTheContext(t *testing.T) {
	files := map[string][]byte{}
	var listed []string
	for i := range 50 {
		name := fmt.Sprintf("f/%d.bin", i)
		files[name] = bytes.Repeat([]byte{byte(i)}, 1<<16)
		listed = append(listed, fmt.Sprintf(`"%s":"sha256:%s"`, name, strings.Repeat("0", 64)))
	}
	dir := writeFolder(t, []byte(minimal(`,"files":{`+strings.Join(listed, ",")+`}`, "")), files)
	ctx, cancel := context.WithCancel(context.Background())
	p, err := OpenContext(ctx, dir, DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	cancel()
	probs := p.Check(now, nil)
	if last := probs[len(probs)-1].String(); last != "pack.json: not checked to the end: context canceled" {
		t.Fatalf("Check after cancel: %v", probs)
	}
	if _, err := p.ReadFile("f/1.bin"); !errors.Is(err, context.Canceled) {
		t.Fatalf("ReadFile after cancel: %v", err)
	}
}

func TestNotARegularFile(t *testing.T) {
	for _, path := range []string{"/dev/zero", "/dev/null"} {
		if _, err := os.Stat(path); err != nil {
			t.Skip(path, err)
		}
		_, err := Open(path, DefaultLimits())
		if err == nil || !strings.Contains(err.Error(), "not a regular file: a pack is a folder or a .zip") {
			t.Errorf("%s: %v", path, err)
		}
	}
}

// zipOf writes entries with archive/zip, each with the given header edits.
func zipOf(t *testing.T, entries map[string]func(h *zip.FileHeader) []byte) string {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range sortedKeys(entries) {
		h := &zip.FileHeader{Name: name, Method: zip.Store}
		data := entries[name](h)
		if h.CompressedSize64 == 0 {
			h.CompressedSize64 = uint64(len(data))
		}
		if h.UncompressedSize64 == 0 && h.Mode()&fs.ModeDir == 0 {
			h.UncompressedSize64 = uint64(len(data))
		}
		w, err := zw.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return zipFile(t, buf.Bytes())
}

func TestZipLimits(t *testing.T) {
	manifest := func(h *zip.FileHeader) []byte { return []byte(minimal("", "")) }
	data := func(b []byte) func(h *zip.FileHeader) []byte { return func(*zip.FileHeader) []byte { return b } }
	ratio := func(r int) func(h *zip.FileHeader) []byte {
		return func(h *zip.FileHeader) []byte {
			h.UncompressedSize64 = uint64(r) * 20_000
			return make([]byte, 20_000)
		}
	}
	cases := []struct {
		name    string
		entries map[string]func(h *zip.FileHeader) []byte
		lim     func(l *Limits)
		want    string // "" valid
	}{
		{"entries at the limit", map[string]func(*zip.FileHeader) []byte{"pack.json": manifest, "a": data(nil), "b": data(nil)}, func(l *Limits) { l.MaxEntries = 3 }, ""},
		{"entries over the limit", map[string]func(*zip.FileHeader) []byte{"pack.json": manifest, "a": data(nil), "b": data(nil), "c": data(nil)}, func(l *Limits) { l.MaxEntries = 3 }, "pack.zip: declares 4 entries; the limit is 3"},
		{"name at the limit", map[string]func(*zip.FileHeader) []byte{"pack.json": manifest, strings.Repeat("n", MaxEntryNameBytes): data(nil)}, nil, ""},
		{"name over the limit", map[string]func(*zip.FileHeader) []byte{"pack.json": manifest, strings.Repeat("n", MaxEntryNameBytes+1): data(nil)}, nil, "the name is 1025 bytes long; the limit is 1024"},
		{"control character", map[string]func(*zip.FileHeader) []byte{"pack.json": manifest, "a\x1b[31m": data(nil)}, nil, `entry "a\x1b[31m": has a control character in its name`},
		{"ratio at the limit", map[string]func(*zip.FileHeader) []byte{"pack.json": manifest, "r": ratio(MaxCompressionRatio)}, nil, ""},
		{"ratio over the limit", map[string]func(*zip.FileHeader) []byte{"pack.json": manifest, "r": ratio(MaxCompressionRatio + 1)}, nil, `entry "r": unpacks 2020000 bytes from 20000, more than 100 times its size (a zip bomb?)`},
		{"small entries may compress more", map[string]func(*zip.FileHeader) []byte{"pack.json": manifest, "r": func(h *zip.FileHeader) []byte { h.UncompressedSize64 = 1 << 20; return []byte("x") }}, nil, ""},
		{"folder with content", map[string]func(*zip.FileHeader) []byte{"pack.json": manifest, "d/": func(h *zip.FileHeader) []byte { h.SetMode(fs.ModeDir | 0o755); h.UncompressedSize64 = 5; return nil }}, nil, `entry "d/": is a folder that declares 5 bytes of content`},
		{"compressed size past the zip", map[string]func(*zip.FileHeader) []byte{"pack.json": manifest, "c": func(h *zip.FileHeader) []byte { h.CompressedSize64 = 1 << 40; return nil }}, nil, `entry "c": declares 1099511627776 stored bytes in a zip of`},
		{"zip over its size limit", map[string]func(*zip.FileHeader) []byte{"pack.json": manifest, "big": data(make([]byte, 5000))}, func(l *Limits) { l.MaxTotalBytes = 5000 - ZipSlack }, "pack.zip: the zip is"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			lim := DefaultLimits()
			if tc.lim != nil {
				tc.lim(&lim)
			}
			path := zipOf(t, tc.entries)
			var out string
			p, err := Open(path, lim)
			if err != nil {
				out = err.Error()
			} else {
				out = p.Check(now, nil).Error()
				_ = p.Close()
			}
			if tc.want == "" && out != "" || !strings.Contains(out, tc.want) {
				t.Fatalf("want %q, got:\n%s", tc.want, out)
			}
		})
	}
}

func TestZipOverlappingEntries(t *testing.T) {
	// Two directory records for one local header: a.bin's data is b.bin's.
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"pack.json", "a.bin"} {
		data := []byte(minimal("", ""))
		if name == "a.bin" {
			data = []byte("0123456789")
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Store, CompressedSize64: uint64(len(data)), UncompressedSize64: uint64(len(data))})
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	raw := buf.Bytes()
	// Point a.bin's record (the second) at pack.json's local header, offset 0.
	second := bytes.LastIndex(raw, []byte("PK\x01\x02"))
	copy(raw[second+42:second+46], []byte{0, 0, 0, 0})
	_, err := Open(zipFile(t, raw), DefaultLimits())
	if err == nil || !strings.Contains(err.Error(), `shares its stored bytes with "pack.json" (a zip bomb?)`) {
		t.Fatalf("overlapping entries not refused: %v", err)
	}
}
