package render

import (
	"image"
	"image/color"
	"image/draw"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/qr"
)

// Colours of the wall.
var (
	printPaper = color.RGBA{0xF2, 0xEF, 0xE8, 0xFF}
	ribbon     = color.RGBA{0x08, 0x08, 0x08, 0xFF}
)

// Print draws one portrait as a print hung on the wall: the photo (or the
// silhouette) on a paper border, with a black ribbon across the corner
// for a person who died in custody. size is the print's pixel size.
func Print(thumb *image.RGBA, died bool, size imageprep.Size) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, size.W, size.H))
	draw.Draw(img, img.Bounds(), image.NewUniform(printPaper), image.Point{}, draw.Src)
	border := max(size.W/18, 2)
	inner := image.Rect(border, border, size.W-border, size.H-border*3)
	draw.Draw(img, inner, image.NewUniform(Backdrop), image.Point{}, draw.Src)
	if thumb == nil {
		silhouette(img, inner)
	} else {
		src := imageprep.Fit(thumb, imageprep.Size{W: inner.Dx(), H: inner.Dy()})
		sb := src.Bounds()
		at := image.Pt(inner.Min.X+(inner.Dx()-sb.Dx())/2, inner.Min.Y+(inner.Dy()-sb.Dy())/2)
		draw.Draw(img, image.Rectangle{Min: at, Max: at.Add(sb.Size())}, src, sb.Min, draw.Src)
	}
	if died {
		band(img, size.W*2/5)
	}
	clip(img, border)
	return img
}

// clip draws the peg that holds the print on the wire, at its top centre.
func clip(img *image.RGBA, border int) {
	b := img.Bounds()
	w, h := max(b.Dx()/7, 4), max(border*3, 6)
	r := image.Rect(b.Dx()/2-w/2, 0, b.Dx()/2+w/2, h)
	draw.Draw(img, r, image.NewUniform(color.RGBA{0x6E, 0x5A, 0x44, 0xFF}), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(r.Min.X+1, h*2/5, r.Max.X-1, h*2/5+max(h/8, 1)), image.NewUniform(color.RGBA{0x4A, 0x3C, 0x2E, 0xFF}), image.Point{}, draw.Src)
}

// band draws a black mourning ribbon across the top-left corner, w from
// the corner, edged in the paper's colour so it shows on a dark photo too.
func band(img *image.RGBA, w int) {
	th := max(w/4, 4)
	edge := max(th/8, 1)
	o := img.Rect.Min
	for y := 0; y < w+th; y++ {
		for x := 0; x < w+th; x++ {
			switch d := x + y; {
			case d >= w+edge && d < w+th-edge:
				img.SetRGBA(o.X+x, o.Y+y, ribbon)
			case d >= w && d < w+th:
				img.SetRGBA(o.X+x, o.Y+y, printPaper)
			}
		}
	}
}

// WallLabel draws the lifted person's name and status line under their
// enlarged photo (or silhouette): the card the wall lifts and names.
func WallLabel(f *Fonts, photo *image.RGBA, name, native, status, statusKey string, died bool, size imageprep.Size) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, size.W, size.H))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.RGBA{0x12, 0x12, 0x12, 0xF0}), image.Point{}, draw.Src)
	m := size.H / 20
	photoH := size.H * 62 / 100
	box := image.Rect(m, m, size.W-m, m+photoH)
	card := Print(photo, died, imageprep.Size{W: photoH * 3 / 4, H: photoH})
	at := image.Pt(box.Min.X+(box.Dx()-card.Bounds().Dx())/2, box.Min.Y)
	draw.Draw(img, card.Bounds().Add(at), card, image.Point{}, draw.Src)
	c := column{f: f, img: img, r: image.Rect(m, box.Max.Y+m/2, size.W-m, size.H-m/2), H: size.H, unit: size.H}
	c.y = c.r.Min.Y
	c.line(newPen(f, f.Bold, float64(size.H)*0.075, textMain), name)
	c.line(newPen(f, f.Regular, float64(size.H)*0.05, textSoft), native)
	c.line(newPen(f, f.Bold, float64(size.H)*0.045, statusColour(statusKey)), status)
	return img
}

// WallCode draws the pack's own QR code for the wall, with its label above
// and its domain below, as large as fits in box; nil when url cannot be
// encoded.
func WallCode(f *Fonts, url, label, domain string, box image.Point) *image.RGBA {
	lp := newPen(f, f.Bold, float64(box.Y)*0.075, textMain)
	dp := newPen(f, f.Regular, float64(box.Y)*0.06, textSoft)
	if lines := lp.wrap(label, box.X, 1); len(lines) > 0 {
		label = lines[0] // a long action label is shortened at a word
	}
	for lp.width(label) > box.X && lp.size > 10 {
		lp = lp.resized(float64(lp.size) * 0.92)
	}
	pad := box.Y / 30
	code, err := qr.Fit(url, min(box.X, box.Y-lp.lineHeight()-dp.lineHeight()-2*pad))
	if err != nil {
		return nil
	}
	side := code.Image.Bounds().Dx()
	img := image.NewRGBA(image.Rect(0, 0, box.X, box.Y))
	draw.Draw(img, img.Bounds(), image.NewUniform(panelBg), image.Point{}, draw.Src)
	top := (box.Y - side - lp.lineHeight() - dp.lineHeight()) / 2
	x := (box.X - side) / 2
	lp.draw(img, label, (box.X-lp.width(label))/2, top+lp.lineHeight()*3/4)
	codeTop := top + lp.lineHeight()
	draw.Draw(img, image.Rect(x, codeTop, x+side, codeTop+side), code.Image, image.Point{}, draw.Src)
	dp.draw(img, domain, (box.X-dp.width(domain))/2, codeTop+side+dp.lineHeight()*3/4)
	return img
}
