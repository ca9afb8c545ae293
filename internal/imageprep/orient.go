package imageprep

import (
	"encoding/binary"
	"image"
)

// orient applies an EXIF orientation (1..8) to an RGBA image. Other values
// return the image unchanged.
func orient(src *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return src
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	ow, oh := w, h
	if o >= 5 {
		ow, oh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, ow, oh))
	for y := 0; y < oh; y++ {
		row := dst.Pix[y*dst.Stride:]
		for x := 0; x < ow; x++ {
			sx, sy := sourceOf(o, x, y, w, h)
			off := src.PixOffset(b.Min.X+sx, b.Min.Y+sy)
			binary.NativeEndian.PutUint32(row[4*x:], binary.NativeEndian.Uint32(src.Pix[off:]))
		}
	}
	return dst
}

// sourceOf maps an output pixel to the stored pixel it comes from, for a
// stored image of w×h.
func sourceOf(o, x, y, w, h int) (int, int) {
	switch o {
	case 2: // mirrored left-right
		return w - 1 - x, y
	case 3: // rotated 180°
		return w - 1 - x, h - 1 - y
	case 4: // mirrored top-bottom
		return x, h - 1 - y
	case 5: // transposed
		return y, x
	case 6: // stored rotated 90° counter-clockwise: turn clockwise
		return y, h - 1 - x
	case 7: // transversed
		return w - 1 - y, h - 1 - x
	case 8: // stored rotated 90° clockwise: turn counter-clockwise
		return w - 1 - y, x
	}
	return x, y
}
