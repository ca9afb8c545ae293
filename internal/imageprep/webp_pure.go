//go:build !cgo || purewebp || windows

package imageprep

import (
	"bytes"
	"errors"
	"fmt"
	"image"

	xwebp "golang.org/x/image/webp"
)

// The pure-Go WebP path, for builds without libwebp (Windows: Debian has no
// mingw libwebp; any build with -tags purewebp or without cgo).
// golang.org/x/image/webp decodes the bitstream (VP8 and VP8L are specified
// bit-exactly, so its Y, U, V and alpha planes are libwebp's); what it gets
// wrong is the step after: it hands back VP8's limited-range YCbCr to be read
// as full range (golang/go#40173), black at 16 and white near 235. So the
// conversion to RGB is done here as libwebp does it for MODE_RGBA: its
// fixed-point BT.601 limited-range formulas (src/dsp/yuv.h) after its
// "fancy" chroma upsampling (src/dsp/upsampling.c, io_dec.c EmitFancyRGB).

// haveLibWebP tells which WebP path this build has.
const haveLibWebP = false

// webpFeatures is what a WebP file's headers say.
type webpFeatures struct {
	w, h     int
	alpha    bool
	animated bool
	lossless bool // VP8L (or, where the header does not say, assumed)
}

// webpHeader reads the size and kind of a WebP from its headers.
func webpHeader(data []byte) (webpFeatures, error) {
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return webpFeatures{}, errors.New("not a RIFF WEBP file")
	}
	var f webpFeatures
	if len(data) >= 30 && string(data[12:16]) == "VP8X" {
		flags := data[20]
		f.animated = flags&(1<<1) != 0
		f.alpha = flags&(1<<4) != 0
		if f.animated {
			f.w = 1 + int(data[24]) | int(data[25])<<8 | int(data[26])<<16
			f.h = 1 + int(data[27]) | int(data[28])<<8 | int(data[29])<<16
			return f, nil
		}
	}
	cfg, err := goConfig(xwebp.DecodeConfig, data)
	if err != nil {
		return webpFeatures{}, err
	}
	f.w, f.h = cfg.Width, cfg.Height
	f.lossless = len(data) < 16 || string(data[12:16]) != "VP8 " // VP8L, or VP8X holding either
	return f, nil
}

// webpScales tells that webpDecodeTo cannot decode at a smaller size here
// (it averages the full-size picture's rows instead).
const webpScales = false

// webpDecodeTo decodes with golang.org/x/image/webp, which cannot scale,
// so it holds the picture's planes whole; when to is smaller, it converts
// them a row at a time straight into a box average over the largest block
// that still covers to, flattened onto Backdrop (an opaque NRGBA), instead
// of into an RGBA image at full size.
func webpDecodeTo(data []byte, w, h int, to Size) (*image.NRGBA, error) {
	f := boxFactor(w, h, to)
	if f <= 1 {
		return webpDecode(data, w, h)
	}
	src, err := xwebp.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: WebP: %v", ErrCorrupt, err)
	}
	if b := src.Bounds(); b.Dx() != w || b.Dy() != h {
		return nil, fmt.Errorf("%w: WebP: the picture is %d×%d, its header says %d×%d", ErrCorrupt, b.Dx(), b.Dy(), w, h)
	}
	box := newRGBABox(w, h, min(f, maxBoxFactor))
	switch m := src.(type) {
	case *image.NRGBA: // lossless
		for y := range h {
			box.add(y, m.Pix[y*m.Stride:], nil)
		}
	case *image.YCbCr:
		vp8Rows(m, func(y int, row []byte) { box.add(y, row, nil) })
	case *image.NYCbCrA:
		vp8Rows(&m.YCbCr, func(y int, row []byte) { box.add(y, row, m.A[y*m.AStride:]) })
	default:
		return nil, fmt.Errorf("%w: WebP: unexpected picture type %T", ErrCorrupt, src)
	}
	return box.out, nil
}

// webpDecode decodes a still WebP of w×h (as its header says) into
// non-premultiplied RGBA.
func webpDecode(data []byte, w, h int) (*image.NRGBA, error) {
	if len(data) == 0 || w <= 0 || h <= 0 {
		return nil, fmt.Errorf("%w: WebP: truncated (not enough data)", ErrCorrupt)
	}
	src, err := xwebp.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: WebP: %v", ErrCorrupt, err)
	}
	if b := src.Bounds(); b.Dx() != w || b.Dy() != h {
		return nil, fmt.Errorf("%w: WebP: the picture is %d×%d, its header says %d×%d", ErrCorrupt, b.Dx(), b.Dy(), w, h)
	}
	switch m := src.(type) {
	case *image.NRGBA: // lossless
		return m, nil
	case *image.YCbCr:
		return vp8ToNRGBA(m, nil, 0), nil
	case *image.NYCbCrA:
		return vp8ToNRGBA(&m.YCbCr, m.A, m.AStride), nil
	}
	return nil, fmt.Errorf("%w: WebP: unexpected picture type %T", ErrCorrupt, src)
}

// vp8ToNRGBA turns a 4:2:0 VP8 picture (limited range) and its alpha plane,
// if any, into RGBA the way libwebp's fancy upsampler does: each output row
// blends the two nearest chroma rows 3:1 (the first and, for an even height,
// the last row use their own chroma row alone), and each pair of pixels in
// a row the two nearest chroma columns, with libwebp's rounding.
func vp8ToNRGBA(m *image.YCbCr, alpha []byte, aStride int) *image.NRGBA {
	b := m.Rect
	dst := image.NewNRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	vp8Rows(m, func(y int, row []byte) {
		copy(dst.Pix[y*dst.Stride:], row)
		if alpha != nil {
			out, a := dst.Pix[y*dst.Stride:], alpha[y*aStride:]
			for x := range b.Dx() {
				out[4*x+3] = a[x]
			}
		}
	})
	return dst
}

