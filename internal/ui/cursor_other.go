//go:build !linux || ci

package ui

// newX11Pointer has nothing to work with here: the surface hides the
// pointer outright instead.
func newX11Pointer(uintptr) pointer { return nil }
