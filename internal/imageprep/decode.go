package imageprep

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/webp"
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
	switch info.Format {
	case "jpeg":
		img, err = tjDecodeScaled(data, storedNeed(info, need))
		if errors.Is(err, errCMYK) {
			return decodeGo(jpeg.Decode, data)
		}
		return img, err
	case "png":
		return decodeGo(png.Decode, data)
	default:
		return decodeGo(webp.Decode, data)
	}
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
	b := src.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Bounds(), image.NewUniform(Backdrop), image.Point{}, draw.Src)
	draw.Draw(dst, dst.Bounds(), src, b.Min, draw.Over)
	return dst, nil
}
