package ui

import (
	"cmp"
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"github.com/solidarity-kiosk/kiosk/internal/director"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/linkhost"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/render"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/slides"
)

// Wall timing.
const (
	wallFPS    = 20              // drift frames per second: slow movement needs few
	passPeriod = 3 * time.Second // a print passes a fixed point every passPeriod
	liftEvery  = 6 * time.Second // one print is lifted and named this often
)

// wallArt is what a wall layout draws once, off the UI goroutine: where
// everything goes (render.WallGeometry, in pixels), the still backdrop
// with the title and the barbed wires (as patches: the stage already paints
// the plain backdrop, so each frame draws the title and the wires, not a
// full-screen picture), and the panel with the pack's code.
type wallArt struct {
	geo   render.WallGeometry
	back  []render.Patch
	panel *image.RGBA
	size  fyne.Size
	scale float32
}

// wallView shows the wall with Fyne objects made once per layout: the
// backdrop, a fixed pool of print images per wire that drift and get a new
// portrait only when one leaves the screen (so the textures held are what
// is on screen plus a margin, however many people there are), the panel in
// front of the wall's end, and the lifted person's card on it. Every
// picture is drawn by internal/render; this only places them.
type wallView struct {
	k      *kiosk
	root   *fyne.Container
	art    wallArt
	drift  render.WallDrift
	rows   [][]show.Entry
	prints [][]*canvas.Image
	shown  [][]int // which person each print object shows, -1 none
	lifted *canvas.Image
	tick   *canvas.Rectangle // refreshed each frame: Move alone does not repaint the window
	cache  map[string]*image.RGBA
	lifter render.Lifter
	liftAt time.Time
	lifts  []show.Entry // the people lifted during this passage

	// In step with a row of screens: the drift is counted from the
	// epoch, and screen i of n shows the i-th stretch of one long wall.
	epoch           time.Time
	screen, screens int
}

func newWallView(k *kiosk) *wallView {
	w := &wallView{k: k, root: container.NewWithoutLayout(), cache: map[string]*image.RGBA{}}
	w.root.Hide()
	return w
}

// units converts pixels to canvas units.
func (a wallArt) units(px int) float32 { return float32(px) / a.scale }

// order is entries in the wall's fixed order: every screen of a row hangs
// the same wall.
func order(entries []show.Entry) []show.Entry {
	out := append([]show.Entry(nil), entries...)
	slices.SortFunc(out, func(a, b show.Entry) int {
		return cmp.Or(cmp.Compare(a.PackID, b.PackID), cmp.Compare(a.Person.ID, b.Person.ID))
	})
	rand.New(rand.NewPCG(uint64(len(out)), 7)).Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out
}

// prepare draws the wall's still parts for entries on a canvas of size.
func (w *wallView) prepare(entries []show.Entry, size fyne.Size, scale float32) wallArt {
	px := imageprep.Size{W: max(int(size.Width*scale), 64), H: max(int(size.Height*scale), 64)}
	g := render.NewWallGeometry(px, len(entries))
	title, figure := w.titles(entries)
	a := wallArt{geo: g, size: size, scale: scale, back: render.Patches(render.WallBackdrop(w.k.fonts, g, title, figure), render.Backdrop)}
	a.panel = render.WallPanel(g, w.code(g, entries))
	return a
}

// titles are the wall's title line (the day's title on a day that matters,
// else the pack's title) and the pack's headline figure with its date and
// source, in the first caption language.
func (w *wallView) titles(entries []show.Entry) (string, string) {
	if len(entries) == 0 {
		return "", ""
	}
	e := entries[0]
	lang := w.k.dir.Captions(e, 0)[0]
	words := w.k.words.For(lang)
	s := show.Build(e, words, w.k.dir.Now())
	title := s.DayTitle
	if title == "" {
		title = e.Manifest.Title.Get(lang, e.Manifest.Languages)
	}
	figure := ""
	if figs := slides.Figures(entries, words); len(figs) > 0 {
		figure = figs[0]
	}
	return title, figure
}

