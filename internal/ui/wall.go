package ui

import (
	"cmp"
	"context"
	"fmt"
	"image"
	"image/color"
	"math"
	"math/rand/v2"
	"net/url"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"github.com/solidarity-kiosk/kiosk/internal/director"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/render"
	"github.com/solidarity-kiosk/kiosk/internal/show"
)

// Wall timing.
const (
	wallFPS    = 20              // drift frames per second: slow movement needs few
	passPeriod = 3 * time.Second // a print passes a fixed point every passPeriod
	liftEvery  = 6 * time.Second // one print is lifted and named this often
)

// wallGeo places the wires and prints on a canvas of W×H units.
type wallGeo struct {
	W, H, scale     float32
	wireY           []float32
	printW, printH  float32
	spacing, margin float32
	pool            int // print objects per wire
}

func newWallGeo(size fyne.Size, scale float32) wallGeo {
	g := wallGeo{W: size.Width, H: size.Height, scale: scale}
	g.printH = g.H * 0.27
	g.printW = g.printH * 3 / 4
	g.spacing = g.printW * 1.3
	g.margin = g.spacing / 2
	g.wireY = []float32{g.H * 0.07, g.H * 0.42}
	g.pool = int(g.W/g.spacing) + 2
	return g
}

// px is a unit length in pixels.
func (g wallGeo) px(u float32) int { return int(u*g.scale + 0.5) }

// wallRow is the people hanging on one wire.
type wallRow struct {
	people []show.Entry
	drifts bool // more prints than fit across: the row drifts and loops
}

// wallView draws the wall with Fyne objects created once: wires and barbs
// that never move, and a fixed pool of print images per wire that drift
// and are given a new portrait only when one leaves the screen, so the
// textures held are what is on screen plus a margin, however many people
// there are.
type wallView struct {
	k      *kiosk
	root   *fyne.Container
	geo    wallGeo
	rows   []wallRow
	prints [][]*canvas.Image
	shown  [][]int // which person each print object shows, -1 none
	lifted *canvas.Image
	code   *canvas.Image
	tick   *canvas.Rectangle // refreshed each frame: Move alone does not repaint the window
	cache  map[string]*image.RGBA
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

// setup lays the wall out for entries on the canvas as it is now. It runs
// on the UI goroutine with images prepared beforehand.
func (w *wallView) setup(entries []show.Entry, size fyne.Size, scale float32, code *image.RGBA) {
	w.geo = newWallGeo(size, scale)
	g := w.geo
	order := append([]show.Entry(nil), entries...)
	// Every screen of a row must hang the same wall: a fixed order first.
	slices.SortFunc(order, func(a, b show.Entry) int {
		return cmp.Or(cmp.Compare(a.PackID, b.PackID), cmp.Compare(a.Person.ID, b.Person.ID))
	})
	rand.New(rand.NewPCG(uint64(len(order)), 7)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	w.rows = make([]wallRow, len(g.wireY))
	for i, e := range order {
		r := &w.rows[i%len(w.rows)]
		r.people = append(r.people, e)
	}
	bg := canvas.NewRectangle(render.Backdrop)
	bg.Resize(size)
	objs := []fyne.CanvasObject{bg}
	w.prints, w.shown = nil, nil
	for i, y := range g.wireY {
		w.rows[i].drifts = float32(len(w.rows[i].people))*g.spacing > g.W
		objs = append(objs, wire(g, y)...)
		var pool []*canvas.Image
		var shown []int
		for range g.pool {
			img := canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 1, 1)))
			img.FillMode = canvas.ImageFillStretch
			img.ScaleMode = canvas.ImageScaleFastest
			img.Resize(fyne.NewSize(g.printW, g.printH))
			img.Hide()
			pool = append(pool, img)
			shown = append(shown, -1)
			objs = append(objs, img)
		}
		w.prints, w.shown = append(w.prints, pool), append(w.shown, shown)
	}
	w.lifted = canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 1, 1)))
	w.lifted.FillMode = canvas.ImageFillStretch
	w.lifted.Hide()
	objs = append(objs, w.lifted)
	if code != nil {
		w.code = canvas.NewImageFromImage(code)
		w.code.FillMode = canvas.ImageFillStretch
		cs := fyne.NewSize(float32(code.Bounds().Dx())/scale, float32(code.Bounds().Dy())/scale)
		w.code.Resize(cs)
		w.code.Move(fyne.NewPos(g.W-cs.Width-g.H*0.03, g.H-cs.Height-g.H*0.03))
		objs = append(objs, w.code)
	}
	w.tick = canvas.NewRectangle(color.Transparent)
	w.tick.Resize(fyne.NewSize(1, 1))
	objs = append(objs, w.tick)
	w.root.Objects = objs
	w.root.Resize(size)
	w.root.Refresh()
}