// vp8Rows converts m to RGBA as vp8ToNRGBA does (alpha 0xFF), one row at
// a time, handing each to emit (the row is reused for the next).
func vp8Rows(m *image.YCbCr, emit func(y int, row []byte)) {
	b := m.Rect
	w, h := b.Dx(), b.Dy()
	rowBuf := make([]byte, 4*w)
	uvRow := func(k int) ([]byte, []byte) {
		o := k * m.CStride
		return m.Cb[o:], m.Cr[o:]
	}
	// line converts row y with the chroma rows above (top) and below (cur)
	// it; bottom says the row is the lower of the pair, nearer to cur.
	line := func(y int, topU, topV, curU, curV []byte, bottom bool) {
		yRow := m.Y[y*m.YStride:]
		out := rowBuf
		put := func(x, u, v int) {
			yy := multHi(int(yRow[x]), 19077)
			p := out[4*x : 4*x+4 : 4*x+4]
			p[0] = clip8(yy + multHi(v, 26149) - 14234)
			p[1] = clip8(yy - multHi(u, 6419) - multHi(v, 13320) + 8708)
			p[2] = clip8(yy + multHi(u, 33050) - 17685)
			p[3] = 0xFF
		}
		// edge blends the nearest chroma sample of each row 3:1.
		edge := func(x, tlU, tlV, lU, lV int) {
			if bottom {
				put(x, (3*lU+tlU+2)>>2, (3*lV+tlV+2)>>2)
			} else {
				put(x, (3*tlU+lU+2)>>2, (3*tlV+lV+2)>>2)
			}
		}
		tlU, tlV := int(topU[0]), int(topV[0])
		lU, lV := int(curU[0]), int(curV[0])
		edge(0, tlU, tlV, lU, lV)
		for x := 1; x <= (w-1)>>1; x++ {
			tU, tV := int(topU[x]), int(topV[x])
			u, v := int(curU[x]), int(curV[x])
			avgU, avgV := tlU+tU+lU+u+8, tlV+tV+lV+v+8
			d12U, d12V := (avgU+2*(tU+lU))>>3, (avgV+2*(tV+lV))>>3
			d03U, d03V := (avgU+2*(tlU+u))>>3, (avgV+2*(tlV+v))>>3
			if bottom {
				put(2*x-1, (d03U+lU)>>1, (d03V+lV)>>1)
				put(2*x, (d12U+u)>>1, (d12V+v)>>1)
			} else {
				put(2*x-1, (d12U+tlU)>>1, (d12V+tlV)>>1)
				put(2*x, (d03U+tU)>>1, (d03V+tV)>>1)
			}
			tlU, tlV, lU, lV = tU, tV, u, v
		}
		if w&1 == 0 {
			edge(w-1, tlU, tlV, lU, lV)
		}
		emit(y, rowBuf)
	}
	u0, v0 := uvRow(0)
	line(0, u0, v0, u0, v0, false)
	for y := 1; y < h; y++ {
		k := (y + 1) / 2
		if k >= (h+1)/2 { // the last row of an even height: its own chroma row
			uk, vk := uvRow(k - 1)
			line(y, uk, vk, uk, vk, false)
			continue
		}
		tu, tv := uvRow(k - 1)
		cu, cv := uvRow(k)
		line(y, tu, tv, cu, cv, y%2 == 0)
	}
}

// rgbaBox averages rows of non-premultiplied RGBA, each flattened onto
// Backdrop, over f×f blocks (partial at the right and bottom) into an
// opaque image, holding one row of sums.
type rgbaBox struct {
	w, h, f int
	out     *image.NRGBA // opaque: the same in NRGBA and RGBA
	acc     []uint32
}

func newRGBABox(w, h, f int) *rgbaBox {
	ow, oh := ceilDiv(w, f), ceilDiv(h, f)
	return &rgbaBox{w: w, h: h, f: f, out: image.NewNRGBA(image.Rect(0, 0, ow, oh)), acc: make([]uint32, 3*ow)}
}

// add adds row y, alpha from alpha when not nil (else the row's own).
func (b *rgbaBox) add(y int, row, alpha []byte) {
	bd := [3]uint32{uint32(Backdrop.R), uint32(Backdrop.G), uint32(Backdrop.B)}
	for x := range b.w {
		a := uint32(row[4*x+3])
		if alpha != nil {
			a = uint32(alpha[x])
		}
		o := 3 * (x / b.f)
		for k := range 3 {
			b.acc[o+k] += uint32(over(uint32(row[4*x+k])*0x101, a*0x101, bd[k]))
		}
	}
	if (y+1)%b.f != 0 && y != b.h-1 {
		return
	}
	rows, pix, ow := y%b.f+1, b.out.Pix[(y/b.f)*b.out.Stride:], b.out.Rect.Dx()
	for ox := range ow {
		n := uint32(min(b.f, b.w-ox*b.f) * rows)
		for k := range 3 {
			pix[4*ox+k] = uint8((b.acc[3*ox+k] + n/2) / n)
		}
		pix[4*ox+3] = 0xFF
	}
	clear(b.acc)
}

func multHi(v, coeff int) int { return (v * coeff) >> 8 }

// clip8 is libwebp's VP8Clip8 with YUV_FIX2 = 6.
func clip8(v int) uint8 {
	const mask = (256 << 6) - 1
	switch {
	case v&^mask == 0:
		return uint8(v >> 6)
	case v < 0:
		return 0
	}
	return 255
}