// setup lays the wall out with art (UI goroutine).
func (w *wallView) setup(entries []show.Entry, art wallArt) {
	w.art = art
	g := art.geo
	w.rows = make([][]show.Entry, len(g.Rows))
	for i, e := range order(entries) {
		w.rows[i%len(w.rows)] = append(w.rows[i%len(w.rows)], e)
	}
	people := make([]int, len(w.rows))
	for i, r := range w.rows {
		people[i] = len(r)
	}
	w.drift = render.WallDrift{G: g, People: people, Period: passPeriod, Screen: w.screen, Screens: w.screens}
	var objs []fyne.CanvasObject
	for _, p := range art.back {
		back := canvas.NewImageFromImage(p.Image)
		back.FillMode = canvas.ImageFillStretch
		back.ScaleMode = canvas.ImageScaleFastest
		back.Move(fyne.NewPos(art.units(p.At.X), art.units(p.At.Y)))
		back.Resize(fyne.NewSize(art.units(p.Image.Rect.Dx()), art.units(p.Image.Rect.Dy())))
		objs = append(objs, back)
	}
	w.prints, w.shown = nil, nil
	for range w.rows {
		var pool []*canvas.Image
		var shown []int
		for range w.drift.Pool() {
			img := canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 1, 1)))
			img.FillMode = canvas.ImageFillStretch
			img.ScaleMode = canvas.ImageScaleFastest
			img.Hide()
			pool = append(pool, img)
			shown = append(shown, -1)
			objs = append(objs, img)
		}
		w.prints, w.shown = append(w.prints, pool), append(w.shown, shown)
	}
	panel := canvas.NewImageFromImage(art.panel)
	panel.FillMode = canvas.ImageFillStretch
	panel.Move(fyne.NewPos(art.units(g.Panel.Min.X), art.units(g.Panel.Min.Y)))
	panel.Resize(fyne.NewSize(art.units(g.Panel.Dx()), art.units(g.Panel.Dy())))
	w.lifted = canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 1, 1)))
	w.lifted.FillMode = canvas.ImageFillStretch
	w.lifted.Move(fyne.NewPos(art.units(g.Lifted.Min.X), art.units(g.Lifted.Min.Y)))
	w.lifted.Resize(fyne.NewSize(art.units(g.Lifted.Dx()), art.units(g.Lifted.Dy())))
	w.lifted.Hide()
	w.tick = canvas.NewRectangle(color.Transparent)
	w.tick.Resize(fyne.NewSize(1, 1))
	w.root.Objects = append(objs, panel, w.lifted, w.tick)
	w.root.Resize(art.size)
	w.root.Refresh()
}

// code is the pack's own code for the panel: the first pack action that
// passes the link policy, else the first detained person's petition.
func (w *wallView) code(g render.WallGeometry, entries []show.Entry) *image.RGBA {
	for _, e := range entries {
		m := e.Manifest
		for _, a := range m.Actions {
			if pack.LinkProblem(a.URL, m.AllowedLinkHosts) == "" {
				return render.WallCodeFor(w.k.fonts, g, a.URL, a.Label.Get("en", m.Languages), linkhost.Display(a.URL))
			}
		}
	}
	for _, e := range entries {
		s := show.Build(e, w.k.words.For("en"), w.k.dir.Now())
		if s.Petition != nil && pack.IsDetention(e.Person.Status) { // a petition, not someone's memorial or support link
			return render.WallCodeFor(w.k.fonts, g, s.Petition.URL, s.Petition.Label, s.Petition.Domain)
		}
	}
	return nil
}

