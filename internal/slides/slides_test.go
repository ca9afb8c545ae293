package slides

import (
	"strings"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/demo/demotest"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
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
