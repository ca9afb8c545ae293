package imageprep

import (
	"image"
	"math"

	"github.com/disintegration/imaging"
)

// FitSize is the size of src scaled to fit inside box, keeping its aspect
// ratio, never larger than src.
func FitSize(src, box Size) Size {
	if src.W <= 0 || src.H <= 0 || box.W <= 0 || box.H <= 0 {
		return src
	}
	scale := math.Min(float64(box.W)/float64(src.W), float64(box.H)/float64(src.H))
	if scale >= 1 {
		return src
	}
	w := max(1, int(math.Round(float64(src.W)*scale)))
	h := max(1, int(math.Round(float64(src.H)*scale)))
	return Size{W: min(w, box.W), H: min(h, box.H)}
}

// Fit scales an opaque image down to fit inside box, keeping its aspect
// ratio; an image that already fits is returned as it is. The filter is a
// linear (tent) filter, which is sharp enough after the decoder's own DCT
// downscaling has brought the image within a factor of two.
func Fit(img *image.RGBA, box Size) *image.RGBA {
	b := img.Bounds()
	return scaleTo(img, FitSize(Size{W: b.Dx(), H: b.Dy()}, box))
}

// scaleTo scales img to exactly to (the caller keeps the aspect ratio);
// an image of that size already is returned as it is. Sizes worked out
// from the photo's own size, not from a decode at a reduced DCT scale
// (which rounds up), keep the aspect ratio to the pixel.
func scaleTo(img *image.RGBA, to Size) *image.RGBA {
	b := img.Bounds()
	if to.W == b.Dx() && to.H == b.Dy() || to.W <= 0 || to.H <= 0 {
		return img
	}
	n := imaging.Resize(img, to.W, to.H, imaging.Linear)
	// Opaque pixels are the same in NRGBA and RGBA: reuse the buffer.
	return &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}
}

// Fill fits img into box like Fit and, when img is smaller, enlarges it
// with a quality filter, by at most maxUp times: a small photo fills its
// panel instead of sitting in it as a speck. It returns the image and
// whether it still falls short of the box (enlarged maxUp times).
func Fill(img *image.RGBA, box Size, maxUp float64) (*image.RGBA, bool) {
	b := img.Bounds()
	if b.Dx() <= 0 || b.Dy() <= 0 || box.W <= 0 || box.H <= 0 {
		return img, false
	}
	scale := math.Min(float64(box.W)/float64(b.Dx()), float64(box.H)/float64(b.Dy()))
	if scale <= 1 {
		return Fit(img, box), false
	}
	short := scale > maxUp
	scale = math.Min(scale, maxUp)
	to := Size{W: min(box.W, int(math.Round(float64(b.Dx())*scale))), H: min(box.H, int(math.Round(float64(b.Dy())*scale)))}
	if to.W == b.Dx() && to.H == b.Dy() {
		return img, short
	}
	n := imaging.Resize(img, to.W, to.H, imaging.CatmullRom)
	return &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}, short
}
