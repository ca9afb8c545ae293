package pack

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

var now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// example is the manifest from docs/PACK-FORMAT.md, with a real photo hash.
func example(photo []byte) map[string]any {
	sum := sha256.Sum256(photo)
	var m map[string]any
	raw := `{
  "format": 1, "id": "by-women-2024-05", "version": "2024-05-20.1",
  "title": {"en": "Women political prisoners of Belarus"},
  "publisher": {"name": "Example Solidarity Group", "url": "https://example.org"},
  "published": "2024-05-20", "review_by": "2024-08-20", "languages": ["en", "be", "ru"],
  "allowed_link_hosts": ["example.org", "spring96.org"],
  "stats": [{"label": {"en": "women political prisoners in custody"}, "value": 181,
     "as_of": "2024-05-20", "source": "Viasna", "source_url": "https://spring96.org"}],
  "actions": [{"kind": "petition", "url": "https://example.org/petition",
     "label": {"en": "Sign for the release of all political prisoners"}}],
  "letter_rules": {"BY": {"languages": ["ru", "be"],
     "note": {"en": "Write in Russian or Belarusian. Keep it short and personal; no politics."}}},
  "files": {"photos/hanna-ablab.jpg": "sha256:` + hex.EncodeToString(sum[:]) + `"},
  "people": [{
      "id": "hanna-ablab", "name": {"en": "Hanna Ablab", "be": "Ганна Аблаб"}, "country": "BY",
      "photo": "photos/hanna-ablab.jpg", "photo_credit": "Family archive", "status": "in_custody",
      "born": "--03-02", "arrested": "2022-03-15", "sentence": {"en": "11 years of imprisonment"},
      "charges": [{"code": "356", "label": {"en": "High treason"}}],
      "occupation": {"en": "Railway employee, member of the Rabochy Rukh workers' movement"},
      "facility": {"name": {"ru": "ИК №4"}, "address": "ИК №4\nул. Антошкина, 3\n246035, г. Гомель\nREPUBLIC OF BELARUS"},
      "bio": {"en": "…"},
      "links": [{"kind": "letter", "url": "https://example.org/letters/hanna-ablab"},
                {"kind": "petition", "url": "https://example.org/petition"}],
      "consent": {"photo": true, "address": true}, "contact": "open", "weight": 1.0,
      "verified": "2024-05-20", "source": {"name": "Viasna", "url": "https://spring96.org"}
  }]
}`
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		panic(err)
	}
	return m
}

var photo = []byte("\xff\xd8\xff not really a jpeg, pack does not decode")

func personOf(m map[string]any) map[string]any { return m["people"].([]any)[0].(map[string]any) }

