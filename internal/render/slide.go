// Package render draws a whole spotlight slide into one RGBA image at the
// window's exact pixel size, off the UI goroutine: the blurred backdrop, the
// photo (never distorted, never cropped) or the silhouette, the shaped text
// and the QR codes. The UI then only swaps finished images, so Fyne never
// rescales or decodes on its own goroutine. It does not import Fyne.
package render

import (
	"image"
	"image/color"
	"image/draw"
	"sync"

	"github.com/disintegration/imaging"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/textdir"
)

// Colours of the slide.
var (
	Backdrop = imageprep.Backdrop
	textMain = color.RGBA{0xF4, 0xF2, 0xEE, 0xFF}
	textSoft = color.RGBA{0xB8, 0xB6, 0xB0, 0xFF}
	textWarn = color.RGBA{0xF2, 0xC9, 0x4C, 0xFF}
	tickerBg = color.RGBA{0x0E, 0x0E, 0x0E, 0xFF}
)

// Input is what one slide is drawn from.
type Input struct {
	Slide   show.Slide
	Photo   *image.RGBA // the display image; nil draws the silhouette
	Figures []string    // ticker items, each with its date and source
	Size    imageprep.Size
}

// Layout records where things were drawn, for tests and the UI.
type Layout struct {
	PhotoRect            image.Rectangle
	LetterQR, PetitionQR image.Rectangle // empty when not shown
	Column               image.Rectangle // the text side
	Text                 []TextLine      // every line of text in the column, as drawn
}

// Draw renders the slide into a new image. It is safe to call from any
// goroutine with its own Fonts.
func Draw(f *Fonts, in Input) (*image.RGBA, Layout) { return DrawInto(nil, f, in) }

// DrawInto renders the slide into dst, reusing its pixels when it has the
// right size (a show recycles the buffers of slides no longer on screen).
func DrawInto(dst *image.RGBA, f *Fonts, in Input) (*image.RGBA, Layout) {
	W, H := in.Size.W, in.Size.H
	img := dst
	if img == nil || img.Rect != image.Rect(0, 0, W, H) {
		img = image.NewRGBA(image.Rect(0, 0, W, H))
	}
	backdrop(img, in.Photo) // covers every pixel
	m := H / 25
	tickerH := H * 55 / 1000
	lay := Layout{PhotoRect: photoRect(W, H)}
	col := image.Rect(lay.PhotoRect.Max.X+m*3/2, m, W-m, H-tickerH-m/2)
	if W < H {
		col = image.Rect(m, lay.PhotoRect.Max.Y+m, W-m, H-tickerH-m/2)
	}
	portrait(img, lay.PhotoRect, in.Photo)
	if in.Slide.Memoriam {
		mourning(img, lay.PhotoRect, in.Photo)
	}
	c := column{f: f, img: img, r: col, H: H, long: max(W, H), unit: min(W, H)}
	lay.LetterQR, lay.PetitionQR = c.draw(in.Slide)
	lay.Column, lay.Text = col, c.drawn
	ticker(f, img, image.Rect(0, H-tickerH, W, H), in.Figures)
	return img, lay
}

// backdrop fills img with a blurred, dimmed copy of the photo, or the plain backdrop.
func backdrop(img *image.RGBA, photo *image.RGBA) {
	if photo == nil {
		draw.Draw(img, img.Bounds(), image.NewUniform(Backdrop), image.Point{}, draw.Src)
		return
	}
	b := img.Bounds()
	small := imaging.Fill(photo, max(b.Dx()/16, 1), max(b.Dy()/16, 1), imaging.Center, imaging.Box)
	small = imaging.Blur(small, 2.5)
	small = imaging.AdjustBrightness(small, -50)
	upscale(img, small)
}

