package render

import (
	"hash/fnv"
	"image"
	"image/color"
	"image/draw"
	"math"
	"time"

	"github.com/disintegration/imaging"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
)

// Colours of the wall's wire and panel.
var (
	wireSteel  = color.RGBA{0xB4, 0xB0, 0xA8, 0xFF}
	wireShadow = color.RGBA{0x3A, 0x38, 0x34, 0xFF}
	panelBg    = color.RGBA{0x14, 0x14, 0x14, 0xFF}
	panelEdge  = color.RGBA{0x3C, 0x3A, 0x36, 0xFF}
	cardBg     = color.RGBA{0x22, 0x21, 0x1F, 0xFF}
)

// WallBackdrop draws what does not move on the wall: the backdrop, the
// title line with the headline figure under it, and the barbed wires with
// their barbs (the prints hang over it, the panel stands in front of it).
func WallBackdrop(f *Fonts, g WallGeometry, title, figure string) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, g.Size.W, g.Size.H))
	draw.Draw(img, img.Bounds(), image.NewUniform(Backdrop), image.Point{}, draw.Src)
	unit := float64(min(g.Size.W, g.Size.H))
	c := column{f: f, img: img, r: g.Title, H: g.Size.H, long: max(g.Size.W, g.Size.H), unit: min(g.Size.W, g.Size.H)}
	c.y = g.Title.Min.Y
	c.lineAt(newPen(f, f.Bold, unit*0.05, textMain), title, "title", false)
	c.lineAt(newPen(f, f.Regular, unit*0.028, textSoft), figure, "figure", false)
	for _, r := range g.Rows {
		barbedWire(img, g, r)
	}
	return img
}

// barbedWire draws one wire: a twisted steel line sagging between its
// posts, with a barb every half print spacing.
func barbedWire(img *image.RGBA, g WallGeometry, r WallRow) {
	w := math.Max(float64(g.Size.H)/260, 2.5)
	step := 6.0
	x0, x1 := float64(g.Wall.Min.X), float64(g.Wall.Max.X)
	for x := x0; x < x1; x += step {
		ya, yb := r.WireY(x), r.WireY(x+step)
		thickLine(img, x, ya+w/2, x+step, yb+w/2, w, wireShadow) // its shadow on the wall
		thickLine(img, x, ya, x+step, yb, w, wireSteel)
	}
	// The twist of two strands: a darker stroke every few pixels.
	for x := x0; x < x1; x += w * 3 {
		y := r.WireY(x)
		thickLine(img, x, y-w/2, x+w, y+w/2, math.Max(w/3, 1), wireShadow)
	}
	barb := math.Max(float64(g.Size.H)/55, 7)
	for x := x0 + float64(g.Spacing)/4; x < x1; x += float64(g.Spacing) / 2 {
		y := r.WireY(x)
		for _, a := range []float64{55, -55, 125, -125} {
			dx, dy := barb*math.Cos(a*math.Pi/180)/2, barb*math.Sin(a*math.Pi/180)/2
			thickLine(img, x, y, x+dx, y+dy, w*0.8, wireSteel)
		}
		thickLine(img, x-w, y-w, x+w, y+w, w*1.4, wireSteel) // the coil
	}
}

// thickLine draws an antialiased line of width w from (x0,y0) to (x1,y1).
func thickLine(img *image.RGBA, x0, y0, x1, y1, w float64, col color.RGBA) {
	minX, maxX := int(math.Floor(math.Min(x0, x1)-w)), int(math.Ceil(math.Max(x0, x1)+w))
	minY, maxY := int(math.Floor(math.Min(y0, y1)-w)), int(math.Ceil(math.Max(y0, y1)+w))
	b := img.Bounds()
	dx, dy := x1-x0, y1-y0
	l2 := dx*dx + dy*dy
	for y := max(minY, b.Min.Y); y < min(maxY, b.Max.Y); y++ {
		for x := max(minX, b.Min.X); x < min(maxX, b.Max.X); x++ {
			px, py := float64(x)+0.5, float64(y)+0.5
			t := 0.0
			if l2 > 0 {
				t = math.Max(0, math.Min(1, ((px-x0)*dx+(py-y0)*dy)/l2))
			}
			ex, ey := px-(x0+t*dx), py-(y0+t*dy)
			cover := w/2 + 0.5 - math.Sqrt(ex*ex+ey*ey)
			if cover <= 0 {
				continue
			}
			a := math.Min(cover, 1)
			o := img.PixOffset(x, y)
			p := img.Pix[o : o+4 : o+4]
			p[0] = uint8(float64(p[0])*(1-a) + float64(col.R)*a)
			p[1] = uint8(float64(p[1])*(1-a) + float64(col.G)*a)
			p[2] = uint8(float64(p[2])*(1-a) + float64(col.B)*a)
			p[3] = 0xFF
		}
	}
}

