//go:build !cgo || purejpeg || windows

package imageprep

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
)

// The pure-Go JPEG path, for builds without libjpeg-turbo (Windows, where
// Debian has no mingw build of it; any build with -tags purejpeg or without
// cgo). Go's image/jpeg decodes every JPEG (at full size: it has no reduced
// DCT scale, so an import is slower) except arithmetic-coded ones, which
// jpegFrame.unsupported refuses in this build with a clear message.

// haveTurboJPEG tells which JPEG path this build has.
const haveTurboJPEG = false

var errNoTurbo = errors.New("libjpeg-turbo is not part of this build")

// tjHeader is what the JPEG header says (unused in this build).
type tjHeader struct {
	w, h int
	cmyk bool
}

// tjReadHeader always refuses: Go's decoder reads every header here.
func tjReadHeader([]byte) (tjHeader, error) { return tjHeader{}, errNoTurbo }

// tjDecodeScaled always refuses; jpegHeader never picks decTurbo here.
func tjDecodeScaled([]byte, Size) (*image.RGBA, error) { return nil, errNoTurbo }

// tjEncode encodes an opaque RGBA image as a baseline 4:2:0 JPEG with Go's
// encoder.
func tjEncode(img *image.RGBA, quality int) ([]byte, error) {
	if img.Bounds().Empty() {
		return nil, errors.New("encoding an empty image")
	}
	var buf bytes.Buffer
	buf.Grow(img.Bounds().Dx() * img.Bounds().Dy() / 4)
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// scaledSize is the full size: image/jpeg has no reduced DCT scale.
func scaledSize(w, h int, _ Size) (int, int) { return w, h }
