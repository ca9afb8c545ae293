package ui

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/solidarity-kiosk/kiosk/internal/poster"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// placardsButton is the studio toolbar's Placards… button.
func placardsButton(t *testing.T, w *studioWindow) *widget.Button {
	t.Helper()
	for _, b := range w.deliverBn {
		if b.Text == "Placards…" {
			return b
		}
	}
	t.Fatal("no Placards… button among the deliveries")
	return nil
}

// TestStudioPlacards: Placards… is disabled until a pack is open, asks for
// the paper, and writes one A4 placard a person in the pack (two of the
// spreadsheet's four rows) or one A3 sheet of wire strips, saying how many
// pages and where.
func TestStudioPlacards(t *testing.T) {
	w := testStudio(t)
	b := placardsButton(t, w)
	if !b.Disabled() {
		t.Error("Placards… is enabled with nothing open")
	}
	w.open(studioCSV(t), "")
	if b.Disabled() {
		t.Fatalf("Placards… is disabled with a pack open; status %q", w.status.Text)
	}
	test.Tap(b)
	if w.win.Canvas().Overlays().Top() == nil {
		t.Error("Placards… showed no dialog")
	}
	w.win.Canvas().Overlays().Top().Hide()
	out := t.TempDir()
	for _, tc := range []struct {
		paper string
		pages int
	}{
		{poster.PaperA4, 2},
		{poster.PaperA3Strips, 1},
	} {
		t.Run(tc.paper, func(t *testing.T) {
			var paper string
			d, papers := w.placardsForm(func(p string) { paper = p })
			if papers.SelectedIndex() < 0 {
				t.Error("no paper chosen by default")
			}
			papers.SetSelectedIndex(slices.Index(poster.Papers, tc.paper))
			d.Submit()
			if paper != tc.paper {
				t.Fatalf("the dialog chose %q, want %q", paper, tc.paper)
			}
			pdf := filepath.Join(out, w.snap.PlacardsName(paper))
			var got error = os.ErrInvalid
			w.placards(pdf, paper, func(err error) { got = err })
			if got != nil {
				t.Fatalf("placards: %v; status %q", got, w.status.Text)
			}
			if n := testpack.PDFPages(t, pdf); n != tc.pages {
				t.Errorf("%d pages, want %d", n, tc.pages)
			}
			if !strings.Contains(w.status.Text, pdf) || !strings.Contains(w.status.Text, "pages: "+strconv.Itoa(tc.pages)) {
				t.Errorf("status %q", w.status.Text)
			}
		})
	}
	if leftovers, _ := filepath.Glob(filepath.Join(out, ".*.tmp")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
	// A folder that is not there: the error is shown, no file is made.
	var got error
	bad := filepath.Join(out, "gone", "p.pdf")
	w.placards(bad, poster.PaperA4, func(err error) { got = err })
	if got == nil || !strings.Contains(w.status.Text, "gone") {
		t.Errorf("placards into a missing folder: %v; status %q", got, w.status.Text)
	}
}

// TestDefaultPaper: Letter where it is the paper sold, A4 elsewhere.
func TestDefaultPaper(t *testing.T) {
	for _, tc := range []struct{ locale, want string }{
		{"en_US.UTF-8", poster.PaperLetter},
		{"en-US", poster.PaperLetter},
		{"fr_CA.UTF-8", poster.PaperLetter},
		{"es_MX", poster.PaperLetter},
		{"en_GB.UTF-8", poster.PaperA4},
		{"be_BY.UTF-8", poster.PaperA4},
		{"de_DE.UTF-8@euro", poster.PaperA4},
		{"C.UTF-8", poster.PaperA4},
		{"C", poster.PaperA4},
		{"", poster.PaperA4},
	} {
		t.Run(tc.locale, func(t *testing.T) {
			if got := defaultPaper(tc.locale); got != tc.want {
				t.Errorf("defaultPaper(%q) = %q, want %q", tc.locale, got, tc.want)
			}
		})
	}
}