func marshal(t testing.TB, m map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func writeFolder(t *testing.T, manifest []byte, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	files["pack.json"] = manifest
	if err := testpack.WriteFiles(dir, files); err != nil {
		t.Fatal(err)
	}
	return dir
}

func check(t *testing.T, path string) Problems {
	t.Helper()
	p, err := Open(path, DefaultLimits())
	if err != nil {
		if probs, ok := err.(Problems); ok {
			return probs
		}
		t.Fatalf("Open: %v", err)
	}
	defer p.Close()
	return p.Check(now, nil)
}

func TestExamplePackIsValid(t *testing.T) {
	dir := writeFolder(t, marshal(t, example(photo)), map[string][]byte{"photos/hanna-ablab.jpg": photo})
	if probs := check(t, dir); len(probs) > 0 {
		t.Fatalf("the example from PACK-FORMAT.md has problems:\n%v", probs)
	}
}

func TestManifestProblems(t *testing.T) {
	cases := []struct {
		name   string
		edit   func(m, p map[string]any)
		raw    func([]byte) []byte
		expect string
	}{
		{
			"bad date", func(m, p map[string]any) { p["arrested"] = "2022-13-01" }, nil,
			`pack.json: people[0] "hanna-ablab": arrested: "2022-13-01" is not a date (want YYYY-MM-DD)`,
		},
		{"future date", func(m, p map[string]any) { p["arrested"] = "2030-01-01" }, nil, `arrested: "2030-01-01" is in the future`},
		{"review_by may be in the future", func(m, p map[string]any) { m["review_by"] = "2030-01-01"; p["weight"] = 11.0 }, nil, `weight: 11 is outside 0.1 to 10`},
		{"format 2", func(m, p map[string]any) { m["format"] = 2 }, nil, `pack.json: format: unsupported pack format 2`},
		{"bad pack id", func(m, p map[string]any) { m["id"] = "Bad ID" }, nil, `pack.json: id: "Bad ID" must be`},
		{"missing name", func(m, p map[string]any) { delete(p, "name") }, nil, `people[0] "hanna-ablab": name: missing`},
		{"unknown status", func(m, p map[string]any) { p["status"] = "jailed" }, nil, `status: "jailed" is not one of`},
		{"country", func(m, p map[string]any) { p["country"] = "Belarus" }, nil, `country: "Belarus" is not an ISO 3166-1`},
		{"javascript link", func(m, p map[string]any) {
			p["links"] = []any{map[string]any{"kind": "letter", "url": "javascript:alert(1)"}}
		}, nil, `links[0].url: "javascript:alert(1)" must be an https:// link`},
		{"http link", func(m, p map[string]any) {
			p["links"] = []any{map[string]any{"kind": "letter", "url": "http://example.org/x"}}
		}, nil, `must use https://, not http://`},
		{"host outside allowed", func(m, p map[string]any) {
			p["links"] = []any{map[string]any{"kind": "letter", "url": "https://example.org.evil.com/x"}}
		}, nil, `host "example.org.evil.com" is not in allowed_link_hosts`},
		{"subdomain allowed", func(m, p map[string]any) {
			p["links"] = []any{map[string]any{"kind": "letter", "url": "https://letters.example.org/x"}}
			p["born"] = "1990-02-30"
		}, nil, `born: "1990-02-30" is not a date`},
		{"user info", func(m, p map[string]any) {
			p["links"] = []any{map[string]any{"kind": "letter", "url": "https://me:pw@example.org/x"}}
		}, nil, `must not contain a user name`},
		{"long bio", func(m, p map[string]any) { p["bio"] = strings.Repeat("я", 10000) }, nil, `bio: en: is 10000 characters long; the limit is 2000`},
		{"photo not in files", func(m, p map[string]any) { p["photo"] = "photos/other.jpg" }, nil, `photo: "photos/other.jpg" is not listed in files`},
		{"heic photo", func(m, p map[string]any) { p["photo"] = "photos/a.HEIC" }, nil, `export it as JPEG`},
		{"escaping photo", func(m, p map[string]any) { p["photo"] = "../secret.jpg" }, nil, `must be a plain path inside the pack`},
		{"stat without date", func(m, p map[string]any) { delete(m["stats"].([]any)[0].(map[string]any), "as_of") }, nil, `pack.json: stats[0].as_of: missing`},
		{"unknown key", func(m, p map[string]any) { p["arested"] = "2022-03-15" }, nil, `people[0] "hanna-ablab": arested: unknown field`},
		{"wrong type", func(m, p map[string]any) { p["weight"] = "heavy" }, nil, `people[0] "hanna-ablab": weight: must be a number`},
		{"duplicate key", nil, func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"country":"BY"`), []byte(`"country":"BY","country":"RU"`), 1)
		}, `people[0] "hanna-ablab": country: appears twice`},
		{
			"invalid UTF-8", nil, func(b []byte) []byte { return bytes.Replace(b, []byte("Hanna Ablab"), []byte("Hanna \xffblab"), 1) },
			`people[0] "hanna-ablab": name.en: is not valid UTF-8`,
		},
		{"not JSON", nil, func([]byte) []byte { return []byte("id;name\n1;Hanna") }, `pack.json: not valid JSON at line 1, column 1`},
		{"cut off", nil, func(b []byte) []byte { return b[:len(b)/2] }, `the file ends too early`},
		{"empty", nil, func([]byte) []byte { return nil }, `pack.json: the file is empty`},
		{"BOM is fine, duplicate ids are not", func(m, p map[string]any) {
			m["people"] = append(m["people"].([]any), p)
		}, func(b []byte) []byte { return append([]byte("\xEF\xBB\xBF"), b...) }, `pack.json: people[1] "hanna-ablab": id: "hanna-ablab" is used by people[0] too`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := example(photo)
			if tc.edit != nil {
				tc.edit(m, personOf(m))
			}
			raw := marshal(t, m)
			if tc.raw != nil {
				raw = tc.raw(raw)
			}
			probs := check(t, writeFolder(t, raw, map[string][]byte{"photos/hanna-ablab.jpg": photo}))
			if !strings.Contains(probs.Error(), tc.expect) {
				t.Fatalf("want a problem containing\n  %s\ngot:\n%v", tc.expect, probs)
			}
		})
	}
}

func TestEveryProblemAtOnce(t *testing.T) {
	m := example(photo)
	p := personOf(m)
	p["arrested"] = "2022-13-01"
	p["status"] = "jailed"
	m["format"] = 2
	probs := check(t, writeFolder(t, marshal(t, m), map[string][]byte{"photos/hanna-ablab.jpg": photo}))
	if len(probs) != 3 {
		t.Fatalf("want 3 problems, got %d:\n%v", len(probs), probs)
	}
}

func TestFileProblems(t *testing.T) {
	dir := writeFolder(t, marshal(t, example(photo)), map[string][]byte{"photos/hanna-ablab.jpg": []byte("changed")})
	if probs := check(t, dir); !strings.Contains(probs.Error(), `photos/hanna-ablab.jpg: people[0] "hanna-ablab": photo: photos/hanna-ablab.jpg: sha256 mismatch`) {
		t.Fatalf("hash mismatch not reported with the person:\n%v", probs)
	}
	dir = writeFolder(t, marshal(t, example(photo)), map[string][]byte{})
	if probs := check(t, dir); !strings.Contains(probs.Error(), "the pack has no such file") {
		t.Fatalf("missing photo not reported:\n%v", probs)
	}
	// A symlinked photo inside a folder pack is refused.
	dir = writeFolder(t, marshal(t, example(photo)), map[string][]byte{"real.jpg": photo})
	if err := os.Symlink(filepath.Join(dir, "real.jpg"), filepath.Join(dir, "photos", "hanna-ablab.jpg")); err != nil {
		if err := os.MkdirAll(filepath.Join(dir, "photos"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(filepath.Join(dir, "real.jpg"), filepath.Join(dir, "photos", "hanna-ablab.jpg")); err != nil {
			t.Fatal(err)
		}
	}
	if probs := check(t, dir); !strings.Contains(probs.Error(), "symbolic link") {
		t.Fatalf("symlink not refused:\n%v", probs)
	}
}

// rawEntry is a zip entry written byte for byte, so tests can lie in headers.
type rawEntry struct {
	name    string
	data    []byte
	mode    os.FileMode
	lieSize bool // declare a tiny uncompressed size
}

func makeZip(t testing.TB, entries []rawEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		var comp bytes.Buffer
		fw, _ := flate.NewWriter(&comp, flate.BestCompression)
		_, _ = fw.Write(e.data)
		_ = fw.Close()
		h := &zip.FileHeader{
			Name: e.name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(e.data),
			CompressedSize64: uint64(comp.Len()), UncompressedSize64: uint64(len(e.data)),
		}
		if e.lieSize {
			h.UncompressedSize64 = 10
		}
		if e.mode != 0 {
			h.SetMode(e.mode)
		}
		w, err := zw.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = w.Write(comp.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func zipFile(t *testing.T, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "pack.zip")
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestZip(t *testing.T) {
	manifest := marshal(t, example(photo))
	good := []rawEntry{{name: "pack.json", data: manifest}, {name: "photos/hanna-ablab.jpg", data: photo}}
	small := DefaultLimits()
	small.MaxFileBytes = 1 << 20
	cases := []struct {
		name    string
		entries []rawEntry
		lim     Limits
		expect  string // "" means valid
	}{
		{"valid", good, DefaultLimits(), ""},
		{"one top folder", []rawEntry{{name: "my-pack/pack.json", data: manifest}, {name: "my-pack/photos/hanna-ablab.jpg", data: photo}}, DefaultLimits(), ""},
		{"escaping entry", append(good, rawEntry{name: "../../evil", data: []byte("x")}), DefaultLimits(), `pack.zip: entry "../../evil": name escapes the pack`},
		{"absolute entry", append(good, rawEntry{name: "/etc/cron.d/evil", data: []byte("x")}), DefaultLimits(), `entry "/etc/cron.d/evil": has an absolute path`},
		{"drive letter", append(good, rawEntry{name: "C:/evil", data: []byte("x")}), DefaultLimits(), `has an absolute path`},
		{"backslash", append(good, rawEntry{name: `..\evil`, data: []byte("x")}), DefaultLimits(), `uses \ in its name`},
		{"symlink", append(good, rawEntry{name: "photos/link", data: []byte("/etc/passwd"), mode: os.ModeSymlink | 0o777}), DefaultLimits(), `entry "photos/link": is a symlink`},
		{"duplicate names", append(good, rawEntry{name: "Photos/../PACK.json", data: manifest}), DefaultLimits(), `has the same name as "pack.json"`},
		{"honest bomb", []rawEntry{{name: "pack.json", data: manifest}, {name: "photos/hanna-ablab.jpg", data: make([]byte, 2<<20)}}, small, `unpacks to 2097152 bytes; the limit per file is 1048576`},
		{"lying bomb", []rawEntry{{name: "pack.json", data: manifest}, {name: "photos/hanna-ablab.jpg", data: make([]byte, 2<<20), lieSize: true}}, small, `inflates to more than its header says (a zip bomb?)`},
		{"no manifest", []rawEntry{{name: "photos/a.jpg", data: photo}}, DefaultLimits(), `no pack.json in the pack`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			path := zipFile(t, makeZip(t, tc.entries))
			var probs Problems
			p, err := Open(path, tc.lim)
			if err != nil {
				probs = err.(Problems)
			} else {
				probs = p.Check(now, nil)
				_ = p.Close()
			}
			if tc.expect == "" {
				if len(probs) > 0 {
					t.Fatalf("valid zip refused:\n%v", probs)
				}
				return
			}
			if !strings.Contains(probs.Error(), tc.expect) {
				t.Fatalf("want %q, got:\n%v", tc.expect, probs)
			}
		})
	}
}

func TestTextFallback(t *testing.T) {
	tx := Text{"en": "High treason", "be": "Здрада дзяржаве"}
	for _, tc := range []struct {
		prefer string
		fb     []string
		want   string
	}{
		{"be", nil, "Здрада дзяржаве"},
		{"pl", []string{"ru", "en"}, "High treason"},
		{"pl", nil, "Здрада дзяржаве"}, // any language present, stable order: be < en
	} {
		if got := tx.Get(tc.prefer, tc.fb); got != tc.want {
			t.Errorf("Get(%q, %v) = %q, want %q", tc.prefer, tc.fb, got, tc.want)
		}
	}
	m, probs := Parse([]byte(`{"languages":["be","en"],"title":"Вязні"}`))
	if m == nil || m.Title["be"] != "Вязні" {
		t.Fatalf("plain text not read as the first language: %v %v", m, probs)
	}
}

func ExampleProblem() {
	p := Problem{File: "pack.json", Index: 12, PersonID: "hanna-ablab", Field: "arrested", Msg: `"2022-13-01" is not a date`}
	fmt.Println(p)
	// Output: pack.json: people[12] "hanna-ablab": arrested: "2022-13-01" is not a date
}
