package render

import (
	"image"
	"image/color"
	"image/draw"
)

// Patch is a part of a still picture that differs from its plain
// background, with where it goes.
type Patch struct {
	At    image.Point
	Image *image.RGBA
}

// patchGap is how many plain rows may lie inside one patch: lines of text
// a little apart stay one patch, wires a print apart do not.
const patchGap = 8

// Patches cuts img into the horizontal bands that hold anything but bg,
// each as narrow as what it holds. Drawn over a plain bg, they give img
// back pixel for pixel; a window that already paints bg then draws only
// these (on the wall: the title lines and the wires, a fraction of the
// screen) instead of a full-screen picture every frame.
func Patches(img *image.RGBA, bg color.RGBA) []Patch {
	b := img.Bounds()
	plain := [4]uint8{bg.R, bg.G, bg.B, bg.A}
	// span is the first and last column of row y that is not bg (-1 when none).
	span := func(y int) (int, int) {
		row := img.Pix[img.PixOffset(b.Min.X, y):img.PixOffset(b.Max.X, y)]
		lo, hi := -1, -1
		for i := 0; i+4 <= len(row); i += 4 {
			if [4]uint8(row[i:i+4]) != plain {
				if lo < 0 {
					lo = i / 4
				}
				hi = i / 4
			}
		}
		return lo, hi
	}
	var out []Patch
	cut := func(r image.Rectangle) {
		p := image.NewRGBA(image.Rect(0, 0, r.Dx(), r.Dy()))
		draw.Draw(p, p.Bounds(), img, r.Min, draw.Src)
		out = append(out, Patch{At: r.Min, Image: p})
	}
	var band image.Rectangle // the band being gathered, empty when none
	last := 0                // its last row that is not plain
	for y := b.Min.Y; y < b.Max.Y; y++ {
		lo, hi := span(y)
		if lo < 0 {
			if !band.Empty() && y-last > patchGap {
				cut(band)
				band = image.Rectangle{}
			}
			continue
		}
		row := image.Rect(b.Min.X+lo, y, b.Min.X+hi+1, y+1)
		if band.Empty() {
			band = row
		} else {
			band = band.Union(row)
		}
		last = y
	}
	if !band.Empty() {
		cut(band)
	}
	return out
}
