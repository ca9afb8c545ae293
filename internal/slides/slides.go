// Package slides composes the kiosk's pictures of people: a spotlight slide
// for one entry of the show, at a screen's pixel size, in a caption
// language, with the person's photo from the cache and the packs' figures
// in the ticker. The show, the studio's previews and the posters call the
// same Composer, so what is previewed or printed is what the screen shows.
// It imports no Fyne.
package slides

import (
	"fmt"
	"image"
	"log/slog"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/i18n"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/render"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// Photos is where the Composer finds a person's stored photo: the cache.
type Photos interface {
	Blob(hash string) ([]byte, error)
	Pack(id string) (store.PackRecord, error)
}

// Composer draws slides. Draw reuses three image buffers in turn, so the
// image on screen and the one fading out are never drawn over; a Composer
// is used from one goroutine at a time.
type Composer struct {
	Photos Photos
	Fonts  *render.Fonts
	Words  *i18n.Catalog
	Now    func() time.Time
	Log    *slog.Logger

	bufs  [3]*image.RGBA
	codes [3]Codes // the codes on each buffer's slide
	drawn int
}

// Draw draws slide n (it picks the ticker's first figure) of e at px
// pixels with captions in lang; entries are everyone shown, whose packs'
// figures run in the ticker. With ok false there is nobody to show, and
// the slide says how to import a pack.
func (c *Composer) Draw(e show.Entry, ok bool, n int, px imageprep.Size, lang string, entries []show.Entry) *image.RGBA {
	return c.DrawAt(e, ok, n, px, lang, entries, show.Moment{Now: c.Now()})
}

// DrawAt is Draw at a Moment: the time and calendar day the slide decides
// from (screens in step pass their slot's start) and whether it is the
// postcard hour's.
func (c *Composer) DrawAt(e show.Entry, ok bool, n int, px imageprep.Size, lang string, entries []show.Entry, at show.Moment) *image.RGBA {
	if !ok {
		return render.Message(c.Fonts, px, "Solidarity Kiosk", c.Words.For(lang).T("message.no_packs", nil))
	}
	w := c.Words.For(lang)
	s := show.BuildAt(e, w, at)
	in := render.Input{Slide: s, Size: px, Figures: Rotate(Figures(entries, w), n), Photo: c.Photo(e, render.PhotoBox(px))}
	c.drawn++
	i := c.drawn % len(c.bufs)
	img, lay := render.DrawInto(c.bufs[i], c.Fonts, in)
	c.bufs[i] = img
	c.codes[i] = codesOf(s, lay)
	return img
}

// Photo loads and decodes the person's display image fitted to box; nil
// means the silhouette (no photo, no consent, or an image that cannot be
// read, which is logged).
func (c *Composer) Photo(e show.Entry, box imageprep.Size) *image.RGBA {
	if e.Photo == nil {
		return nil
	}
	data, err := c.Photos.Blob(e.Photo.Display.Hash)
	if err != nil {
		// The pack may have been re-fitted or re-imported since the
		// playlist was made: look its photo up afresh once.
		if rec, rerr := c.Photos.Pack(e.PackID); rerr == nil {
			if ph, ok := rec.Photos[e.Person.ID]; ok && ph.Display.Hash != e.Photo.Display.Hash {
				data, err = c.Photos.Blob(ph.Display.Hash)
			}
		}
	}
	if err != nil {
		c.Log.Error("photo unavailable; showing the silhouette", "pack", e.PackID, "person", e.Person.ID, "err", err)
		return nil
	}
	img, _, err := imageprep.Decode("display.jpg", data, box, imageprep.DefaultLimits())
	if err != nil {
		c.Log.Error("photo undecodable; showing the silhouette", "pack", e.PackID, "person", e.Person.ID, "err", err)
		return nil
	}
	return img
}

// Figures are the ticker items of every pack among entries, each with its
// date and source, in w's language.
func Figures(entries []show.Entry, w *i18n.Words) []string {
	seen := map[string]bool{}
	var out []string
	for _, e := range entries {
		if seen[e.PackID] {
			continue
		}
		seen[e.PackID] = true
		for _, st := range e.Manifest.Stats {
			// An item is worded, numbered and dated in its label's language:
			// a pack with no Persian label gets an English item on a Persian
			// caption, not an English label with Persian digits between
			// Persian words.
			label, lang := st.Label.GetLang(w.Lang, e.Manifest.Languages)
			ww := w.In(lang)
			out = append(out, ww.T("ticker.item", map[string]any{
				"Value": formatValue(st.Value, ww), "Label": label,
				"Date": ww.Date(st.AsOf), "Source": st.Source,
			}))
		}
	}
	return out
}

func formatValue(v float64, w *i18n.Words) string {
	if v == float64(int64(v)) {
		return w.Int(int64(v))
	}
	return fmt.Sprintf("%g", v)
}

// Rotate starts the ticker at a different figure on each slide n.
func Rotate(items []string, n int) []string {
	if len(items) == 0 {
		return nil
	}
	k := n % len(items)
	return append(append([]string(nil), items[k:]...), items[:k]...)
}