// WallPanel draws the panel that stands in front of the wall's right edge
// (or bottom, on a portrait screen), with the pack's code on it; the
// lifted card is placed over it at g.Lifted. code may be nil.
func WallPanel(g WallGeometry, code *image.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, g.Panel.Dx(), g.Panel.Dy()))
	draw.Draw(img, img.Bounds(), image.NewUniform(panelBg), image.Point{}, draw.Src)
	edge := max(g.Size.H/300, 2)
	if g.Size.W >= g.Size.H {
		draw.Draw(img, image.Rect(0, 0, edge, img.Rect.Dy()), image.NewUniform(panelEdge), image.Point{}, draw.Src)
	} else {
		draw.Draw(img, image.Rect(0, 0, img.Rect.Dx(), edge), image.NewUniform(panelEdge), image.Point{}, draw.Src)
	}
	if code != nil {
		box := g.Code.Sub(g.Panel.Min)
		cb := code.Bounds()
		at := image.Pt(box.Min.X+(box.Dx()-cb.Dx())/2, box.Min.Y+(box.Dy()-cb.Dy())/2)
		draw.Draw(img, cb.Add(at), code, cb.Min, draw.Src)
	}
	return img
}

// WallCodeFor draws the pack's code for g's code box: the code as large as
// the box allows with its label above and domain below.
func WallCodeFor(f *Fonts, g WallGeometry, url, label, domain string) *image.RGBA {
	return WallCode(f, url, label, domain, g.Code.Size())
}

// LiftedCard draws the lifted person's card: their print at twice a wall
// print's size, then name, own-script name directly under it, and country
// and status. It is opaque and exactly g.Lifted's size.
func LiftedCard(f *Fonts, g WallGeometry, photo *image.RGBA, died bool, name, native, country, status, statusKey string) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, g.Lifted.Dx(), g.Lifted.Dy()))
	draw.Draw(img, img.Bounds(), image.NewUniform(cardBg), image.Point{}, draw.Src)
	m := max(g.Lifted.Dx()/24, 4)
	pw, ph := 2*g.PrintW, 2*g.PrintH
	card := Print(photo, died, imageprep.Size{W: pw, H: ph})
	at := image.Pt((img.Rect.Dx()-pw)/2, m)
	draw.Draw(img, card.Bounds().Add(at), card, image.Point{}, draw.Src)
	unit := float64(min(g.Size.W, g.Size.H))
	c := column{f: f, img: img, r: image.Rect(m, at.Y+ph+m/2, img.Rect.Dx()-m, img.Rect.Dy()-m/2), H: g.Size.H, long: max(g.Size.W, g.Size.H), unit: min(g.Size.W, g.Size.H)}
	c.limit = c.r.Max.Y
	c.y = c.r.Min.Y
	c.lineAt(newPen(f, f.Bold, unit*0.036, textMain), name, "name", false)
	c.lineAt(newPen(f, f.Regular, unit*0.026, textSoft), native, "native", !rightToLeft(name))
	line := country
	if status != "" {
		line = country + " · " + status
		if country == "" {
			line = status
		}
	}
	c.paraAs(newPen(f, f.Bold, unit*0.023, statusColour(statusKey)), line, "status", 2)
	return img
}

// Tilt is the slight angle a person's print hangs at, the same every time
// (from their id), between -2.5° and 2.5°.
func Tilt(id string) float64 {
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	return (float64(h.Sum32()%1000)/999 - 0.5) * 5
}

// TiltedPrint is Print turned by deg about its centre, on a transparent
// ground, in a square a little larger than the print so the corners fit.
func TiltedPrint(thumb *image.RGBA, died bool, size imageprep.Size, deg float64) *image.RGBA {
	p := Print(thumb, died, size)
	r := imaging.Rotate(p, deg, color.Transparent)
	out := image.NewRGBA(image.Rect(0, 0, r.Rect.Dx(), r.Rect.Dy()))
	draw.Draw(out, out.Rect, r, r.Rect.Min, draw.Src)
	return out
}

// Placement is where one print goes in a frame of the wall, and whom it shows.
type Placement struct {
	Row, Slot, Person int // Slot: the print object (Slot mod pool) showing Person (an index into the row)
	X                 float64
}