// printFor is a person's print, tilted as theirs always is, made once and kept.
func (w *wallView) printFor(e show.Entry) *image.RGBA {
	key := e.PackID + "/" + e.Person.ID
	if img, ok := w.cache[key]; ok {
		return img
	}
	if len(w.cache) > 4*len(w.rows)*w.drift.Pool() {
		clear(w.cache) // bounded: what is on screen, and a margin
	}
	var thumb *image.RGBA
	if e.Photo != nil && e.Photo.Thumb.Hash != "" {
		if data, err := w.k.st.Blob(e.Photo.Thumb.Hash); err == nil {
			thumb, _, _ = imageprep.Decode("thumb.jpg", data, imageprep.ThumbBox, imageprep.DefaultLimits())
		}
	} else if e.Photo != nil { // a cache made before thumbnails: the display image, decoded small
		thumb = w.k.compose.Photo(e, imageprep.ThumbBox)
	}
	g := w.art.geo
	img := render.TiltedPrint(thumb, pack.IsMemorial(e.Person.Status), imageprep.Size{W: g.PrintW, H: g.PrintH}, render.Tilt(key))
	w.cache[key] = img
	return img
}

// wallFrame is one frame: where each print goes, the new images, and the
// lifted card when it changes.
type wallFrame struct {
	places []render.Placement
	images map[[2]int]*image.RGBA
	lifted *image.RGBA
}

// next computes the frame at t (off the UI goroutine).
func (w *wallView) next(t time.Duration) wallFrame {
	f := wallFrame{places: w.drift.Frame(t), images: map[[2]int]*image.RGBA{}}
	for _, p := range f.places {
		if w.shown[p.Row][p.Slot] != p.Person {
			f.images[[2]int{p.Row, p.Slot}] = w.printFor(w.rows[p.Row][p.Person])
		}
	}
	f.lifted = w.maybeLift(f.places)
	return f
}

// run drifts the wall for d (forever when d is 0) and returns the people
// it lifted. Frames are computed here; only placing them is on the UI
// goroutine.
func (w *wallView) run(ctx context.Context, d time.Duration) []show.Entry {
	start := time.Now()
	mode := w.k.dir.Mode()
	left := func(m string) bool { return w.k.dir.Mode() != m }
	w.lifts, w.liftAt = nil, start // the first lift at once: the card is never empty
	tick := time.NewTicker(time.Second / wallFPS)
	defer tick.Stop()
	frames, since := 0, start
	for first := true; ctx.Err() == nil && (d == 0 || time.Since(start) < d) && !left(mode); first = false {
		if frames++; time.Since(since) >= 10*time.Second { // for scripts/wall-figures.sh (KIOSK_LOG=debug)
			w.k.opts.Logger.Debug("wall frames", "fps", fmt.Sprintf("%.1f", float64(frames)/time.Since(since).Seconds()))
			frames, since = 0, time.Now()
		}
		w.fitCanvas()
		t := time.Since(start)
		if !w.epoch.IsZero() {
			t = w.k.dir.Now().Sub(w.epoch) // the same drift on every screen of the row
		}
		f := w.next(t)
		onUI(func() { w.apply(f) })
		if first {
			w.k.opts.Logger.Info("first wall frame on screen", "people", w.people(), "since_switch", time.Since(start).Round(time.Millisecond))
		}
		select {
		case <-ctx.Done():
		case <-tick.C:
		case c := <-w.k.dir.Commands():
			if c == director.Next && d > 0 {
				return w.lifts // a clicker ends the passage early
			}
		}
	}
	return w.lifts
}

func (w *wallView) people() int {
	n := 0
	for _, r := range w.rows {
		n += len(r)
	}
	return n
}

// maybeLift, every liftEvery, lifts one of the prints wholly on the wall
// (the one lifted longest ago: a different person each time, with 3 people
// as with 3,000) and draws their card.
func (w *wallView) maybeLift(places []render.Placement) *image.RGBA {
	if time.Now().Before(w.liftAt) || len(places) == 0 {
		return nil
	}
	w.liftAt = time.Now().Add(liftEvery)
	g := w.art.geo
	var ids []string
	var who []show.Entry
	var mid []float64
	for _, p := range places {
		r := g.PrintAt(p.Row, p.X)
		if !r.In(g.Wall) {
			continue
		}
		e := w.rows[p.Row][p.Person]
		ids, who = append(ids, e.PackID+"/"+e.Person.ID), append(who, e)
		mid = append(mid, math.Abs(float64(r.Min.X+r.Dx()/2-g.Wall.Min.X-g.Wall.Dx()/2)))
	}
	i := w.lifter.Pick(ids, func(i int) float64 { return mid[i] })
	if i < 0 {
		return nil
	}
	e := who[i]
	w.lifts = append(w.lifts, e)
	langs := w.k.dir.Captions(e, len(w.lifts))
	s := show.Build(e, w.k.words.For(langs[0]), w.k.dir.Now())
	photo := w.k.compose.Photo(e, imageprep.Size{W: 2 * g.PrintW, H: 2 * g.PrintH})
	return render.LiftedCard(w.k.fonts, g, photo, s.Memoriam, s.Name, s.NativeName, s.Country, s.StatusLine, s.Status)
}

