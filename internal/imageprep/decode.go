package imageprep

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"io"
	"runtime/debug"
	"sync"
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

func decodePixels(info Info, data []byte, need Size) (*image.RGBA, error) {
	img, err := decodeOnce(info, data, need)
	if err != nil && info.decoder == decTurbo && !errors.Is(err, ErrTooLarge) {
		// libjpeg-turbo stops at the first warning; Go's decoder may still
		// read the file whole (a few stray bytes before a marker). It
		// reserves its own cost, once libjpeg-turbo's is released.
		g := info
		g.decoder = decGo
		if gimg, gerr := decodeOnce(g, data, need); gerr == nil {
			return gimg, nil
		}
	}
	return img, err
}

// decodeOnce decodes with info's decoder within the budget.
func decodeOnce(info Info, data []byte, need Size) (img *image.RGBA, err error) {
	cost, bounded := decodeCost(info, need)
	switch {
	case cost > decodeBudget && bounded:
		return nil, fmt.Errorf("%w: decoding this %d×%d %s at %s needs about %d MB, more than the %d MB decodes may take",
			ErrTooLarge, info.Width, info.Height, formatName[info.Format], decodeScale(info, need), cost>>20, decodeBudget>>20)
	case cost > aloneCeiling:
		return nil, fmt.Errorf("%w: decoding this %d×%d %s needs about %d MB in this build (without libjpeg-turbo and libwebp, as on Windows), more than the %d MB one decode may take: save it smaller, e.g. 6000 pixels on the long side, or as a baseline JPEG",
			ErrTooLarge, info.Width, info.Height, formatName[info.Format], cost>>20, aloneCeiling>>20)
	case cost > decodeBudget:
		// The pure-Go decoders (the build without the C libraries) hold
		// the whole picture: such a decode runs alone, over the budget,
		// up to aloneCeiling.
		cost = decodeBudget
	}
	decodeMem.acquire(cost)
	defer func() {
		// A large decode's garbage is collected and handed back to the
		// system before the next decode starts: otherwise Go's collector
		// lets the heap grow to twice what is live, the next decode's
		// planes may not fit the pages freed (small allocations land in
		// between), and decodes one after the other add up.
		if cost >= gcAfter {
			debug.FreeOSMemory()
		}
		decodeMem.release(cost)
	}()
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("%w: decoder failed: %v", ErrCorrupt, r)
		}
	}()
	switch {
	case info.decoder == decWebP:
		n, err := webpDecodeTo(data, info.Width, info.Height, webpTarget(info, need))
		if err != nil {
			return nil, err
		}
		return flattenNRGBA(n), nil
	case info.decoder == decTurbo:
		return tjDecodeScaled(data, storedNeed(info, need))
	case info.Format == "jpeg":
		return decodeJPEGGoBox(data, goJPEGFactor(info, need))
	}
	return decodePNG(info, data, need)
}

// decodeBudget is the memory all decodes under way may hold at once. The
// kiosk must verify, import, preview and print any pack within the
// format's limits (100 megapixels a photo) in 300 MB of resident memory on
// a 2-core machine; the process itself, the files being read (up to 64 MiB
// each) and Go's collector (which lets the heap grow past what is live)
// take the rest. Each decode reserves its cost (decodeCost: the image it
// returns and the decoder's working memory, at the reduced scale that
// still covers what the caller needs) and waits while the others hold too
// much; one that alone would need more is refused with ErrTooLarge. 160 MiB
// is a 40-megapixel image at full size, or a 100-megapixel PNG, lossy WebP
// or baseline JPEG reduced to cover 1920×1920 many times over.
const decodeBudget = 160 << 20

// aloneCeiling is the most a pure-Go decode, which holds the whole picture
// whatever the size needed, may be estimated to take when it runs alone:
// above it the file is refused (ErrTooLarge), so that a verify, an import
// or the poster stays within about 300 MB of peak memory with the
// process's own and the file's bytes (a 100-megapixel progressive JPEG was
// 756 MB). It lets through a 12-megapixel progressive JPEG that keeps full
// colour resolution (4:4:4, about 263 MB), a 4:2:0 one up to about 38
// megapixels, and baseline JPEGs and lossy WebPs up to the pixel limit.
const aloneCeiling = 272 << 20

// gcAfter is the reservation from which a decode runs the collector when
// it ends.
const gcAfter = 32 << 20

// decodeMem holds the bytes reserved by the decodes under way: a decode
// waits until its cost is free, so two decodes that would together
// overflow the budget run one after the other.
var decodeMem = newByteBudget(decodeBudget)

// byteBudget is a counting semaphore of bytes.
type byteBudget struct {
	mu   sync.Mutex
	cond *sync.Cond
	free int64
}

