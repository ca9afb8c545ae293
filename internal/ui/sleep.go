package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// sleepCover is the black that covers everything while the screen sleeps
// outside opening hours; its own type tells it apart from other overlays.
type sleepCover struct{ *canvas.Rectangle }

// Sleep covers the whole window with black outside opening hours (true)
// and uncovers the slide beneath (false). The director draws nothing
// meanwhile, so nothing moves and no frame is drawn under the cover; a
// key still reaches the canvas and wakes the show.
func (p presenter) Sleep(asleep bool) {
	c := p.k.win.Canvas()
	fyne.DoAndWait(func() {
		overlays := c.Overlays()
		for _, o := range overlays.List() {
			if _, ok := o.(sleepCover); ok {
				overlays.Remove(o)
			}
		}
		if asleep {
			cover := sleepCover{canvas.NewRectangle(color.Black)}
			cover.Resize(c.Size())
			overlays.Add(cover)
		}
	})
}