// upscale stretches a small opaque image over dst with bilinear
// interpolation in fixed point: every source row is stretched across once,
// then each output row is a blend of two stretched rows. Enough for a
// blurred backdrop, and far cheaper than a general resampler at full size.
func upscale(dst *image.RGBA, src *image.NRGBA) {
	db, sb := dst.Bounds(), src.Bounds()
	sw, sh, dw, dh := sb.Dx(), sb.Dy(), db.Dx(), db.Dy()
	rows := make([][]uint8, sh)
	for sy := range sh {
		in, row := src.Pix[sy*src.Stride:], make([]uint8, 4*dw)
		for x := range dw {
			f := x * (sw - 1) * 256 / max(dw-1, 1)
			a, b, w := 4*(f>>8), 4*min(f>>8+1, sw-1), f&255
			for k := range 3 {
				row[4*x+k] = uint8((int(in[a+k])*(256-w) + int(in[b+k])*w + 128) >> 8)
			}
			row[4*x+3] = 0xFF
		}
		rows[sy] = row
	}
	blend := func(from, to int) {
		for y := from; y < to; y++ {
			f := y * (sh - 1) * 256 / max(dh-1, 1)
			r0, r1, w := rows[f>>8], rows[min(f>>8+1, sh-1)], f&255
			out := dst.Pix[y*dst.Stride : y*dst.Stride+4*dw]
			r0, r1 = r0[:len(out)], r1[:len(out)]
			for i := range out {
				out[i] = uint8((int(r0[i])*(256-w) + int(r1[i])*w + 128) >> 8)
			}
		}
	}
	// Two halves on two goroutines: the UI goroutine is idle between fades.
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); blend(0, dh/2) }()
	blend(dh/2, dh)
	wg.Wait()
}

// PhotoBox is the largest size the photo is shown at on a screen of size,
// so the caller can decode the stored image at no more than that.
func PhotoBox(size imageprep.Size) imageprep.Size {
	r := photoRect(size.W, size.H)
	return imageprep.Size{W: r.Dx(), H: r.Dy()}
}

func photoRect(W, H int) image.Rectangle {
	m, tickerH := H/25, H*55/1000
	if W >= H {
		return image.Rect(m, m, m+W*36/100, H-tickerH-m)
	}
	return image.Rect(m, m, W-m, m+H*25/100)
}

// maxEnlarge is how far a small photo is enlarged to fill its panel;
// beyond it, enlargement shows blocks and smears, not a face.
const maxEnlarge = 4

// portrait draws the photo fitted inside r (a small one enlarged up to
// maxEnlarge times, and framed when that still falls short), or the
// silhouette.
func portrait(img *image.RGBA, r image.Rectangle, photo *image.RGBA) {
	if photo == nil {
		silhouette(img, r)
		return
	}
	src, short := imageprep.Fill(photo, imageprep.Size{W: r.Dx(), H: r.Dy()}, maxEnlarge)
	sb := src.Bounds()
	at := image.Pt(r.Min.X+(r.Dx()-sb.Dx())/2, r.Min.Y+(r.Dy()-sb.Dy())/2)
	dst := image.Rectangle{Min: at, Max: at.Add(sb.Size())}
	if short { // a print on a mount: a light frame around the photo
		frame := max(2, r.Dy()/200)
		draw.Draw(img, dst.Inset(-frame), image.NewUniform(color.RGBA{0xD8, 0xD4, 0xCC, 0xFF}), image.Point{}, draw.Src)
	}
	draw.Draw(img, dst, src, sb.Min, draw.Src)
}

// mourning frames the photo (or the silhouette's card) in black with a thin
// light edge and lays a black ribbon across its top-left corner: the
// treatment of a person who died in custody.
func mourning(img *image.RGBA, r image.Rectangle, photo *image.RGBA) {
	at := r
	if photo != nil {
		src, _ := imageprep.Fill(photo, imageprep.Size{W: r.Dx(), H: r.Dy()}, maxEnlarge)
		sb := src.Bounds()
		p := image.Pt(r.Min.X+(r.Dx()-sb.Dx())/2, r.Min.Y+(r.Dy()-sb.Dy())/2)
		at = image.Rectangle{Min: p, Max: p.Add(sb.Size())}
	} else {
		w := min(r.Dx(), r.Dy()*3/4)
		h := w * 4 / 3
		p := image.Pt(r.Min.X+(r.Dx()-w)/2, r.Min.Y+(r.Dy()-h)/2)
		at = image.Rectangle{Min: p, Max: p.Add(image.Pt(w, h))}
	}
	t := max(r.Dy()/60, 3)
	edge := max(t/4, 1)
	black, light := image.NewUniform(ribbon), image.NewUniform(printPaper)
	for _, side := range []image.Rectangle{
		image.Rect(at.Min.X, at.Min.Y, at.Max.X, at.Min.Y+t), image.Rect(at.Min.X, at.Max.Y-t, at.Max.X, at.Max.Y),
		image.Rect(at.Min.X, at.Min.Y, at.Min.X+t, at.Max.Y), image.Rect(at.Max.X-t, at.Min.Y, at.Max.X, at.Max.Y),
	} {
		draw.Draw(img, side, black, image.Point{}, draw.Src)
	}
	in := at.Inset(t)
	for _, side := range []image.Rectangle{
		image.Rect(in.Min.X, in.Min.Y, in.Max.X, in.Min.Y+edge), image.Rect(in.Min.X, in.Max.Y-edge, in.Max.X, in.Max.Y),
		image.Rect(in.Min.X, in.Min.Y, in.Min.X+edge, in.Max.Y), image.Rect(in.Max.X-edge, in.Min.Y, in.Max.X, in.Max.Y),
	} {
		draw.Draw(img, side, light, image.Point{}, draw.Src)
	}
	corner := img.SubImage(at).(*image.RGBA)
	band(corner, min(at.Dx(), at.Dy())*2/7)
}

