// Package qr turns links into QR code images sized to be scanned from a few
// metres: dark on light, a 2-module quiet zone (see Quiet), error
// correction M, whole pixels per module, at a given size.
package qr

import (
	"errors"
	"fmt"
	"image"
	"image/color"

	qrcode "github.com/skip2/go-qrcode"
)

// MinShare is the smallest share of the screen height one code takes, so a
// 1920×1080 screen's codes scan from 2 metres.
const MinShare = 0.22

// Colours: dark modules on a light ground.
var (
	Dark  = color.Gray{Y: 0x10}
	Light = color.Gray{Y: 0xFF}
)

// ErrTooLong means the link does not fit a code that can be read on screen.
var ErrTooLong = errors.New("link too long for a QR code")

// Code is a rendered QR code.
type Code struct {
	Image   *image.Gray
	Modules int // modules across, quiet zone included
	Scale   int // pixels per module
}

// Render encodes url at error correction M and draws it with whole pixels
// per module, at least share × screenH pixels wide (quiet zone included).
func Render(url string, screenH int, share float64) (Code, error) {
	return RenderQuiet(url, int(share*float64(screenH)+0.999), Quiet)
}

// Quiet is the quiet zone in modules that codes on screen get. The standard
// asks for 4; on a screen the code's light margin sits on a dark, even
// backdrop, where both zbar and ZXing-C++ find the code with 2, and the two
// modules saved make every module 11% larger for the same space.
const Quiet = 2

// Fit encodes url and draws it as large as fits in maxSide pixels with
// whole pixels per module (at least one), quiet zone included.
func Fit(url string, maxSide int) (Code, error) {
	c, err := RenderQuiet(url, 1, Quiet)
	if err != nil {
		return Code{}, err
	}
	return RenderQuiet(url, max(maxSide/c.Modules, 1)*c.Modules, Quiet)
}

// Modules is how many modules across url's code is, quiet zone included.
func Modules(url string) (int, error) {
	c, err := RenderQuiet(url, 1, Quiet)
	return c.Modules, err
}

// RenderQuiet encodes url at error correction M with a quiet zone of quiet
// modules, drawn with whole pixels per module and at least want pixels wide.
func RenderQuiet(url string, want, quiet int) (Code, error) {
	if len(url) > 512 {
		return Code{}, fmt.Errorf("%w: %d bytes", ErrTooLong, len(url))
	}
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return Code{}, fmt.Errorf("encoding %q: %w", url, err)
	}
	q.DisableBorder = true
	bits := q.Bitmap()
	n := len(bits) + 2*quiet
	scale := max((want+n-1)/n, 1)
	side := n * scale
	img := image.NewGray(image.Rect(0, 0, side, side))
	for i := range img.Pix {
		img.Pix[i] = Light.Y
	}
	for y, row := range bits {
		for x, dark := range row {
			if !dark {
				continue
			}
			x0, y0 := (x+quiet)*scale, (y+quiet)*scale
			for yy := y0; yy < y0+scale; yy++ {
				line := img.Pix[yy*img.Stride+x0 : yy*img.Stride+x0+scale]
				for i := range line {
					line[i] = Dark.Y
				}
			}
		}
	}
	return Code{Image: img, Modules: n, Scale: scale}, nil
}