// wire is one wire across the screen with its barbs (drawn, not a bitmap).
func wire(g wallGeo, y float32) []fyne.CanvasObject {
	col := color.RGBA{0x8A, 0x86, 0x80, 0xFF}
	line := canvas.NewLine(col)
	line.StrokeWidth = max(g.H/400, 1.5)
	line.Position1, line.Position2 = fyne.NewPos(0, y), fyne.NewPos(g.W, y)
	out := []fyne.CanvasObject{line}
	step := g.spacing * 0.5
	for x := step / 2; x < g.W; x += step {
		for _, d := range []float32{-1, 1} {
			b := canvas.NewLine(col)
			b.StrokeWidth = line.StrokeWidth
			s := g.H / 90
			b.Position1, b.Position2 = fyne.NewPos(x-s, y-s*d), fyne.NewPos(x+s, y+s*d)
			out = append(out, b)
		}
	}
	return out
}

// placement is where one print object goes in a frame, and whom it shows.
type placement struct {
	row, obj, person int
	x                float32
}

// frame computes every print's place at time t since the wall started.
func (w *wallView) frame(t time.Duration) []placement {
	g := w.geo
	var out []placement
	for r, row := range w.rows {
		n := len(row.people)
		if n == 0 {
			continue
		}
		if !row.drifts { // all fit: hang them still, centred, no repeats
			x0 := (g.W - float32(n)*g.spacing) / 2
			for i := range min(n, g.pool) {
				out = append(out, placement{row: r, obj: i, person: i, x: x0 + float32(i)*g.spacing + (g.spacing-g.printW)/2})
			}
			continue
		}
		// Odd wires drift the other way, as prints on a real line would
		// not all agree. A screen in a row sees its own stretch of the
		// row's one long wall.
		screens := float32(max(w.screens, 1))
		before := float32(max(w.screen-1, 0)) * g.W
		offset := float32(t.Seconds()/passPeriod.Seconds()) * g.spacing
		if r%2 == 1 {
			before = (screens-1)*g.W - before // mirrored: the last screen's stretch comes first
		}
		first := int(math.Floor(float64((offset + before) / g.spacing)))
		for k := range g.pool {
			slot := first + k
			x := float32(slot)*g.spacing - offset - before - g.margin
			if r%2 == 1 {
				x = g.W - x - g.printW
			}
			if screens > 1 && (x+g.printW/2 < 0 || x+g.printW/2 >= g.W) {
				continue // a print across two screens of a row hangs on the one holding its middle
			}
			out = append(out, placement{row: r, obj: ((slot % g.pool) + g.pool) % g.pool, person: ((slot % n) + n) % n, x: x})
		}
	}
	return out
}

