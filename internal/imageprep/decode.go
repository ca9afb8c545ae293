package imageprep

import (
	"bytes"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
)

// Decode checks the file with Inspect, then decodes it as an opaque RGBA
// image with its orientation applied. JPEGs are decoded at the smallest DCT
// scale whose oriented result still covers the photo fitted into need; need
// {0,0} decodes at full size. Transparent pixels are flattened onto Backdrop.
func Decode(name string, data []byte, need Size, lim Limits) (*image.RGBA, Info, error) {
	info, err := Inspect(name, data, lim)
	if err != nil {
		return nil, info, err
	}
	img, err := decodePixels(info, data, need)
	if err != nil {
		return nil, info, err
	}
	return orient(img, info.Orientation), info, nil
}

func decodePixels(info Info, data []byte, need Size) (img *image.RGBA, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("%w: decoder failed: %v", ErrCorrupt, r)
		}
	}()
	switch {
	case info.decoder == decWebP:
		n, err := webpDecode(data, info.Width, info.Height)
		if err != nil {
			return nil, err
		}
		return flattenNRGBA(n), nil
	case info.decoder == decTurbo:
		img, err := tjDecodeScaled(data, storedNeed(info, need))
		if err != nil {
			// libjpeg-turbo stops at the first warning; Go's decoder may
			// still read the file whole (a few stray bytes before a marker).
			if g, gerr := decodeGo(decodeJPEGGo, data); gerr == nil {
				return g, nil
			}
		}
		return img, err
	case info.Format == "jpeg":
		return decodeGo(decodeJPEGGo, data)
	}
	return decodeGo(png.Decode, data)
}

// storedNeed is the smallest stored (unoriented) size that still covers the
// photo fitted into need once oriented.
func storedNeed(info Info, need Size) Size {
	if need.W <= 0 || need.H <= 0 {
		return Size{W: info.Width, H: info.Height}
	}
	fit := FitSize(info.Oriented(), need)
	if info.Orientation >= 5 {
		return Size{W: fit.H, H: fit.W}
	}
	return fit
}

// decodeGo decodes with a standard-library-style decoder and flattens the
// result into opaque RGBA (CMYK, 16-bit, paletted and alpha images included).
func decodeGo(dec func(r io.Reader) (image.Image, error), data []byte) (*image.RGBA, error) {
	src, err := dec(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if o, ok := src.(opaqueRGBA); ok {
		return o.RGBA, nil
	}
	return flatten(src), nil
}

// flatten draws an image onto Backdrop as opaque RGBA.
func flatten(src image.Image) *image.RGBA {
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(Backdrop), image.Point{}, draw.Src)
	draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Over)
	return dst
}

// flattenNRGBA is flatten for a decoder's fresh NRGBA image: an opaque one
// is reused as it is, since opaque pixels are the same in NRGBA and RGBA.
func flattenNRGBA(n *image.NRGBA) *image.RGBA {
	for i := 3; i < len(n.Pix); i += 4 {
		if n.Pix[i] != 0xFF {
			return flatten(n)
		}
	}
	return &image.RGBA{Pix: n.Pix, Stride: n.Stride, Rect: n.Rect}
}
