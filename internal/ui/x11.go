//go:build linux && !ci

package ui

/*
#cgo pkg-config: x11
#include <X11/Xlib.h>
#include <X11/cursorfont.h>

// A connection of our own: the pointer is a property of the window on the
// server, so it can be changed without touching GLFW's connection.
static Display *kioskDisplay;
static Cursor kioskBlank, kioskArrow;

static int kioskCursorOpen(void) {
	kioskDisplay = XOpenDisplay(NULL);
	if (!kioskDisplay) return 0;
	Pixmap p = XCreatePixmap(kioskDisplay, DefaultRootWindow(kioskDisplay), 1, 1, 1);
	XColor black = {0};
	kioskBlank = XCreatePixmapCursor(kioskDisplay, p, p, &black, &black, 0, 0);
	XFreePixmap(kioskDisplay, p);
	kioskArrow = XCreateFontCursor(kioskDisplay, XC_left_ptr);
	XFlush(kioskDisplay);
	return 1;
}

static void kioskScreenSize(int *w, int *h) {
	int s = DefaultScreen(kioskDisplay);
	*w = DisplayWidth(kioskDisplay, s);
	*h = DisplayHeight(kioskDisplay, s);
}

static void kioskCursorSet(unsigned long win, int visible) {
	XDefineCursor(kioskDisplay, (Window)win, visible ? kioskArrow : kioskBlank);
	XFlush(kioskDisplay);
}
*/
import "C"

import (
	"errors"
	"fmt"
	"os"
	"sync"
)

// x11Pointer changes the pointer of one X11 window. Only the idle-cursor
// goroutine calls it.
type x11Pointer struct{ win C.ulong }

// x11Open opens the kiosk's own connection to the X server once; the C
// side keeps it for the life of the process.
var x11Open = sync.OnceValue(func() bool { return C.kioskCursorOpen() != 0 })

// screenSize is the X screen's size in pixels, known before any window
// exists; ok is false without an X server.
func screenSize() (w, h int, ok bool) {
	if !x11Open() {
		return 0, 0, false
	}
	var cw, ch C.int
	C.kioskScreenSize(&cw, &ch)
	return int(cw), int(ch), cw > 0 && ch > 0
}

func newX11Pointer(handle uintptr) pointer {
	if !x11Open() {
		return nil
	}
	return &x11Pointer{win: C.ulong(handle)}
}

func (p *x11Pointer) setVisible(v bool) {
	visible := C.int(0)
	if v {
		visible = 1
	}
	C.kioskCursorSet(p.win, visible)
}

// displayReady says, in one line, why there is no X display to show on:
// GLFW would otherwise panic ("The GLFW library is not initialized").
func displayReady() error {
	if x11Open() {
		return nil
	}
	if os.Getenv("DISPLAY") == "" {
		return errors.New("no display: DISPLAY is not set; start the kiosk inside the graphical session (as a service: after graphical-session.target)")
	}
	return fmt.Errorf("cannot reach the X display %q: is the desktop up yet?", os.Getenv("DISPLAY"))
}