func newByteBudget(n int64) *byteBudget {
	b := &byteBudget{free: n}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// acquire waits until n bytes (at most the budget) are free and takes them.
func (b *byteBudget) acquire(n int64) {
	b.mu.Lock()
	for b.free < n {
		b.cond.Wait()
	}
	b.free -= n
	b.mu.Unlock()
}

func (b *byteBudget) release(n int64) {
	b.mu.Lock()
	b.free += n
	b.mu.Unlock()
	b.cond.Broadcast()
}

// decodeCost is about how many bytes decoding info to cover need takes:
// the image returned and what the decoder holds meanwhile. bounded is
// false for the pure-Go JPEG and WebP decoders, which hold the whole
// picture whatever the size needed: over the budget they run alone, up
// to aloneCeiling, instead of being refused (the Windows build would
// refuse ordinary 4:4:4 or progressive photos otherwise).
func decodeCost(info Info, need Size) (cost int64, bounded bool) {
	w, h := int64(info.Width), int64(info.Height)
	to := storedNeed(info, need)
	switch {
	case info.decoder == decWebP && webpScales:
		to = webpTarget(info, need)
		out := int64(to.W) * int64(to.H) * 4
		cost = out + w*256 // libwebp's rows of macroblocks and rescaler
		if info.alpha {
			cost += out + w*h*2 // flatten's copy; the alpha plane, decoded and filtered
		}
		if info.webpLossless {
			cost += w * h * 4 // VP8L decodes the whole picture as ARGB
		}
		return cost, true
	case info.decoder == decWebP:
		// x/image/webp holds the picture whole: VP8's Y, U and V planes,
		// or VP8L's NRGBA (assumed whenever the header is VP8X, which an
		// alpha channel needs: it is decoded through VP8L too).
		// Measured: about 2 bytes a pixel for VP8, 8.3 with alpha.
		cost = w * h * 2
		if info.webpLossless {
			cost = w * h * 17 / 2
		}
		if f := boxFactor(info.Width, info.Height, webpTarget(info, need)); f > 1 {
			cost += int64(ceilDiv(info.Width, f)) * int64(ceilDiv(info.Height, f)) * 4
		} else {
			cost += w * h * 4 * 2 // the picture as NRGBA, and flatten's copy
		}
		return cost, false
	case info.decoder == decTurbo:
		sw, sh := scaledSize(info.Width, info.Height, to)
		cost = int64(sw)*int64(sh)*4 + w*256
		if info.jpeg.progressive() {
			cost += int64(float64(w*h) * jpegSamples(info) * 2) // every coefficient, 16 bits
		}
		return cost, true
	case info.Format == "jpeg":
		return goJPEGCost(info, goJPEGFactor(info, need)), false
	}
	px := w * h
	if px <= pngGoMaxPixels && !forcePNGStream {
		return px * 12, true // image/png's image (8 bytes a pixel at 16 bits) and flatten's copy
	}
	var p pngInfo
	if p.parseIHDR(info.png[:]) != nil {
		return px * 4, true
	}
	return pngStreamCost(&p, pngFactor(info, need)), true
}

// goJPEGCost is what image/jpeg and the conversion to RGBA hold for a
// picture converted at factor f: the planes, the coefficients of a
// progressive one (32 bits each), and at factor 1 (or for kinds converted
// whole) the RGBA image, else the reduced image.
func goJPEGCost(info Info, f int) int64 {
	px := float64(info.Width) * float64(info.Height)
	s := jpegSamples(info)
	cost := px * s
	if info.jpeg.progressive() {
		cost += px * s * 4
	}
	if f > 1 && (s == 1.5 || s == 2) {
		cost += float64(ceilDiv(info.Width, f)) * float64(ceilDiv(info.Height, f)) * 4
	} else {
		cost += px * 8 // RGBA, and flatten's copy for kinds drawn whole (4:4:4, grey, CMYK)
	}
	return int64(cost)
}

// goJPEGFactor is the block size the pure-Go JPEG path averages over: 1 up
// to pngGoMaxPixels (so small photos are converted and fitted as before).
func goJPEGFactor(info Info, need Size) int {
	if int64(info.Width)*int64(info.Height) <= pngGoMaxPixels {
		return 1
	}
	return min(boxFactor(info.Width, info.Height, storedNeed(info, need)), maxBoxFactor)
}

// jpegSamples is the samples a pixel of a JPEG (3, 4:4:4, when unread).
func jpegSamples(info Info) float64 {
	if info.jpeg.samples > 0 {
		return info.jpeg.samples
	}
	return 3
}

// decodeScale words the scale a decode of info to cover need runs at.
func decodeScale(info Info, need Size) string {
	var to Size
	switch {
	case info.Format == "png":
		return scaleWords(pngFactor(info, need))
	case info.decoder == decWebP && webpScales:
		to = webpTarget(info, need)
	case info.decoder == decWebP:
		return scaleWords(boxFactor(info.Width, info.Height, webpTarget(info, need)))
	case info.decoder == decTurbo:
		to.W, to.H = scaledSize(info.Width, info.Height, storedNeed(info, need))
	case info.Format == "jpeg":
		return scaleWords(goJPEGFactor(info, need))
	default:
		return "full size"
	}
	if to.W >= info.Width && to.H >= info.Height {
		return "full size"
	}
	return fmt.Sprintf("%d×%d", to.W, to.H)
}

// webpScaleAbove is the size over which libwebp scales a WebP as it
// decodes it; smaller ones are decoded at full size and fitted as before.
const webpScaleAbove = 4_000_000

// webpTarget is the size libwebp decodes a WebP to: the stored size that
// covers need for a large picture, its full size otherwise.
func webpTarget(info Info, need Size) Size {
	if int64(info.Width)*int64(info.Height) <= webpScaleAbove {
		return Size{W: info.Width, H: info.Height}
	}
	return storedNeed(info, need)
}

// pngFactor is the block size the streaming decoder averages over.
func pngFactor(info Info, need Size) int {
	if int64(info.Width)*int64(info.Height) <= pngGoMaxPixels {
		return 1
	}
	return min(boxFactor(info.Width, info.Height, storedNeed(info, need)), maxBoxFactor)
}

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
	if int64(info.Width)*int64(info.Height) <= pngGoMaxPixels && !forcePNGStream {
		return decodeGo(png.Decode, data)
	}
	p, err := parsePNG(data)
	if err != nil {
		return nil, fmt.Errorf("%w: png: %v", ErrCorrupt, err)
	}
	f := pngFactor(info, need)
	if p.w != info.Width || p.h != info.Height || pngStreamCost(p, f) > decodeBudget {
		return nil, fmt.Errorf("%w: png: the header changed between reads", ErrCorrupt)
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
