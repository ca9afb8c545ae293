package poster

import (
	"bytes"
	"fmt"
	"image/color"

	qrcode "github.com/skip2/go-qrcode"
)

// canvas builds one page's content stream. Coordinates are in points from
// the page's top-left corner, y growing downwards as in the layout code;
// it converts them to PDF's bottom-left origin.
type canvas struct {
	b      bytes.Buffer
	h      float64        // page height
	images map[string]int // XObject resource name → object number
	order  []string       // image resources in the order placed
}

func newCanvas(h float64) *canvas {
	return &canvas{h: h, images: map[string]int{}}
}

func (c *canvas) op(format string, args ...any) { fmt.Fprintf(&c.b, format+"\n", args...) }

func rgb(col color.Color) string {
	r, g, b, _ := col.RGBA()
	return fmt.Sprintf("%s %s %s", num(float64(r)/65535), num(float64(g)/65535), num(float64(b)/65535))
}

// fill paints the rectangle (x, y, w, h) in col.
func (c *canvas) fill(x, y, w, h float64, col color.Color) {
	c.op("%s rg %s %s %s %s re f", rgb(col), num(x), num(c.h-y-h), num(w), num(h))
}

// frame strokes the rectangle (x, y, w, h) with a line of width lw in col.
func (c *canvas) frame(x, y, w, h, lw float64, col color.Color) {
	c.op("%s RG %s w %s %s %s %s re S", rgb(col), num(lw), num(x), num(c.h-y-h), num(w), num(h))
}

// stroke draws a line from (x0, y0) to (x1, y1).
func (c *canvas) stroke(x0, y0, x1, y1, lw float64, col color.Color) {
	c.op("%s RG %s w %s %s m %s %s l S", rgb(col), num(lw), num(x0), num(c.h-y0), num(x1), num(c.h-y1))
}

// polygon fills the closed path through pts (x, y pairs).
func (c *canvas) polygon(col color.Color, pts ...float64) {
	c.op("%s rg", rgb(col))
	for i := 0; i+1 < len(pts); i += 2 {
		v := "l"
		if i == 0 {
			v = "m"
		}
		c.op("%s %s %s", num(pts[i]), num(c.h-pts[i+1]), v)
	}
	c.op("h f")
}

// clip restricts what follows, up to the matching unclip, to the rectangle.
func (c *canvas) clip(x, y, w, h float64) {
	c.op("q %s %s %s %s re W n", num(x), num(c.h-y-h), num(w), num(h))
}

func (c *canvas) unclip() { c.op("Q") }

// image places the image XObject obj, as resource name, in (x, y, w, h).
func (c *canvas) image(name string, obj int, x, y, w, h float64) {
	if _, ok := c.images[name]; !ok {
		c.order = append(c.order, name)
	}
	c.images[name] = obj
	c.op("q %s 0 0 %s %s %s cm /%s Do Q", num(w), num(h), num(x), num(c.h-y-h), name)
}

// text writes l with its left end at x and its baseline at y.
func (c *canvas) text(l line, x, y float64, col color.Color) {
	if len(l.glyphs) == 0 {
		return
	}
	c.op("BT %s rg", rgb(col))
	pen := x
	for i := 0; i < len(l.glyphs); {
		f := l.glyphs[i].f
		c.op("/%s %s Tf 1 0 0 1 %s %s Tm", f.res, num(l.size), num(pen), num(c.h-y))
		c.b.WriteString("[")
		for ; i < len(l.glyphs) && l.glyphs[i].f == f; i++ {
			g := l.glyphs[i]
			scale := 1000 / l.size
			if g.dx != 0 {
				fmt.Fprintf(&c.b, "%s", num(-g.dx*scale))
			}
			if g.dy != 0 {
				fmt.Fprintf(&c.b, "] TJ %s Ts [<%04X>] TJ 0 Ts [", num(g.dy), g.gid)
			} else {
				fmt.Fprintf(&c.b, "<%04X>", g.gid)
			}
			// The PDF advances the pen by the glyph's width; the shaper
			// wants it advanced by its (kerned) advance.
			if adj := (g.dx-g.advance)*scale + f.units(f.face.HorizontalAdvance(g.gid)); adj > 0.005 || adj < -0.005 {
				fmt.Fprintf(&c.b, " %s ", num(adj))
			}
			pen += g.advance
		}
		c.b.WriteString("] TJ\n")
	}
	c.op("ET")
}

// textAligned places a line in the column from x of width w: at its left
// (align < 0), centre (0) or right (> 0).
func (c *canvas) textAligned(l line, x, w, y float64, col color.Color, align int) {
	switch {
	case align > 0:
		x += w - l.width
	case align == 0:
		x += (w - l.width) / 2
	}
	c.text(l, x, y, col)
}

// paragraph writes lines from baseline y, leading apart, each aligned to
// its own direction (right-to-left lines to the right), and returns the
// baseline after the last.
func (c *canvas) paragraph(ls []line, x, w, y, leading float64, col color.Color) float64 {
	for _, l := range ls {
		align := -1
		if l.rtl {
			align = 1
		}
		c.textAligned(l, x, w, y, col, align)
		y += leading
	}
	return y
}

// qr draws url as a QR code of side s at (x, y), each dark module a
// vector square (runs of dark modules merged into one rectangle per row),
// on a white ground that includes the 4-module quiet zone.
func (c *canvas) qr(url string, x, y, s float64) error {
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("encoding %q as a QR code: %w", url, err)
	}
	bits := q.Bitmap() // includes the quiet zone
	n := len(bits)
	m := s / float64(n)
	c.fill(x, y, s, s, color.White)
	c.op("0 0 0 rg")
	for row, line := range bits {
		for col := 0; col < n; {
			if !line[col] {
				col++
				continue
			}
			end := col
			for end < n && line[end] {
				end++
			}
			c.op("%s %s %s %s re", num(x+float64(col)*m), num(c.h-y-float64(row+1)*m), num(float64(end-col)*m), num(m))
			col = end
		}
	}
	c.op("f")
	return nil
}

// resources is the page's resource dictionary.
func (c *canvas) resources(fonts string) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "<< /Font %s", fonts)
	if len(c.order) > 0 {
		b.WriteString(" /XObject <<")
		for _, name := range c.order {
			fmt.Fprintf(&b, " /%s %d 0 R", name, c.images[name])
		}
		b.WriteString(" >>")
	}
	b.WriteString(" >>")
	return b.String()
}
