package ui

import (
	"context"
	"image"
	"time"

	"fyne.io/fyne/v2"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/show"
)

// onUI runs f on the UI goroutine and waits for it: the one way the show's
// own goroutines (the director's, the wall's, the cursor's) reach Fyne.
func onUI(f func()) { fyne.DoAndWait(f) }

// soon runs f on the UI goroutine without waiting.
func soon(f func()) { fyne.Do(f) }

// presenter is the director's Screen: every call from the director's
// goroutine into Fyne goes through onUI (or soon) here.
type presenter struct{ k *kiosk }

// PixelSize is the window's size in pixels.
func (p presenter) PixelSize() imageprep.Size {
	var size fyne.Size
	var scale float32
	c := p.k.win.Canvas()
	onUI(func() { size, scale = c.Size(), c.Scale() })
	return imageprep.Size{W: max(int(size.Width*scale), 64), H: max(int(size.Height*scale), 64)}
}

// Present cross-fades to img, hiding the QR codes while it fades.
func (p presenter) Present(img *image.RGBA, fade time.Duration) {
	codes := p.k.compose.CodesOn(img)
	onUI(func() { p.k.stage.present(img, codes, fade) })
}

// WallPassage shows the wall.
func (p presenter) WallPassage(ctx context.Context, d time.Duration, entries []show.Entry, row *show.Row) []show.Entry {
	return p.k.wall.passage(ctx, d, entries, row)
}

// Quit ends the app.
func (p presenter) Quit() { soon(p.k.quit) }

// Sleep covers the whole window with black outside opening hours (true)
// and uncovers the slide beneath (false). The director draws nothing
// meanwhile, so nothing moves and no frame is drawn under the cover; a
// key still reaches the canvas and wakes the show. Fullscreen, the
// monitor is also switched off through DPMS where xset is installed, and
// on again on waking (with blanking kept off, as at start). While asleep
// Fyne's main loop is parked (see parking), so that a sleeping kiosk
// costs next to no CPU; waking releases it first.
func (p presenter) Sleep(asleep bool) {
	c := p.k.win.Canvas()
	if !asleep && p.k.park != nil {
		p.k.park.release()
	}
	onUI(func() {
		overlays := c.Overlays()
		for _, o := range overlays.List() {
			if _, ok := o.(*sleepCover); ok {
				overlays.Remove(o)
			}
		}
		if asleep {
			cover := newSleepCover()
			cover.Resize(c.Size())
			overlays.Add(cover)
		}
	})
	if asleep && p.k.park != nil {
		p.k.park.hold()
	}
	if !p.k.opts.Windowed {
		p.monitor(!asleep)
	}
}
