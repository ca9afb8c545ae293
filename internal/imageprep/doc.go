// Package imageprep turns a pack's photo files into the images the kiosk
// stores and shows: it sniffs the format, checks the size from the header
// before decoding anything, decodes JPEG at a reduced DCT scale through
// libjpeg-turbo (the decoder is the bottleneck of an import), applies the
// EXIF orientation, fits the result to the screen and encodes it.
//
// Each header is read by the library that decodes the pixels. JPEG goes to
// libjpeg-turbo, which also reads the arithmetic coding Go's image/jpeg
// lacks, and falls back to image/jpeg for the valid files it refuses or
// cannot turn into RGB (4:1:0 subsampling, CMYK); PNG to image/png (or
// the streaming decoder, over 4 megapixels); WebP to
// libwebp, since golang.org/x/image/webp decodes lossy pictures with the
// wrong levels (golang/go#40173). The conformance tests (PngSuite, EXIF orientation
// examples, libwebp's and libjpeg-turbo's test images) are described in
// testdata/conformance/README.md.
//
// Two builds, chosen at build time. Where the C libraries are (Linux with
// cgo: amd64 and the arm64 cross build), turbojpeg.go and webp.go link
// libjpeg-turbo and libwebp. Windows (Debian has no mingw build of either),
// builds without cgo, and -tags purejpeg / -tags purewebp take the pure-Go
// files instead: jpeg_pure.go decodes every JPEG with image/jpeg at full
// size (slower; arithmetic-coded JPEGs are refused by name), with
// libjpeg-turbo's chroma upsampling and colour conversion (jpeg_go.go);
// webp_pure.go decodes with golang.org/x/image/webp and converts to RGB as
// libwebp does, which fixes its levels: on the generated WebP suite its
// pixels equal dwebp's. Both builds run the same image tests
// (go test -tags 'ci purejpeg purewebp' ./internal/imageprep/...).
//
// Memory. Every decode reserves its estimated cost out of decodeBudget
// (decode.go) and waits while other decodes hold it, and one that alone
// would need more is refused with ErrTooLarge, naming the size, the scale
// and the budget (the pure-Go decoders, which hold the whole picture, run
// alone over the budget up to aloneCeiling, and are refused above it). Nothing is decoded larger than needed: libjpeg-turbo
// decodes at the reduced DCT scale that covers the size asked for, libwebp
// scales large WebPs as it decodes them, PNGs over 4 megapixels go through
// a streaming decoder of our own (pngstream.go) that averages blocks as
// rows arrive, and the pure-Go JPEG path averages as it converts. What is
// still held whole: a progressive JPEG's coefficients, a lossless WebP's
// pixels in libwebp, and everything x/image/webp decodes.
//
// Every function is a pure data → data transformation, safe to run off the
// UI goroutine; Run spreads a list of photos over all cores.
package imageprep

import (
	"errors"
	"image/color"
)

// Sentinel errors; the messages that wrap them name the size or format found.
var (
	// ErrTooLarge means the file or the pixel count is over the limit.
	ErrTooLarge = errors.New("image too large")
	// ErrUnsupported means the file is not a JPEG, PNG or WebP image.
	ErrUnsupported = errors.New("unsupported image format")
	// ErrWrongExtension means the content does not match the file name.
	ErrWrongExtension = errors.New("file name does not match its content")
	// ErrCorrupt means the image is truncated or cannot be decoded.
	ErrCorrupt = errors.New("damaged image")
)

// Backdrop is the kiosk's dark background; transparent pixels are flattened onto it.
var Backdrop = color.RGBA{R: 0x1A, G: 0x1A, B: 0x1A, A: 0xFF}

// Size is a width and height in pixels.
type Size struct{ W, H int }

// Limits bound what is decoded.
type Limits struct {
	MaxPixels int64 // width × height from the header
	MaxBytes  int64 // file size
}

// DefaultLimits are the pack format's: 100 megapixels, 64 MiB.
func DefaultLimits() Limits { return Limits{MaxPixels: 100_000_000, MaxBytes: 64 << 20} }
