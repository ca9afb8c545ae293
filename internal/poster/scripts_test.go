package poster

import (
	"bytes"
	"context"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/glyphs"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// TestEveryScriptOnPaper prints a placard per script the kiosk promises
// (glyphs.SampleNames) and reads it back: each name comes out of the PDF
// whole (a character drawn as .notdef maps to no text, so it would be
// missing) and the script fonts it needed are embedded (issue 18: Hebrew,
// Georgian, Armenian and CJK names were printed as empty boxes).
func TestEveryScriptOnPaper(t *testing.T) {
	testpack.NeedTools(t, "pdftotext", "pdffonts")
	scripts := make([]string, 0, len(glyphs.SampleNames))
	for s := range glyphs.SampleNames {
		scripts = append(scripts, s)
	}
	sort.Strings(scripts)
	m := &pack.Manifest{ID: "scripts", Version: "1", Languages: []string{"en"}}
	for _, s := range scripts {
		m.People = append(m.People, pack.Person{ID: strings.ToLower(s), Name: pack.Text{"en": glyphs.SampleNames[s]}, Country: "BY", Status: pack.StatusInCustody})
	}
	var people []Person
	for i := range m.People {
		people = append(people, Person{Entry: show.Entry{PackID: m.ID, Manifest: m, Person: &m.People[i], Weight: 1}})
	}
	var b bytes.Buffer
	if _, err := Write(context.Background(), &b, people, Options{Paper: PaperA4, Now: testNow, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	pdf := t.TempDir() + "/scripts.pdf"
	if err := os.WriteFile(pdf, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	squeeze := func(s string) string { return strings.Join(strings.Fields(s), "") }
	text := squeeze(run(t, "pdftotext", "-enc", "UTF-8", pdf, "-"))
	for _, s := range scripts {
		if name := glyphs.SampleNames[s]; !strings.Contains(text, squeeze(name)) {
			t.Errorf("%s: the placard does not read %q", s, name)
		}
	}
	fonts := run(t, "pdffonts", pdf)
	for _, want := range []string{"NotoSans-Regular", "NotoSansArabic", "NotoSansKioskScripts-Regular"} {
		if !strings.Contains(fonts, "+"+want) {
			t.Errorf("pdffonts lacks a subset of %s:\n%s", want, fonts)
		}
	}
	if len(b.Bytes()) > 600_000 {
		t.Errorf("the PDF is %d bytes: are whole fonts embedded?", len(b.Bytes()))
	}
}

// A Latin-only placard carries none of the other scripts' fonts.
func TestScriptFontsOnlyWhenUsed(t *testing.T) {
	testpack.NeedTools(t, "pdffonts")
	m := &pack.Manifest{
		ID: "latin", Version: "1", Languages: []string{"en"},
		People: []pack.Person{{ID: "a", Name: pack.Text{"en": "Anna"}, Country: "BY", Status: pack.StatusInCustody}},
	}
	var b bytes.Buffer
	people := []Person{{Entry: show.Entry{PackID: m.ID, Manifest: m, Person: &m.People[0], Weight: 1}}}
	if _, err := Write(context.Background(), &b, people, Options{Paper: PaperA4, Now: testNow, Workers: 1}); err != nil {
		t.Fatal(err)
	}
	pdf := t.TempDir() + "/latin.pdf"
	if err := os.WriteFile(pdf, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if fonts := run(t, "pdffonts", pdf); strings.Contains(fonts, "KioskScripts") {
		t.Errorf("unused script fonts embedded:\n%s", fonts)
	}
}

// A Hebrew name is laid out right to left, as a Persian one is: its last
// letter is the leftmost glyph and its first the rightmost, and the line
// is a right-to-left one (aligned right).
func TestHebrewRightToLeftOnPaper(t *testing.T) {
	fs, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	ts := &typesetter{fonts: fs}
	l := ts.shape("שלום עליכם", fs.bold, 20)
	if len(l.glyphs) < 9 || !l.rtl {
		t.Fatalf("%d glyphs, right to left %v", len(l.glyphs), l.rtl)
	}
	first, last := l.glyphs[0], l.glyphs[len(l.glyphs)-1]
	if first.f.used[first.gid] != "ם" || last.f.used[last.gid] != "ש" {
		t.Errorf("leftmost glyph %q, rightmost %q: want ם and ש", first.f.used[first.gid], last.f.used[last.gid])
	}
}