// silhouette draws a respectful neutral figure on a card, for people
// without a photo or without consent to show one.
func silhouette(img *image.RGBA, r image.Rectangle) {
	w := min(r.Dx(), r.Dy()*3/4)
	h := w * 4 / 3
	at := image.Pt(r.Min.X+(r.Dx()-w)/2, r.Min.Y+(r.Dy()-h)/2)
	card := image.Rectangle{Min: at, Max: at.Add(image.Pt(w, h))}
	draw.Draw(img, card, image.NewUniform(color.RGBA{0x2C, 0x2C, 0x2C, 0xFF}), image.Point{}, draw.Src)
	fig := color.RGBA{0x4A, 0x4A, 0x4A, 0xFF}
	cx, headY, headR := card.Min.X+w/2, card.Min.Y+h*40/100, w*18/100
	shoulderY, sw, sh := card.Max.Y, w*40/100, h*30/100
	for y := card.Min.Y; y < card.Max.Y; y++ {
		row := img.Pix[img.PixOffset(0, y):]
		for x := card.Min.X; x < card.Max.X; x++ {
			dx, dy := float64(x-cx), float64(y-headY)
			ex, ey := float64(x-cx)/float64(sw), float64(y-shoulderY)/float64(sh)
			if dx*dx+dy*dy <= float64(headR*headR) || ex*ex+ey*ey <= 1 {
				o := 4 * x
				row[o], row[o+1], row[o+2], row[o+3] = fig.R, fig.G, fig.B, 0xFF
			}
		}
	}
}

// ticker draws the figures in a band along the bottom, as many as fit.
func ticker(f *Fonts, img *image.RGBA, r image.Rectangle, figures []string) {
	draw.Draw(img, r, image.NewUniform(tickerBg), image.Point{}, draw.Src)
	if len(figures) == 0 {
		return
	}
	p := newPen(f, f.Regular, min(float64(r.Dy())*0.5, float64(min(r.Dx(), img.Bounds().Dy()))*0.028), textMain)
	for p.width(figures[0]) > r.Dx()-r.Dy() && p.size > 14 { // the first figure shows whole if it can
		p = p.resized(float64(p.size) * 0.92)
	}
	y := r.Min.Y + r.Dy()*68/100
	left, right := r.Min.X+r.Dy()/2, r.Max.X-r.Dy()/2
	rtl := rightToLeft(figures[0]) // a right-to-left caption runs its figures from the right edge
	used := 0
	const sep = "     ·     "
	for i, fig := range figures {
		s := fig
		if i > 0 {
			s = sep + fig
			if rtl {
				s = fig + sep
			}
		}
		w := p.width(s)
		if used+w > right-left {
			if i > 0 {
				break
			}
			s = p.wrap(s, right-left, 1)[0] // one figure always shows, shortened at a word
			w = p.width(s)
		}
		x := left + used
		if rtl {
			x = right - used - w
		}
		p.draw(img, s, x, y)
		used += w
	}
}

// rightToLeft reports whether the first letter of s is of a right-to-left script.
func rightToLeft(s string) bool { return textdir.RightToLeft(s) }

// Message draws a plain screen with a title and a line of explanation, for
// when there is nothing to show.
func Message(f *Fonts, size imageprep.Size, title, text string) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, size.W, size.H))
	draw.Draw(img, img.Bounds(), image.NewUniform(Backdrop), image.Point{}, draw.Src)
	unit := float64(min(size.W, size.H))
	m := size.H / 10
	c := column{f: f, img: img, r: image.Rect(m, size.H/3, size.W-m, size.H-m), H: size.H, unit: min(size.W, size.H)}
	c.y = c.r.Min.Y
	c.line(newPen(f, f.Bold, unit*0.06, textMain), title)
	c.para(newPen(f, f.Regular, unit*0.03, textSoft), text, 4)
	return img
}

// statusColour is the colour of a status line, from the pack's status table.
func statusColour(status string) color.RGBA {
	s, _ := pack.StatusOf(status)
	return s.Colour
}
