package poster

import (
	"context"
	"fmt"
	"image/color"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/linkhost"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/show"
)

// The wire-strip sheet: stripRows strips of stripCols portraits on A3
// portrait, each strip cut out along its marks and hung on a line.
const (
	stripCols   = 4
	stripRows   = 3
	stripGutter = 24.0
	stripHead   = 128.0 // title, instruction and the pack's QR code
)

var wire = color.RGBA{0x70, 0x70, 0x70, 0xFF}

// strips writes ceil(len(people)/StripsPerSheet) sheets.
func (j *job) strips(ctx context.Context, people []Person) error {
	w, h := a3W, a3H
	cw := w - 2*margin
	cellW := (cw - (stripCols-1)*stripGutter) / stripCols
	need := imageprep.Size{W: int(cellW * dpi / 72), H: int(cellW * 4 / 3 * dpi / 72)}
	var c *canvas
	return j.photos(ctx, people, need, func(i int, ph *prepared) error {
		e := people[i].Entry
		if ph != nil && ph.err != nil {
			return fmt.Errorf("pack %s, person %q, field photo: %w", e.PackID, e.Person.ID, ph.err)
		}
		k := i % StripsPerSheet
		if k == 0 {
			c = newCanvas(h)
			if err := j.stripHead(c, e, w); err != nil {
				return err
			}
		}
		rowH := (h - 2*margin - stripHead) / stripRows
		row, col := k/stripCols, k%stripCols
		x := margin + float64(col)*(cellW+stripGutter)
		y := margin + stripHead + float64(row)*rowH
		if col == 0 {
			// The wire the strip hangs from, across the sheet.
			c.stroke(margin-12, y+10, w-margin+12, y+10, 1.2, wire)
		}
		j.stripCell(c, e, ph, x, y+22, cellW, rowH-22-stripGutter/2)
		if k == StripsPerSheet-1 || i == len(people)-1 {
			j.page(c, w, h)
		}
		return nil
	})
}

// stripHead writes the sheet's title, the cutting instruction and the
// pack's own QR code (its first action) with its domain.
func (j *job) stripHead(c *canvas, e show.Entry, w float64) error {
	lang := j.lang(e)
	m := e.Manifest
	f := j.fonts
	q := stripHead - 34
	tw := w - 2*margin - q - gap
	var act *pack.Action
	for i := range m.Actions {
		if pack.LinkProblem(m.Actions[i].URL, m.AllowedLinkHosts) == "" {
			act = &m.Actions[i]
			break
		}
	}
	title := m.Title.Get(lang, m.Languages)
	c.paragraph(j.ts.wrap(title, f.bold, 22, tw, 2), margin, tw, margin+22, 26, ink)
	pw := j.pcat.For(lang)
	note := pw.T("poster.cut", nil) + " · " + pw.T("poster.as_of", map[string]any{"Date": j.cat.For(lang).Date(j.opt.Now.Format("2006-01-02"))})
	c.paragraph(j.ts.wrap(note, f.regular, 11, tw, 1), margin, tw, margin+stripHead-32, 0, softInk)
	if act == nil {
		return nil
	}
	qx := w - margin - q
	if label := act.Label.Get(lang, m.Languages); label != "" {
		c.paragraph(j.ts.wrap(label, f.bold, 12, tw, 2), margin, tw, margin+52, 15, ink)
	}
	if err := c.qr(act.URL, qx, margin, q); err != nil {
		return fmt.Errorf("pack %s, actions: %w", e.PackID, err)
	}
	c.textAligned(j.ts.shape(linkhost.Display(act.URL), f.regular, 10), qx, q, margin+q+12, ink, 0)
	return nil
}

// stripCell draws one portrait with its name and status under it, and cut
// marks at its corners.
func (j *job) stripCell(c *canvas, e show.Entry, ph *prepared, x, y, w, h float64) {
	lang := j.lang(e)
	s := show.Build(e, j.cat.For(lang), j.opt.Now)
	f := j.fonts
	phH := min(w*4/3, h-72)
	// a clip on the wire
	c.fill(x+w/2-5, y-16, 10, 20, wire)
	j.portrait(c, s, ph, x, y, w, phH, true)
	yy := y + phH + 4
	size := j.ts.fit(s.Name, f.bold, 15, 9, w, 2)
	for _, l := range j.ts.wrap(s.Name, f.bold, size, w, 2) {
		yy += size * 1.1
		c.textAligned(l, x, w, yy, ink, 0)
	}
	if s.NativeName != "" {
		yy += 13
		c.textAligned(j.ts.wrap(s.NativeName, f.regular, j.ts.fit(s.NativeName, f.regular, 10.5, 7, w, 1), w, 1)[0], x, w, yy, ink, 0)
	}
	info, _ := pack.StatusOf(s.Status)
	band, bandInk := color.Color(info.Colour), color.Color(ink)
	if s.Memoriam {
		band, bandInk = mourn, paper
	}
	yy += 5
	ss := j.ts.fit(s.StatusLine, f.bold, 9.5, 8, w-8, 2)
	ls := j.ts.wrap(s.StatusLine, f.bold, ss, w-8, 2)
	bh := 6 + float64(len(ls))*ss*1.25
	c.fill(x, yy, w, bh, band)
	for i, l := range ls {
		c.textAligned(l, x+4, w-8, yy+3+ss+float64(i)*ss*1.25, bandInk, 0)
	}
	yy += bh
	cutMarks(c, x-stripGutter/4, y-stripGutter/2-10, w+stripGutter/2, yy-y+stripGutter/2+14)
}

// cutMarks draws short marks outside the rectangle's corners.
func cutMarks(c *canvas, x, y, w, h float64) {
	const l, o = 8.0, 2.0
	for _, p := range [][2]float64{{x, y}, {x + w, y}, {x, y + h}, {x + w, y + h}} {
		dx, dy := -1.0, -1.0
		if p[0] > x {
			dx = 1
		}
		if p[1] > y {
			dy = 1
		}
		c.stroke(p[0]+dx*o, p[1], p[0]+dx*(o+l), p[1], 0.4, ink)
		c.stroke(p[0], p[1]+dy*o, p[0], p[1]+dy*(o+l), 0.4, ink)
	}
}
