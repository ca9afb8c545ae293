package poster

import (
	"context"
	"fmt"
	"image/color"
	"strings"

	"github.com/solidarity-kiosk/kiosk/internal/i18n"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/show"
)

// placard sizes and proportions, in points.
const (
	margin     = 36.0 // half an inch, inside what any printer prints
	photoShare = 0.47 // of the text width
	gap        = 18.0
	bodySize   = 11.5
	bodyLead   = 15.0
)

// placards writes one page per person.
func (j *job) placards(ctx context.Context, people []Person) error {
	w, h := a4W, a4H
	if j.opt.Paper == PaperLetter {
		w, h = letterW, letterH
	}
	pw := (w - 2*margin) * photoShare
	need := imageprep.Size{W: int(pw * dpi / 72), H: int(pw * 4 / 3 * dpi / 72)}
	return j.photos(ctx, people, need, func(i int, ph *prepared) error {
		e := people[i].Entry
		if ph != nil && ph.err != nil {
			return fmt.Errorf("pack %s, person %q (%s), field photo: %w", e.PackID, e.Person.ID, show.Build(e, j.cat.For(j.lang(e)), j.opt.Now).Name, ph.err)
		}
		c := newCanvas(h)
		if err := j.placard(c, e, ph, w, h); err != nil {
			return fmt.Errorf("pack %s, person %q: %w", e.PackID, e.Person.ID, err)
		}
		j.page(c, w, h)
		return nil
	})
}

// placard draws one person's page.
func (j *job) placard(c *canvas, e show.Entry, ph *prepared, w, h float64) error {
	lang := j.lang(e)
	words := j.cat.For(lang)
	s := show.Build(e, words, j.opt.Now)
	f := j.fonts
	cw := w - 2*margin
	x, y := margin, margin

	// The name, as large as two lines allow, then in the person's own script.
	size := j.ts.fit(s.Name, f.bold, 54, 24, cw, 2)
	// The heading stands on the side the page's language starts from,
	// whatever the direction of each name.
	side := -1
	if rightToLeftLang(lang) {
		side = 1
	}
	for _, l := range j.ts.wrap(s.Name, f.bold, size, cw, 2) {
		y += size
		c.textAligned(l, x, cw, y, ink, side)
		y += size * 0.18
	}
	if s.NativeName != "" {
		ns := j.ts.fit(s.NativeName, f.regular, 28, 14, cw, 1)
		y += ns * 1.05
		c.textAligned(j.ts.wrap(s.NativeName, f.regular, ns, cw, 1)[0], x, cw, y, ink, side)
		y += ns * 0.2
	}
	y += 18
	c.textAligned(j.ts.shape(s.Country, f.regular, 15), x, cw, y, softInk, side)
	y += 12

	// The status band, in the status's colour (black for those who died).
	info, _ := pack.StatusOf(s.Status)
	band, bandInk := color.Color(info.Colour), color.Color(ink)
	if s.Memoriam {
		band, bandInk = mourn, paper
	}
	status := s.StatusLine
	if s.Days > 0 {
		status += " · " + j.pcat.For(lang).T("poster.as_of", map[string]any{"Date": words.Date(j.opt.Now.Format("2006-01-02"))})
	}
	bs := j.ts.fit(status, f.bold, 17, 9, cw-20, 1)
	c.fill(x, y, cw, 34, band)
	c.paragraph(j.ts.wrap(status, f.bold, bs, cw-20, 1), x+10, cw-20, y+17+bs*0.36, 0, bandInk)
	y += 34 + gap

	// The photo (or the silhouette) and, beside it, the facts.
	pw := cw * photoShare
	phH := pw * 4 / 3
	bottom := h - margin - 20 - j.qrBlockHeight(w)
	phH = min(phH, bottom-y-gap)
	j.portrait(c, s, ph, x, y, pw, phH, false) // the facts beside it say why there is no photo
	j.facts(c, s, words, x+pw+gap, y, cw-pw-gap, phH)
	y += phH + gap

	if err := j.actions(c, s, x, y, cw, bottom+j.qrBlockHeight(w)-y); err != nil {
		return err
	}
	small := s.SmallPrint
	if small != "" {
		small += " · "
	}
	small += e.Manifest.ID + " " + e.Manifest.Version
	ls := j.ts.wrap(small, f.regular, 8.5, cw, 2)
	c.paragraph(ls, x, cw, h-margin+6-float64(len(ls)-1)*10.5, 10.5, softInk)
	if s.Memoriam {
		c.frame(12, 12, w-24, h-24, 9, mourn)
	}
	return nil
}

// qrBlockHeight is the height kept at the foot of a placard for the codes.
func (j *job) qrBlockHeight(w float64) float64 { return qrSide(w) + 52 }

// qrSide is a code's side: about 60 mm on A4, scannable from two metres.
func qrSide(w float64) float64 { return min(170, (w-2*margin)*0.33) }

