//go:build !linux || ci

package ui

// newX11Pointer has nothing to work with here: the surface hides the
// pointer outright instead.
func newX11Pointer(uintptr) pointer { return nil }

// screenSize is unknown before the window exists here.
func screenSize() (w, h int, ok bool) { return 0, 0, false }

// displayReady leaves the toolkit to find its display here.
func displayReady() error { return nil }
