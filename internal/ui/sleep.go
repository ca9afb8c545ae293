package ui

import (
	"os/exec"

	"fyne.io/fyne/v2/canvas"
)

// sleepCover is the black that covers everything while the screen sleeps
// outside opening hours; its own type tells it apart from other overlays.
type sleepCover struct{ *canvas.Rectangle }

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