// printFor is a person's print at the print's pixel size, made once and kept.
func (w *wallView) printFor(e show.Entry) *image.RGBA {
	key := e.PackID + "/" + e.Person.ID
	if img, ok := w.cache[key]; ok {
		return img
	}
	if len(w.cache) > 4*len(w.rows)*w.geo.pool {
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
	img := render.Print(thumb, pack.IsMemorial(e.Person.Status), imageprep.Size{W: w.geo.px(w.geo.printW), H: w.geo.px(w.geo.printH)})
	w.cache[key] = img
	return img
}

// run drifts the wall for d (forever when d is 0) and returns the people
// it lifted. Frames are computed here; only placing them is on the UI
// goroutine.
func (w *wallView) run(ctx context.Context, d time.Duration) []show.Entry {
	start := time.Now()
	mode := w.k.dir.Mode()
	left := func(m string) bool { return w.k.dir.Mode() != m }
	w.lifts, w.liftAt = nil, start.Add(liftEvery/2)
	tick := time.NewTicker(time.Second / wallFPS)
	defer tick.Stop()
	for first := true; ctx.Err() == nil && (d == 0 || time.Since(start) < d) && !left(mode); first = false {
		w.fitCanvas()
		t := time.Since(start)
		if !w.epoch.IsZero() {
			t = w.k.dir.Now().Sub(w.epoch) // the same drift on every screen of the row
		}
		places := w.frame(t)
		images := map[[2]int]*image.RGBA{}
		for _, p := range places {
			if w.shown[p.row][p.obj] != p.person {
				images[[2]int{p.row, p.obj}] = w.printFor(w.rows[p.row].people[p.person])
			}
		}
		lifted := w.maybeLift(places)
		fyne.DoAndWait(func() { w.apply(places, images, lifted) })
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
		n += len(r.people)
	}
	return n
}

// maybeLift picks, every liftEvery, the print nearest the middle of the
// first wire and draws its enlarged, named card.
func (w *wallView) maybeLift(places []placement) *image.RGBA {
	if time.Now().Before(w.liftAt) || len(places) == 0 {
		return nil
	}
	w.liftAt = time.Now().Add(liftEvery)
	best, bestD := -1, float32(math.MaxFloat32)
	for i, p := range places {
		if p.row != 0 {
			continue
		}
		if dd := abs32(p.x + w.geo.printW/2 - w.geo.W*0.35); dd < bestD {
			best, bestD = i, dd
		}
	}
	if best < 0 {
		return nil
	}
	e := w.rows[0].people[places[best].person]
	w.lifts = append(w.lifts, e)
	langs := w.k.dir.Captions(e, len(w.lifts))
	s := show.Build(e, w.k.words.For(langs[0]), w.k.dir.Now())
	size := imageprep.Size{W: w.geo.px(w.geo.W * 0.3), H: w.geo.px(w.geo.H * 0.56)}
	photo := w.k.compose.Photo(e, imageprep.Size{W: size.W, H: size.H * 62 / 100})
	return render.WallLabel(w.k.fonts, photo, s.Name, s.NativeName, s.StatusLine, s.Status, s.Memoriam, size)
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

// apply places the prints (UI goroutine).
func (w *wallView) apply(places []placement, images map[[2]int]*image.RGBA, lifted *image.RGBA) {
	g := w.geo
	for _, p := range places {
		obj := w.prints[p.row][p.obj]
		if img, ok := images[[2]int{p.row, p.obj}]; ok {
			obj.Image = img
			obj.Refresh()
			w.shown[p.row][p.obj] = p.person
		}
		obj.Move(fyne.NewPos(p.x, g.wireY[p.row]-g.H*0.008)) // the peg sits on the wire
		obj.Show()
	}
	w.tick.Refresh() // moved prints are repainted only when something is refreshed
	if lifted != nil {
		w.lifted.Image = lifted
		w.lifted.Resize(fyne.NewSize(g.W*0.3, g.H*0.56))
		w.lifted.Move(fyne.NewPos(g.W*0.68, g.H*0.05))
		w.lifted.Show()
		w.lifted.Refresh()
	}
}

// wallCode is the pack's own QR for the corner: the first pack action that
// passes the link policy, else the first person's petition.
func wallCode(k *kiosk, entries []show.Entry, screenH int) *image.RGBA {
	for _, e := range entries {
		m := e.Manifest
		for _, a := range m.Actions {
			if pack.LinkProblem(a.URL, m.AllowedLinkHosts) == "" {
				return render.WallCode(k.fonts, a.URL, a.Label.Get("en", m.Languages), hostOf(a.URL), screenH)
			}
		}
	}
	for _, e := range entries {
		s := show.Build(e, k.words.For("en"), k.dir.Now())
		if s.Petition != nil && pack.IsDetention(e.Person.Status) { // a petition, not someone's memorial or support link
			return render.WallCode(k.fonts, s.Petition.URL, s.Petition.Label, s.Petition.Domain, screenH)
		}
	}
	return nil
}

func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return strings.TrimPrefix(p.Hostname(), "www.")
}

// fitCanvas lays the wall out again when the window's size changed (the
// fullscreen window reaches its size a moment after it opens) or the
// installed packs did.
func (w *wallView) fitCanvas() {
	size, scale := w.canvasSize()
	entries := w.all()
	if fresh, ok := w.k.dir.TakeReload(); ok { // a pack was imported or re-fitted: hang the new people
		entries = fresh
	} else if size.Width == w.geo.W && size.Height == w.geo.H {
		return
	}
	code := wallCode(w.k, entries, int(size.Height*scale))
	fyne.DoAndWait(func() { w.setup(entries, size, scale, code) })
	clear(w.cache)
	w.k.opts.Logger.Info("wall laid out for the window", "size", fmt.Sprintf("%.0fx%.0f", size.Width*scale, size.Height*scale))
}

// all is everyone on the wall.
func (w *wallView) all() []show.Entry {
	var out []show.Entry
	for _, r := range w.rows {
		out = append(out, r.people...)
	}
	return out
}

// canvasSize is the window's size and scale, read on the UI goroutine.
func (w *wallView) canvasSize() (fyne.Size, float32) {
	var size fyne.Size
	var scale float32
	c := w.k.win.Canvas()
	fyne.DoAndWait(func() { size, scale = c.Size(), c.Scale() })
	return size, scale
}

// passage shows the wall of entries for d (until the mode changes when d
// is 0) and returns the people it lifted; with row, this screen's stretch
// of the row's one long wall.
func (w *wallView) passage(ctx context.Context, d time.Duration, entries []show.Entry, row *show.Row) []show.Entry {
	switched := time.Now()
	if row != nil {
		w.epoch, w.screen, w.screens = row.Epoch, row.Screen, row.Screens
	}
	size, scale := w.canvasSize()
	if w.geo.W != size.Width || w.geo.H != size.Height || w.people() != len(entries) {
		code := wallCode(w.k, entries, int(size.Height*scale))
		fyne.DoAndWait(func() { w.setup(entries, size, scale, code) })
		w.cache = map[string]*image.RGBA{}
	}
	fyne.DoAndWait(func() { w.root.Show() })
	w.k.opts.Logger.Info("wall shown", "people", len(entries), "prepared_in", time.Since(switched).Round(time.Millisecond))
	lifts := w.run(ctx, d)
	fyne.DoAndWait(func() { w.root.Hide() })
	return lifts
}
