// Package qr turns links into QR code images sized to be scanned from a few
// metres: dark on light, a 4-module quiet zone, error correction M, whole
// pixels per module, and at least a given share of the screen height.
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
	if len(url) > 512 {
		return Code{}, fmt.Errorf("%w: %d bytes", ErrTooLong, len(url))
	}
	q, err := qrcode.New(url, qrcode.Medium)
	if err != nil {
		return Code{}, fmt.Errorf("encoding %q: %w", url, err)
	}
	bits := q.Bitmap() // includes the 4-module quiet zone
	n := len(bits)
	want := int(share*float64(screenH) + 0.999)
	scale := max((want+n-1)/n, 1)
	side := n * scale
	img := image.NewGray(image.Rect(0, 0, side, side))
	for y := 0; y < side; y++ {
		row := bits[y/scale]
		line := img.Pix[y*img.Stride : y*img.Stride+side]
		for x := range line {
			if row[x/scale] {
				line[x] = Dark.Y
			} else {
				line[x] = Light.Y
			}
		}
	}
	return Code{Image: img, Modules: n, Scale: scale}, nil
}
