package ui

import (
	"context"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
)

// cursorIdle is how long the pointer stays visible after it last moved.
const cursorIdle = 3 * time.Second

// pointer shows or hides the mouse pointer over the show window.
type pointer interface {
	setVisible(bool)
}

// idleCursor hides the pointer cursorIdle after the mouse last moved, and
// shows it again on the next movement. Fyne asks for a cursor only when
// the mouse moves, so the hiding itself is done on the window (X11); where
// that is not possible the surface hides the pointer outright.
type idleCursor struct {
	moves chan struct{}
	hold  chan bool // true while the operator panel is open: keep the pointer
}

func newIdleCursor() *idleCursor {
	return &idleCursor{moves: make(chan struct{}, 1), hold: make(chan bool, 1)}
}

// moved records a mouse movement; it never blocks the UI goroutine.
func (c *idleCursor) moved() {
	select {
	case c.moves <- struct{}{}:
	default:
	}
}

// keep keeps the pointer visible (the operator panel is open) or lets it hide again.
func (c *idleCursor) keep(on bool) {
	select {
	case c.hold <- on:
	default:
		<-c.hold // replace a state not yet seen with the newer one
		c.hold <- on
	}
}

// run hides and shows p until ctx ends. newTimer makes the idle timer
// (time.After outside tests).
func (c *idleCursor) run(ctx context.Context, p pointer, newTimer func(time.Duration) <-chan time.Time) {
	visible, held := true, false
	timer := newTimer(cursorIdle)
	set := func(v bool) {
		if v != visible {
			visible = v
			p.setVisible(v)
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-c.moves:
			set(true)
			timer = newTimer(cursorIdle)
		case held = <-c.hold:
			set(true)
			timer = newTimer(cursorIdle)
		case <-timer:
			timer = nil
			if !held {
				set(false)
			}
		}
	}
}

// nativePointer finds the window's X11 handle, or nil where there is none
// (other platforms, the test driver).
func nativePointer(w fyne.Window) pointer {
	nw, ok := w.(driver.NativeWindow)
	if !ok {
		return nil
	}
	var handle uintptr
	onUI(func() {
		nw.RunNative(func(ctx any) {
			if x, ok := ctx.(driver.X11WindowContext); ok {
				handle = x.WindowHandle
			}
		})
	})
	if handle == 0 {
		return nil
	}
	return newX11Pointer(handle)
}