// WallDrift moves the rows' prints along their wires: a row whose people
// fit hangs still and centred; a longer one drifts and loops, odd rows the
// other way. On screen i of a row of n screens, each shows its stretch of
// one long wall.
type WallDrift struct {
	G               WallGeometry
	People          []int         // how many people hang on each row
	Period          time.Duration // a print passes a fixed point every Period
	Screen, Screens int
}

// Pool is how many print objects a row needs at most.
func (d WallDrift) Pool() int { return d.G.Wall.Dx()/max(d.G.Spacing, 1) + 3 }

// Drifts reports whether row has more people than fit across.
func (d WallDrift) Drifts(row int) bool {
	return d.People[row]*d.G.Spacing > d.G.Wall.Dx()
}

// Frame is every print's place at time t.
func (d WallDrift) Frame(t time.Duration) []Placement {
	g := d.G
	pool := d.Pool()
	var out []Placement
	W := float64(g.Wall.Dx())
	sp := float64(g.Spacing)
	for r, n := range d.People {
		if n == 0 {
			continue
		}
		if !d.Drifts(r) {
			x0 := float64(g.Wall.Min.X) + (W-float64(n)*sp)/2
			for i := range min(n, pool) {
				out = append(out, Placement{Row: r, Slot: i, Person: i, X: x0 + float64(i)*sp + (sp-float64(g.PrintW))/2})
			}
			continue
		}
		screens := float64(max(d.Screens, 1))
		before := float64(max(d.Screen-1, 0)) * W
		offset := t.Seconds() / d.Period.Seconds() * sp
		if r%2 == 1 {
			before = (screens-1)*W - before
		}
		first := int(math.Floor((offset + before) / sp))
		for k := range pool {
			slot := first + k
			x := float64(slot)*sp - offset - before - sp/2
			if r%2 == 1 {
				x = W - x - float64(g.PrintW)
			}
			if screens > 1 && (x+float64(g.PrintW)/2 < 0 || x+float64(g.PrintW)/2 >= W) {
				continue // a print across two screens hangs on the one holding its middle
			}
			out = append(out, Placement{Row: r, Slot: ((slot % pool) + pool) % pool, Person: ((slot % n) + n) % n, X: float64(g.Wall.Min.X) + x})
		}
	}
	return out
}

// Lifter chooses whom the wall lifts next: among the prints on screen, the
// one lifted longest ago (never lifted first), nearest the wall's middle
// when several tie; never the one lifted last while another is on screen.
type Lifter struct {
	last  map[string]int
	count int
}

// Pick returns the index into visible (people's ids on screen) to lift, -1
// when visible is empty.
func (l *Lifter) Pick(visible []string, nearMiddle func(i int) float64) int {
	if l.last == nil {
		l.last = map[string]int{}
	}
	best := -1
	for i, id := range visible {
		if best < 0 {
			best = i
			continue
		}
		a, b := l.age(id), l.age(visible[best])
		if a > b || (a == b && nearMiddle(i) < nearMiddle(best)) {
			best = i
		}
	}
	if best >= 0 {
		l.count++
		l.last[visible[best]] = l.count
	}
	return best
}

// age is how many lifts ago id was lifted (a large number for never).
func (l *Lifter) age(id string) int {
	n, ok := l.last[id]
	if !ok {
		return math.MaxInt32
	}
	return l.count - n
}

// WallScene draws one whole frame of the wall into a single image, as the
// screen shows it: the backdrop, the prints at their places in frame, the
// panel in front and the lifted card on it. The studio's preview and the
// goldens use it; the show moves the same pieces as separate images.
func WallScene(g WallGeometry, backdrop, panel, lifted *image.RGBA, frame []Placement, print func(p Placement) *image.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, g.Size.W, g.Size.H))
	draw.Draw(img, img.Rect, backdrop, image.Point{}, draw.Src)
	for _, p := range frame {
		pr := print(p)
		if pr == nil {
			continue
		}
		draw.Draw(img, PrintBounds(g, p, pr.Rect.Size()), pr, image.Point{}, draw.Over)
	}
	if panel != nil {
		draw.Draw(img, g.Panel, panel, image.Point{}, draw.Src)
	}
	if lifted != nil {
		draw.Draw(img, g.Lifted, lifted, image.Point{}, draw.Src)
	}
	return img
}

// PrintBounds is where a (tilted) print image of size goes for placement p:
// centred on the print's place under the wire.
func PrintBounds(g WallGeometry, p Placement, size image.Point) image.Rectangle {
	r := g.PrintAt(p.Row, p.X)
	c := r.Min.Add(r.Size().Div(2))
	min := c.Sub(size.Div(2))
	return image.Rectangle{Min: min, Max: min.Add(size)}
}
