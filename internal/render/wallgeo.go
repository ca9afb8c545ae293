package render

import (
	"image"
	"math"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
)

// WallGeometry is where everything on the wall goes, in pixels: the title
// band, the wires the prints hang on, the side (or, on a portrait screen,
// bottom) panel with the lifted person and the pack's code. The prints fill
// the height left between the title and the screen's edge; the lifted print
// is twice a wall print; the panel and the title never overlap, and no print
// hangs in the title or on the panel (prints pass behind the panel, as
// behind a pillar, and the code stands on the panel).
type WallGeometry struct {
	Size           imageprep.Size
	Title          image.Rectangle // title line and headline figure
	Wall           image.Rectangle // where the prints hang
	Panel          image.Rectangle // the opaque panel: lifted person and code
	Lifted         image.Rectangle // the lifted person's card, inside Panel
	Code           image.Rectangle // the pack's code box, inside Panel
	Rows           []WallRow
	PrintW, PrintH int // a wall print
	Spacing        int // from one print's left edge to the next one's
}

// WallRow is one barbed wire across the wall.
type WallRow struct {
	Y     int   // the wire's height at its posts
	Sag   int   // how far it sags midway between posts
	Posts []int // the posts' x, from the wall's left edge to its right
}

// maxWallRows is how many wires a wall has at most, by screen shape.
const (
	maxRowsLandscape = 4
	maxRowsPortrait  = 5
)

// NewWallGeometry lays the wall out for a screen of size and people people.
func NewWallGeometry(size imageprep.Size, people int) WallGeometry {
	W, H := size.W, size.H
	g := WallGeometry{Size: size}
	m := max(min(W, H)/40, 4)
	titleH := int(float64(min(W, H)) * 0.12)
	g.Title = image.Rect(m, m/2, W-m, m/2+titleH)
	top := g.Title.Max.Y + m/2
	landscape := W >= H
	maxRows := maxRowsLandscape
	if !landscape {
		maxRows = maxRowsPortrait
	}
	rows := max(1, min(maxRows, people))
	var region image.Rectangle
	if landscape {
		g.Panel = image.Rect(W-W*24/100, top, W, H)
		region = image.Rect(0, top, g.Panel.Min.X, H-m/2)
	} else {
		// The bottom panel is as tall as a lifted print twice the wall's
		// needs: rows of prints 80% of their row's height, and a card
		// whose print takes 58% of it.
		avail := float64(H - top - m)
		printH := avail / (1.25*float64(rows) + 2/0.58)
		panelH := min(max(int(2*printH/0.58)+m, H*25/100), H*40/100)
		g.Panel = image.Rect(0, H-panelH, W, H)
		region = image.Rect(0, top, W, g.Panel.Min.Y)
	}
	g.Wall = region
	// The code's box on the panel, and the lifted card in the rest of it.
	codeSide := int(float64(max(W, H)) * 0.14)
	codeBox := image.Pt(codeSide+2*m, codeSide+codeSide/3+m)
	if landscape {
		at := image.Pt(g.Panel.Min.X+(g.Panel.Dx()-codeBox.X)/2, H-m/2-codeBox.Y)
		g.Code = image.Rectangle{Min: at, Max: at.Add(codeBox)}
		g.Lifted = image.Rect(g.Panel.Min.X+m, g.Panel.Min.Y, g.Panel.Max.X-m, g.Code.Min.Y-m)
	} else {
		at := image.Pt(W-m-codeBox.X, g.Panel.Min.Y+(g.Panel.Dy()-codeBox.Y)/2)
		g.Code = image.Rectangle{Min: at, Max: at.Add(codeBox)}
		g.Lifted = image.Rect(m, g.Panel.Min.Y+m/2, g.Code.Min.X-m, H-m/2)
	}
	// The lifted card holds a print twice a wall print's size and three
	// lines of text under it: that bounds the wall print.
	liftedPrintH := min(g.Lifted.Dy()*58/100, g.Lifted.Dx()*4/3*90/100)
	rowH := region.Dy() / rows
	g.PrintH = min(rowH*80/100, liftedPrintH/2)
	g.PrintW = g.PrintH * 3 / 4
	g.Spacing = g.PrintW * 13 / 10
	sag := max(rowH-g.PrintH, 0) / 5
	postEvery := g.Spacing * 3
	for i := range rows {
		// The wire sits near the top of its row; the print hangs under it.
		y := region.Min.Y + i*rowH + (rowH-g.PrintH)/2 - sag/2
		r := WallRow{Y: y, Sag: sag}
		for x := region.Min.X - postEvery/2; x < region.Max.X+postEvery; x += postEvery {
			r.Posts = append(r.Posts, x)
		}
		g.Rows = append(g.Rows, r)
	}
	return g
}

// WireY is the wire's height at x: a shallow curve between the posts.
func (r WallRow) WireY(x float64) float64 {
	for i := 1; i < len(r.Posts); i++ {
		a, b := float64(r.Posts[i-1]), float64(r.Posts[i])
		if x <= b || i == len(r.Posts)-1 {
			t := math.Max(0, math.Min(1, (x-a)/(b-a)))
			return float64(r.Y) + float64(r.Sag)*4*t*(1-t)
		}
	}
	return float64(r.Y)
}

// PrintAt is the rectangle a print occupies when its left edge is at x on
// row: its top just under the wire at its middle, where its peg holds it.
func (g WallGeometry) PrintAt(row int, x float64) image.Rectangle {
	r := g.Rows[row]
	top := int(r.WireY(x+float64(g.PrintW)/2)) + max(g.PrintH/30, 2)
	return image.Rect(int(x), top, int(x)+g.PrintW, top+g.PrintH)
}
