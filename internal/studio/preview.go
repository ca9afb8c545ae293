package studio

import (
	"cmp"
	"image"
	"log/slog"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/i18n"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/linkhost"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/render"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/slides"
)

// Screens are the screen sizes a preview can be drawn for, besides the
// screen the studio runs on.
var Screens = []imageprep.Size{{W: 1920, H: 1080}, {W: 1080, H: 1920}, {W: 3840, H: 2160}}

// Drawer draws previews with the kiosk's own drawing code. Its methods
// may run on any goroutine, one call at a time per Drawer.
type Drawer struct {
	Fonts *render.Fonts
	Words *i18n.Catalog
	Now   func() time.Time // nil means time.Now
	Log   *slog.Logger     // nil means slog.Default()
}

func (d *Drawer) composer(s *Snapshot) *slides.Composer {
	now, log := d.Now, d.Log
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.Default()
	}
	return &slides.Composer{Photos: s, Fonts: d.Fonts, Words: d.Words, Now: now, Log: log}
}

// Spotlight draws person i of s as the kiosk's spotlight shows them, at px
// pixels with captions in lang ("" for the pack's first language), the
// pack's figures in the ticker and the QR codes; with nobody to show, the
// kiosk's how-to-import slide.
func (d *Drawer) Spotlight(s *Snapshot, i int, px imageprep.Size, lang string) *image.RGBA {
	c := d.composer(s)
	if i < 0 || i >= len(s.People) {
		return c.Draw(show.Entry{}, false, 0, px, cmp.Or(lang, "en"), nil)
	}
	e := s.People[i].Entry
	return c.Draw(e, true, 0, px, cmp.Or(lang, firstLang(e.Manifest)), s.Entries())
}

func firstLang(m *pack.Manifest) string {
	if m != nil && len(m.Languages) > 0 {
		return m.Languages[0]
	}
	return "en"
}

// Wall draws one frame of the wall with everyone in the pack, as the
// screen shows it t into its drift, with person i lifted (none when i is
// out of range) and its captions in lang.
func (d *Drawer) Wall(s *Snapshot, i int, px imageprep.Size, lang string, t time.Duration) *image.RGBA {
	entries := wallOrder(s.Entries())
	g := render.NewWallGeometry(px, len(entries))
	c := d.composer(s)
	lang = cmp.Or(lang, firstLang(s.Manifest))
	w := d.Words.For(lang)
	now := c.Now()
	title, figure := "", ""
	if len(entries) > 0 {
		sl := show.Build(entries[0], w, now)
		title = cmp.Or(sl.DayTitle, entries[0].Manifest.Title.Get(lang, entries[0].Manifest.Languages))
		if figs := slides.Figures(entries, w); len(figs) > 0 {
			figure = figs[0]
		}
	}
	back := render.WallBackdrop(d.Fonts, g, title, figure)
	panel := render.WallPanel(g, d.code(g, entries, now))
	rows := make([][]show.Entry, len(g.Rows))
	for k, e := range entries {
		rows[k%len(rows)] = append(rows[k%len(rows)], e)
	}
	people := make([]int, len(rows))
	for k, r := range rows {
		people[k] = len(r)
	}
	drift := render.WallDrift{G: g, People: people, Period: 3 * time.Second}
	var lifted *image.RGBA
	if i >= 0 && i < len(s.People) {
		e := s.People[i].Entry
		sl := show.Build(e, w, now)
		photo := c.Photo(e, imageprep.Size{W: 2 * g.PrintW, H: 2 * g.PrintH})
		lifted = render.LiftedCard(d.Fonts, g, photo, sl.Memoriam, sl.Name, sl.NativeName, sl.Country, sl.StatusLine, sl.Status)
	}
	prints := map[[2]int]*image.RGBA{}
	return render.WallScene(g, back, panel, lifted, drift.Frame(t), func(p render.Placement) *image.RGBA {
		k := [2]int{p.Row, p.Person}
		if prints[k] == nil {
			e := rows[p.Row][p.Person]
			key := e.PackID + "/" + e.Person.ID
			thumb := c.Photo(e, imageprep.ThumbBox)
			prints[k] = render.TiltedPrint(thumb, pack.IsMemorial(e.Person.Status), imageprep.Size{W: g.PrintW, H: g.PrintH}, render.Tilt(key))
		}
		return prints[k]
	})
}

// wallOrder is the wall's fixed order, as internal/ui's wall orders it.
func wallOrder(entries []show.Entry) []show.Entry {
	out := append([]show.Entry(nil), entries...)
	slices.SortFunc(out, func(a, b show.Entry) int {
		return cmp.Or(cmp.Compare(a.PackID, b.PackID), cmp.Compare(a.Person.ID, b.Person.ID))
	})
	rand.New(rand.NewPCG(uint64(len(out)), 7)).Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// code is the pack's code for the wall's panel, chosen as internal/ui's
// wall chooses it: the first pack action the link policy passes, else the
// first detained person's petition.
func (d *Drawer) code(g render.WallGeometry, entries []show.Entry, now time.Time) *image.RGBA {
	for _, e := range entries {
		m := e.Manifest
		for _, a := range m.Actions {
			if pack.LinkProblem(a.URL, m.AllowedLinkHosts) == "" {
				return render.WallCodeFor(d.Fonts, g, a.URL, a.Label.Get("en", m.Languages), linkhost.Display(a.URL))
			}
		}
	}
	for _, e := range entries {
		s := show.Build(e, d.Words.For("en"), now)
		if s.Petition != nil && pack.IsDetention(e.Person.Status) {
			return render.WallCodeFor(d.Fonts, g, s.Petition.URL, s.Petition.Label, s.Petition.Domain)
		}
	}
	return nil
}

// Languages are the caption languages to offer for s: the pack's own
// first, then every other language the kiosk has captions in.
func (d *Drawer) Languages(s *Snapshot) []string {
	var out []string
	if s != nil && s.Manifest != nil {
		out = append(out, s.Manifest.Languages...)
	}
	for _, l := range d.Words.Languages() {
		if !slices.Contains(out, l) {
			out = append(out, l)
		}
	}
	return out
}