// apply places the prints and the lifted card (UI goroutine).
func (w *wallView) apply(f wallFrame) {
	a := w.art
	for _, p := range f.places {
		obj := w.prints[p.Row][p.Slot]
		if img, ok := f.images[[2]int{p.Row, p.Slot}]; ok {
			obj.Image = img
			obj.Refresh()
			w.shown[p.Row][p.Slot] = p.Person
		}
		size := obj.Image.Bounds().Size()
		r := render.PrintBounds(a.geo, p, size)
		obj.Move(fyne.NewPos(a.units(r.Min.X), a.units(r.Min.Y)))
		obj.Resize(fyne.NewSize(a.units(size.X), a.units(size.Y)))
		obj.Show()
	}
	w.tick.Refresh() // moved prints are repainted only when something is refreshed
	if f.lifted != nil {
		w.lifted.Image = f.lifted
		w.lifted.Show()
		w.lifted.Refresh()
	}
}

// fitCanvas lays the wall out again when the window's size changed (the
// fullscreen window reaches its size a moment after it opens) or the
// installed packs did.
func (w *wallView) fitCanvas() {
	size, scale := w.canvasSize()
	entries := w.all()
	if fresh, ok := w.k.dir.TakeReload(); ok { // a pack was imported or re-fitted: hang the new people
		entries = fresh
	} else if size == w.art.size && scale == w.art.scale {
		return
	}
	art := w.prepare(entries, size, scale)
	onUI(func() { w.setup(entries, art) })
	clear(w.cache)
	w.k.opts.Logger.Info("wall laid out for the window", "size", fmt.Sprintf("%dx%d", art.geo.Size.W, art.geo.Size.H), "rows", len(art.geo.Rows))
}

// all is everyone on the wall.
func (w *wallView) all() []show.Entry {
	var out []show.Entry
	for _, r := range w.rows {
		out = append(out, r...)
	}
	return out
}

// canvasSize is the window's size and scale, read on the UI goroutine.
func (w *wallView) canvasSize() (fyne.Size, float32) {
	var size fyne.Size
	var scale float32
	onUI(func() {
		c := w.k.win.Canvas()
		size, scale = c.Size(), c.Scale()
	})
	return size, scale
}

// passage shows the wall of entries for d (until the mode changes when d
// is 0) and returns the people it lifted; with row, this screen's stretch
// of the row's one long wall. The spotlight's images are hidden meanwhile,
// so the window draws one picture, not three.
func (w *wallView) passage(ctx context.Context, d time.Duration, entries []show.Entry, row *show.Row) []show.Entry {
	switched := time.Now()
	if row != nil {
		w.epoch, w.screen, w.screens = row.Epoch, row.Screen, row.Screens
	}
	size, scale := w.canvasSize()
	if w.art.size != size || w.art.scale != scale || w.people() != len(entries) {
		art := w.prepare(entries, size, scale)
		onUI(func() { w.setup(entries, art) })
		w.cache = map[string]*image.RGBA{}
	}
	stg := w.k.stage
	onUI(func() {
		w.root.Show()
		stg.a.Hide()
		stg.b.Hide()
	})
	w.k.opts.Logger.Info("wall shown", "people", len(entries), "prepared_in", time.Since(switched).Round(time.Millisecond))
	lifts := w.run(ctx, d)
	onUI(func() {
		stg.a.Show()
		stg.b.Show()
		w.root.Hide()
	})
	return lifts
}
