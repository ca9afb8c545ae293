//go:build cgo && !purewebp && !windows

package imageprep

/*
#cgo pkg-config: libwebp
#include <webp/decode.h>

// kioskWebPDecode decodes a still WebP into caller-owned RGBA memory
// (non-premultiplied), so libwebp allocates no output buffer of its own;
// scaled to sw×sh by libwebp's rescaler as rows are decoded when sw > 0.
static VP8StatusCode kioskWebPDecode(const uint8_t* data, size_t size,
                                     uint8_t* out, size_t out_size, int stride,
                                     int sw, int sh) {
	WebPDecoderConfig config;
	if (!WebPInitDecoderConfig(&config)) {
		return VP8_STATUS_INVALID_PARAM;
	}
	if (sw > 0 && sh > 0) {
		config.options.use_scaling = 1;
		config.options.scaled_width = sw;
		config.options.scaled_height = sh;
	}
	config.output.colorspace = MODE_RGBA;
	config.output.is_external_memory = 1;
	config.output.u.RGBA.rgba = out;
	config.output.u.RGBA.stride = stride;
	config.output.u.RGBA.size = out_size;
	VP8StatusCode status = WebPDecode(data, size, &config);
	WebPFreeDecBuffer(&config.output);
	return status;
}
*/
import "C"

import (
	"fmt"
	"image"
	"unsafe"
)

// The cgo surface for WebP: libwebp reads the headers and decodes. Go's
// golang.org/x/image/webp is not used because it returns VP8's limited-range
// YCbCr as if it were full range (golang/go#40173): black came out at 16 and
// white near 235. Go memory is passed for the duration of one call only.

// haveLibWebP tells which WebP path this build has (webp_pure.go is the other).
const haveLibWebP = true

// webpFeatures is what a WebP file's headers say.
type webpFeatures struct {
	w, h     int
	alpha    bool
	animated bool
	lossless bool // VP8L (or, where the header does not say, assumed)
}

// webpStatus words a libwebp status code.
func webpStatus(s C.VP8StatusCode) string {
	switch s {
	case C.VP8_STATUS_OUT_OF_MEMORY:
		return "out of memory"
	case C.VP8_STATUS_INVALID_PARAM:
		return "invalid parameter"
	case C.VP8_STATUS_BITSTREAM_ERROR:
		return "bitstream error"
	case C.VP8_STATUS_UNSUPPORTED_FEATURE:
		return "unsupported feature"
	case C.VP8_STATUS_NOT_ENOUGH_DATA:
		return "truncated (not enough data)"
	}
	return fmt.Sprintf("status %d", int(s))
}

// webpHeader reads the size and kind of a WebP from its headers.
func webpHeader(data []byte) (webpFeatures, error) {
	if len(data) == 0 {
		return webpFeatures{}, fmt.Errorf("libwebp: %s", webpStatus(C.VP8_STATUS_NOT_ENOUGH_DATA))
	}
	var f C.WebPBitstreamFeatures
	if st := C.WebPGetFeatures((*C.uint8_t)(unsafe.Pointer(&data[0])), C.size_t(len(data)), &f); st != C.VP8_STATUS_OK {
		return webpFeatures{}, fmt.Errorf("libwebp: %s", webpStatus(st))
	}
	return webpFeatures{
		w: int(f.width), h: int(f.height),
		alpha: f.has_alpha != 0, animated: f.has_animation != 0, lossless: f.format != 1,
	}, nil
}

// webpDecode decodes a still WebP of w×h (as its header says) into
// non-premultiplied RGBA.
func webpDecode(data []byte, w, h int) (*image.NRGBA, error) {
	return webpDecodeTo(data, w, h, Size{W: w, H: h})
}

// webpScales tells that webpDecodeTo decodes to any smaller size.
const webpScales = true

// webpDecodeTo decodes a still WebP of w×h into non-premultiplied RGBA of
// size to (at most w×h): libwebp's rescaler averages the rows as they are
// decoded, so a lossy picture is never held whole.
func webpDecodeTo(data []byte, w, h int, to Size) (*image.NRGBA, error) {
	if len(data) == 0 || w <= 0 || h <= 0 {
		return nil, fmt.Errorf("%w: libwebp: %s", ErrCorrupt, webpStatus(C.VP8_STATUS_NOT_ENOUGH_DATA))
	}
	sw, sh := 0, 0
	if to.W > 0 && to.H > 0 && to.W <= w && to.H <= h && (to.W < w || to.H < h) {
		sw, sh, w, h = to.W, to.H, to.W, to.H
	}
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	st := C.kioskWebPDecode((*C.uint8_t)(unsafe.Pointer(&data[0])), C.size_t(len(data)),
		(*C.uint8_t)(unsafe.Pointer(&img.Pix[0])), C.size_t(len(img.Pix)), C.int(img.Stride), C.int(sw), C.int(sh))
	if st != C.VP8_STATUS_OK {
		return nil, fmt.Errorf("%w: libwebp: %s", ErrCorrupt, webpStatus(st))
	}
	return img, nil
}
