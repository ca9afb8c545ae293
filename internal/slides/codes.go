package slides

import (
	"image"
	"slices"

	"github.com/solidarity-kiosk/kiosk/internal/render"
	"github.com/solidarity-kiosk/kiosk/internal/show"
)

// Codes are the QR codes on a drawn slide: where they are and where they lead.
type Codes struct {
	Rects []image.Rectangle // in the slide's pixels
	URLs  []string          // sorted
}

// Same reports whether two slides carry the same codes in the same places,
// so a change between them (a caption language) need not hide them.
func (a Codes) Same(b Codes) bool {
	return slices.Equal(a.Rects, b.Rects) && slices.Equal(a.URLs, b.URLs)
}

func codesOf(s show.Slide, lay render.Layout) Codes {
	var c Codes
	for _, t := range []struct {
		target *show.Target
		rect   image.Rectangle
	}{{s.Letter, lay.LetterQR}, {s.Petition, lay.PetitionQR}} {
		if t.target != nil && !t.rect.Empty() {
			c.Rects = append(c.Rects, t.rect)
			c.URLs = append(c.URLs, t.target.URL)
		}
	}
	slices.Sort(c.URLs)
	return c
}

// CodesOn returns the codes on img, a slide this Composer drew and has not
// yet drawn over; none for any other image.
func (c *Composer) CodesOn(img *image.RGBA) Codes {
	for i, b := range c.bufs {
		if b == img && img != nil {
			return c.codes[i]
		}
	}
	return Codes{}
}