// portrait draws the photo fitted into the box (x, y, w, h), top-centred,
// or the silhouette, with why there is no photo when say is set; for
// someone who died in custody a black ribbon crosses its corner.
func (j *job) portrait(c *canvas, s show.Slide, ph *prepared, x, y, w, h float64, say bool) {
	bx, by, bw, bh := x, y, w, h
	if ph != nil && ph.w > 0 {
		scale := min(w/float64(ph.w), h/float64(ph.h))
		bw, bh = float64(ph.w)*scale, float64(ph.h)*scale
		bx = x + (w-bw)/2
		name, obj := j.image(*ph)
		c.image(name, obj, bx, by, bw, bh)
	} else {
		j.silhouette(c, x, y, w, h)
		if say && len(s.Notices) > 0 {
			ls := j.ts.wrap(s.Notices[0], j.fonts.regular, 9, w-12, 3)
			bh := float64(len(ls))*11.5 + 8
			c.fill(x, y+h-bh, w, bh, blank)
			c.paragraph(ls, x+6, w-12, y+h-bh+13, 11.5, ink)
		}
	}
	if s.Memoriam {
		ribbon(c, bx, by, bw, bh)
	}
}

// silhouette is the respectful stand-in for a missing photo: a head and
// shoulders in grey.
func (j *job) silhouette(c *canvas, x, y, w, h float64) {
	c.fill(x, y, w, h, blank)
	cx, r := x+w/2, w*0.19
	cy := y + h*0.38
	c.clip(x, y, w, h)
	ellipse(c, cx, cy+r*1.05+w*0.42, w*0.42, w*0.42, figure) // shoulders
	ellipse(c, cx, cy, r, r*1.18, blank)                     // a gap around the head
	ellipse(c, cx, cy, r*0.92, r*1.1, figure)                // the head
	c.unclip()
}

// ellipse fills an ellipse centred on (cx, cy) with four Bézier arcs.
func ellipse(c *canvas, cx, cy, rx, ry float64, col color.Color) {
	const k = 0.5523 // the control-point distance of a quarter circle
	Y := func(v float64) string { return num(c.h - v) }
	c.op("%s rg %s %s m", rgb(col), num(cx+rx), Y(cy))
	c.op("%s %s %s %s %s %s c", num(cx+rx), Y(cy+k*ry), num(cx+k*rx), Y(cy+ry), num(cx), Y(cy+ry))
	c.op("%s %s %s %s %s %s c", num(cx-k*rx), Y(cy+ry), num(cx-rx), Y(cy+k*ry), num(cx-rx), Y(cy))
	c.op("%s %s %s %s %s %s c", num(cx-rx), Y(cy-k*ry), num(cx-k*rx), Y(cy-ry), num(cx), Y(cy-ry))
	c.op("%s %s %s %s %s %s c h f", num(cx+k*rx), Y(cy-ry), num(cx+rx), Y(cy-k*ry), num(cx+rx), Y(cy))
}

// ribbon lays the black mourning ribbon across the box's top-right corner.
func ribbon(c *canvas, x, y, w, h float64) {
	d := min(w, h) * 0.28
	t := min(w, h) * 0.07
	c.clip(x, y, w, h)
	c.polygon(mourn, x+w-d-t, y, x+w-d+t, y, x+w, y+d-t, x+w, y+d+t)
	c.unclip()
}

// facts writes the column beside the photo: arrest date, sentence,
// charges, occupation, biography and notices, cut to the box's height.
func (j *job) facts(c *canvas, s show.Slide, words *i18n.Words, x, y, w, h float64) {
	f := j.fonts
	bottom := y + h
	y += bodySize
	put := func(text string, pf *pdfFont, size, lead float64, col color.Color, after float64) {
		if text == "" {
			return
		}
		room := int((bottom - y + size) / lead)
		if room < 1 {
			return
		}
		ls := j.ts.wrap(text, pf, size, w, room)
		y = c.paragraph(ls, x, w, y, lead, col) + after
	}
	p := s.Entry.Person
	if p.Arrested != "" {
		put(j.pcat.For(j.lang(s.Entry)).T("poster.arrested", map[string]any{"Date": words.Date(p.Arrested)}), f.regular, 12, 16, ink, 6)
	}
	put(s.Sentence, f.bold, 14, 18, ink, 6)
	put(s.Charges, f.regular, bodySize, bodyLead, ink, 8)
	put(s.Occupation, f.regular, bodySize, bodyLead, softInk, 8)
	put(s.Bio, f.regular, bodySize, bodyLead, ink, 8)
	put(strings.Join(s.Notices, "\n"), f.regular, bodySize, bodyLead, warnInk, 0)
}

// actions draws the QR codes (letter, petition) with their labels above
// and domains below, and the letter rules beside them.
func (j *job) actions(c *canvas, s show.Slide, x, y, w, h float64) error {
	f := j.fonts
	q := qrSide(w + 2*margin)
	cx := x
	for _, t := range []*show.Target{s.Letter, s.Petition} {
		if t == nil {
			continue
		}
		ls := j.ts.wrap(t.Label, f.bold, 15, q, 2)
		ly := y + 13
		if len(ls) == 1 {
			ly += 17
		}
		c.paragraph(ls, cx, q, ly, 17, ink)
		if err := c.qr(t.URL, cx, y+36, q); err != nil {
			return err
		}
		c.textAligned(j.ts.shape(t.Domain, f.regular, 12), cx, q, y+36+q+13, ink, 0)
		cx += q + gap
	}
	if s.Letter == nil || s.LetterRules == "" {
		return nil
	}
	rw := x + w - cx
	if rw < 100 {
		return nil
	}
	yy := y + 36 + 12
	c.paragraph([]line{j.ts.shape(s.LettersWord, f.bold, 12)}, cx, rw, yy, 0, ink)
	c.paragraph(j.ts.wrap(s.LetterRules, f.regular, 11, rw, int((h-60)/14.5)), cx, rw, yy+17, 14.5, ink)
	return nil
}
