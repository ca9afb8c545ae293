package slides

import (
	"strings"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/demo/demotest"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/show"
)

func demoComposer(t *testing.T) (*Composer, []show.Entry) {
	t.Helper()
	st := demotest.Cache(t)
	recs, err := st.Packs()
	if err != nil {
		t.Fatal(err)
	}
	entries, err := show.Entries(recs)
	if err != nil || len(entries) == 0 {
		t.Fatalf("entries: %v %v", entries, err)
	}
	fonts, words := demotest.Drawing(t)
	now := time.Date(2026, 5, 21, 12, 0, 0, 0, time.UTC)
	return &Composer{Photos: st, Fonts: fonts, Words: words, Now: func() time.Time { return now }, Log: demotest.Quiet()}, entries
}

func TestDrawIsAtTheScreenSizeAndNeverOverwritesTheTwoLatest(t *testing.T) {
	c, entries := demoComposer(t)
	px := imageprep.Size{W: 1280, H: 720}
	a := c.Draw(entries[0], true, 0, px, "en", entries)
	b := c.Draw(entries[1], true, 1, px, "be", entries)
	if a.Rect.Dx() != px.W || a.Rect.Dy() != px.H {
		t.Fatalf("slide is %v, want %dx%d", a.Rect, px.W, px.H)
	}
	if &a.Pix[0] == &b.Pix[0] {
		t.Fatal("the slide fading out was drawn over")
	}
	c2 := c.Draw(entries[2], true, 2, px, "en", entries)
	d := c.Draw(entries[0], true, 3, px, "en", entries)
	if &d.Pix[0] != &a.Pix[0] || &c2.Pix[0] == &b.Pix[0] {
		t.Error("the buffers are not reused in turn (three of them)")
	}
	msg := c.Draw(show.Entry{}, false, 0, imageprep.Size{W: 1080, H: 1920}, "en", nil)
	if msg.Rect.Dx() != 1080 || msg.Rect.Dy() != 1920 {
		t.Errorf("the no-packs message is %v", msg.Rect)
	}
}

func TestFiguresCarryTheirDateAndSourceAndRotate(t *testing.T) {
	c, entries := demoComposer(t)
	w := c.Words.For("en")
	figs := Figures(entries, w)
	if len(figs) < 2 {
		t.Fatalf("figures %q: the demo pack has several", figs)
	}
	for _, f := range figs {
		if !strings.Contains(f, "20") || !strings.Contains(f, "·") {
			t.Errorf("figure %q lacks its date or source", f)
		}
	}
	if len(Figures(append(entries, entries...), w)) != len(figs) {
		t.Error("a pack's figures are listed once however many of its people are shown")
	}
	r := Rotate(figs, 1)
	if r[0] != figs[1] || r[len(r)-1] != figs[0] || Rotate(nil, 3) != nil {
		t.Errorf("Rotate(…, 1) = %q", r)
	}
}

// TestATickerItemFollowsItsLabelsLanguage: on a Persian caption, a figure
// the pack labels only in English is worded, numbered and dated in English
// (no Persian digits inside an English line); one with a Persian label is
// Persian throughout.
func TestATickerItemFollowsItsLabelsLanguage(t *testing.T) {
	_, words := demotest.Drawing(t)
	m := &pack.Manifest{ID: "p", Languages: []string{"en", "fa"}, Stats: []pack.Stat{
		{Label: pack.Text{"en": "political prisoners in Iran"}, Value: 1234, AsOf: "2024-05-20", Source: "HRANA"},
		{Label: pack.Text{"en": "women detained", "fa": "زن زندانی"}, Value: 181, AsOf: "2024-05-20", Source: "HRANA"},
	}, People: []pack.Person{{ID: "a"}}}
	figs := Figures([]show.Entry{{PackID: "p", Manifest: m, Person: &m.People[0]}}, words.For("fa"))
	if len(figs) != 2 {
		t.Fatalf("figures %q", figs)
	}
	persianDigit := func(s string) bool { return strings.ContainsAny(s, "۰۱۲۳۴۵۶۷۸۹") }
	if en := figs[0]; persianDigit(en) || !strings.Contains(en, "1,234") || !strings.Contains(en, "as of 20 May 2024") {
		t.Errorf("an English-labelled figure on a Persian caption: %q, want it in English with its own digits", en)
	}
	if fa := figs[1]; !persianDigit(fa) || !strings.Contains(fa, "زن زندانی") || strings.Contains(fa, "as of") {
		t.Errorf("a Persian-labelled figure: %q, want Persian words and digits", fa)
	}
}
