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
	return decodePNG(info, data, need)
}

// The memory budget of one decode. The kiosk must verify, import, preview
// and print any pack within the format's limits (100 megapixels a photo)
// in 300 MB of resident memory on a 2-core machine, two decodes at a time,
// with Go's collector letting the heap grow to twice what is live. So one
// decode may hold at most decodeBudget bytes of its own (the image it
// returns and its working buffers; the file's bytes are the caller's):
// 64 MiB is a 16-megapixel image at full size, or a 100-megapixel photo
// reduced to cover 1920×1920. A decode that would need more at the
// smallest scale its caller allows is refused with ErrTooLarge.
const decodeBudget = 64 << 20

// pngGoMaxPixels is the largest PNG decoded by image/png; larger ones (and
// any that can be reduced) go through the streaming decoder. image/png
// holds the whole image (8 bytes a pixel at 16 bits) plus flatten's copy,
// 48 MB at this size.
const pngGoMaxPixels = 4_000_000

// forcePNGStream sends every PNG through the streaming decoder, small ones
// at full size: tests compare it with image/png's path that way.
var forcePNGStream = false

// decodePNG decodes a PNG: small ones at full size with image/png (as
// before: their pixels and the fit from them stay as they were), larger
// ones with the streaming decoder averaged over the largest integer block
// that still covers need, within decodeBudget.
func decodePNG(info Info, data []byte, need Size) (*image.RGBA, error) {
	small := int64(info.Width)*int64(info.Height) <= pngGoMaxPixels
	if small && !forcePNGStream {
		return decodeGo(png.Decode, data)
	}
	f := 1
	if !small {
		f = min(boxFactor(info.Width, info.Height, storedNeed(info, need)), maxBoxFactor)
	}
	p, err := parsePNG(data)
	if err != nil {
		return nil, fmt.Errorf("%w: png: %v", ErrCorrupt, err)
	}
	if cost := pngStreamCost(p, f); cost > decodeBudget {
		return nil, fmt.Errorf("%w: decoding this %d×%d PNG at %s needs %d MB, more than the %d MB a decode may take",
			ErrTooLarge, p.w, p.h, scaleWords(f), cost>>20, decodeBudget>>20)
	}
	img, err := decodePNGStream(p, f)
	if err != nil {
		return nil, fmt.Errorf("%w: png: %v", ErrCorrupt, err)
	}
	return img, nil
}

// maxBoxFactor keeps a block's sums within 32 bits (4096² × 255 < 2³²).
const maxBoxFactor = 4096

// scaleWords says a reduction factor in words.
func scaleWords(f int) string {
	if f == 1 {
		return "full size"
	}
	return fmt.Sprintf("1/%d scale", f)
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
