package ui

import (
	"image/color"
	"os/exec"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// sleepCover is the black that covers everything while the screen sleeps
// outside opening hours; its own type tells it apart from other overlays.
type sleepCover struct{ *canvas.Rectangle }

// Sleep covers the whole window with black outside opening hours (true)
// and uncovers the slide beneath (false). The director draws nothing
// meanwhile, so nothing moves and no frame is drawn under the cover; a
// key still reaches the canvas and wakes the show. Fullscreen, the
// monitor is also switched off through DPMS where xset is installed, and
// on again on waking (with blanking kept off, as at start).
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
	if !p.k.opts.Windowed {
		p.monitor(!asleep)
	}
}

// monitor switches the monitor off or on through DPMS (xset), when xset
// is there; the black cover stands either way.
func (p presenter) monitor(on bool) {
	path, err := exec.LookPath("xset")
	if err != nil {
		return
	}
	steps := [][]string{{"+dpms", "dpms", "force", "off"}}
	if on {
		steps = [][]string{{"dpms", "force", "on"}, {"s", "off", "-dpms", "s", "noblank"}}
	}
	for _, args := range steps {
		if err := exec.Command(path, args...).Run(); err != nil {
			p.k.opts.Logger.Warn("xset could not switch the monitor; the screen stays black", "on", on, "err", err)
			return
		}
	}
}
