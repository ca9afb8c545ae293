package ui

import (
	"image/color"
	"os/exec"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/widget"
)

// sleepCover is the black that covers everything while the screen sleeps
// outside opening hours; its own type tells it apart from other overlays.
// It is a widget: Fyne's painter draws only its own canvas types, so a
// struct merely wrapping a *canvas.Rectangle was an overlay never drawn
// (the slide stayed on screen all night where xset could not switch the
// monitor off).
type sleepCover struct{ widget.BaseWidget }

func newSleepCover() *sleepCover {
	c := &sleepCover{}
	c.ExtendBaseWidget(c)
	return c
}

// CreateRenderer draws black all over.
func (c *sleepCover) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(canvas.NewRectangle(color.Black))
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

// parkAfter is how long the black cover has to reach the screen before
// the main loop is parked: Fyne paints it at its next frame tick.
const parkAfter = 500 * time.Millisecond

// parkBeat is how often a parked main loop turns over by itself, so that
// the watchdog still sees it alive.
const parkBeat = 5 * time.Second

// parking holds Fyne's main loop while the screen sleeps. Fyne wakes its
// loop 60 times a second (an event ticker) even with nothing to draw,
// which under Xvfb/llvmpipe costs about 1% of a core: a bare fullscreen
// Fyne window measures the same as the kiosk asleep (scripts/hours-figures.sh).
// Parked, the main goroutine waits in GLFW for an X event instead (a key
// still reaches typedKey, which wakes the show) and turns over only every
// parkBeat. Whatever else is queued for the UI goroutine meanwhile runs
// once the screen wakes.
type parking struct {
	wait func(timeout float64) // glfw.WaitEventsTimeout (seconds)
	post func()                // glfw.PostEmptyEvent: ends a wait early

	wake    atomic.Bool  // the screen is to wake: no (further) wait
	waiting atomic.Bool  // the main goroutine is in the wait loop
	beat    atomic.Int64 // the wait loop's last turn, unix nanoseconds
}

// hold parks the main loop parkAfter from now, unless the screen has
// woken by then. Called from the director's goroutine.
func (pk *parking) hold() {
	pk.wake.Store(false)
	time.AfterFunc(parkAfter, func() { soon(pk.loop) })
}

// loop waits for events on the main goroutine until release.
func (pk *parking) loop() {
	pk.beat.Store(time.Now().UnixNano())
	pk.waiting.Store(true)
	defer pk.waiting.Store(false)
	for !pk.wake.Load() {
		pk.wait(parkBeat.Seconds())
		pk.beat.Store(time.Now().UnixNano())
	}
}

// release ends the wait (and any still queued). Safe from any goroutine.
func (pk *parking) release() {
	pk.wake.Store(true)
	if pk.waiting.Load() {
		pk.post()
	}
}

// alive reports whether the main loop is parked, and if so whether it
// turned over within limit: the watchdog's fyne.Do cannot reach it then.
func (pk *parking) alive(limit time.Duration) (parked, ok bool) {
	if pk == nil || !pk.waiting.Load() {
		return false, false
	}
	return true, time.Since(time.Unix(0, pk.beat.Load())) < limit
}
