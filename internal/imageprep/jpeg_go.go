package imageprep

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"io"
)

// decodeJPEGGo decodes a JPEG with Go's image/jpeg. A YCbCr result with
// chroma halved across, down or both is turned into RGBA the way
// libjpeg-turbo does it by default (jdsample.c "fancy" upsampling, a
// triangle filter with its rounding, then jdcolor.c's fixed-point
// conversion), not with draw's nearest-sample chroma: on small pictures and
// sharp colour edges nearest sampling was up to 13 levels off djpeg on
// average. It is the whole JPEG path of builds without libjpeg-turbo and the
// fallback of the others.
func decodeJPEGGo(r io.Reader) (image.Image, error) {
	img, err := jpeg.Decode(r)
	if err != nil {
		return nil, err
	}
	if y, ok := img.(*image.YCbCr); ok {
		switch y.SubsampleRatio {
		case image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio440:
			return opaqueRGBA{fancyYCbCr(y, 1)}, nil
		}
	}
	return img, nil
}

// opaqueRGBA marks a decoder's fresh RGBA image that is opaque everywhere,
// so decodeGo takes it as it is instead of drawing a copy onto the backdrop
// (a full-size copy per photo: 48 MB for 12 megapixels).
type opaqueRGBA struct{ *image.RGBA }

// ycc is libjpeg's YCbCr → RGB tables (jdcolor.c build_ycc_rgb_table).
var ycc = func() (t struct{ crR, cbB, crG, cbG [256]int32 }) {
	const half = 1 << 15
	fix := func(x float64) int32 { return int32(x*65536 + 0.5) }
	for i := range 256 {
		x := int32(i - 128)
		t.crR[i] = (fix(1.40200)*x + half) >> 16
		t.cbB[i] = (fix(1.77200)*x + half) >> 16
		t.crG[i] = -fix(0.71414) * x
		t.cbG[i] = -fix(0.34414)*x + half
	}
	return t
}()

func clamp255(v int32) uint8 {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return uint8(v)
}

// fancyYCbCr upsamples the chroma planes of a 4:2:0, 4:2:2 or 4:4:0 picture
// to full size with libjpeg's triangle filters and converts to RGBA.
func fancyYCbCr(m *image.YCbCr, f int) *image.RGBA {
	b := m.Rect
	w, h := b.Dx(), b.Dy()
	cw := (w + 1) / 2
	if m.SubsampleRatio == image.YCbCrSubsampleRatio440 {
		cw = w
	}
	ch := (h + 1) / 2
	if m.SubsampleRatio == image.YCbCrSubsampleRatio422 {
		ch = h
	}
	hx := m.SubsampleRatio != image.YCbCrSubsampleRatio440 // halved across
	vy := m.SubsampleRatio != image.YCbCrSubsampleRatio422 // halved down
	// The decoder's chroma planes start at the picture's origin.
	return fancyYCbCrBox(m, cw, ch, hx, vy, f)
}

// decodeJPEGGoBox decodes with image/jpeg and, for subsampled YCbCr (4:2:0,
// 4:2:2, 4:4:0: nearly every camera's), converts to RGBA averaged over f×f
// blocks a row at a time, so only the decoder's planes are held whole; other
// kinds (4:4:4, grey, CMYK) and f = 1 are converted at full size.
func decodeJPEGGoBox(data []byte, f int) (*image.RGBA, error) {
	if f <= 1 {
		return decodeGo(decodeJPEGGo, data)
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if y, ok := img.(*image.YCbCr); ok {
		switch y.SubsampleRatio {
		case image.YCbCrSubsampleRatio420, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio440:
			return fancyYCbCr(y, f), nil
		}
	}
	return flatten(img), nil
}

// fancyYCbCrBox converts m as fancyYCbCr does, a row at a time, averaged
// over f×f blocks (partial at the right and bottom): at f > 1 it holds one
// row of sums, not the picture in RGBA.
func fancyYCbCrBox(m *image.YCbCr, cw, ch int, hx, vy bool, f int) *image.RGBA {
	b := m.Rect
	w, h := b.Dx(), b.Dy()
	ucb := newUpsampler(m.Cb, m.CStride, cw, ch, hx, vy, w)
	ucr := newUpsampler(m.Cr, m.CStride, cw, ch, hx, vy, w)
	ow, oh := ceilDiv(w, f), ceilDiv(h, f)
	dst := image.NewRGBA(image.Rect(0, 0, ow, oh))
	out := make([]byte, 4*w)
	var acc []uint32
	if f > 1 {
		acc = make([]uint32, 3*ow)
	}
	for y := range h {
		yr := m.Y[y*m.YStride : y*m.YStride+w]
		cbr, crr := ucb.rowAt(y), ucr.rowAt(y)
		if f == 1 {
			out = dst.Pix[y*dst.Stride : y*dst.Stride+4*w]
		}
		for x, yy := range yr {
			Y := int32(yy)
			out[4*x] = clamp255(Y + ycc.crR[crr[x]])
			out[4*x+1] = clamp255(Y + (ycc.cbG[cbr[x]]+ycc.crG[crr[x]])>>16)
			out[4*x+2] = clamp255(Y + ycc.cbB[cbr[x]])
			out[4*x+3] = 0xFF
		}
		if f == 1 {
			continue
		}
		for x := range w {
			o := 3 * (x / f)
			acc[o] += uint32(out[4*x])
			acc[o+1] += uint32(out[4*x+1])
			acc[o+2] += uint32(out[4*x+2])
		}
		if (y+1)%f == 0 || y == h-1 {
			rows, pix := y%f+1, dst.Pix[(y/f)*dst.Stride:]
			for ox := range ow {
				n := uint32(min(f, w-ox*f) * rows)
				for k := range 3 {
					pix[4*ox+k] = uint8((acc[3*ox+k] + n/2) / n)
				}
				pix[4*ox+3] = 0xFF
			}
			clear(acc)
		}
	}
	return dst
}

// upsampler makes the rows of a cw×ch chroma plane upsampled to width w,
// halved across and/or down, as jdsample.c's h2v1, h1v2 and h2v2 fancy
// upsamplers do (the edge rows and columns repeat themselves as context),
// one row at a time, so that a picture is converted without holding its
// chroma planes at full size.
type upsampler struct {
	p              []byte
	stride, cw, ch int
	hx, vy         bool
	w              int
	row            []byte
	sums           []int32
}

func newUpsampler(p []byte, stride, cw, ch int, hx, vy bool, w int) *upsampler {
	ow := cw
	if hx {
		ow = 2 * cw
	}
	return &upsampler{p: p, stride: stride, cw: cw, ch: ch, hx: hx, vy: vy, w: w, row: make([]byte, ow), sums: make([]int32, cw)}
}

// rowAt is output row y (valid until the next call).
func (u *upsampler) rowAt(y int) []byte {
	p, stride, cw, ch, hx, vy, row, sums := u.p, u.stride, u.cw, u.ch, u.hx, u.vy, u.row, u.sums
	at := func(x, y int) int32 { return int32(p[y*stride+x]) }
	{
		switch {
		case !vy: // h2v1: across only
			in := p[y*stride : y*stride+cw]
			if cw == 1 {
				row[0], row[1] = in[0], in[0]
				break
			}
			row[0] = in[0]
			row[1] = byte((int32(in[0])*3 + int32(in[1]) + 2) >> 2)
			for x := 1; x < cw-1; x++ {
				v := int32(in[x]) * 3
				row[2*x] = byte((v + int32(in[x-1]) + 1) >> 2)
				row[2*x+1] = byte((v + int32(in[x+1]) + 2) >> 2)
			}
			v := int32(in[cw-1]) * 3
			row[2*cw-2] = byte((v + int32(in[cw-2]) + 1) >> 2)
			row[2*cw-1] = in[cw-1]
		default:
			// The nearer chroma row weighs 3, the farther 1: the one above
			// for an even output row, below for an odd one.
			near := y / 2
			far := near - 1
			if y%2 == 1 {
				far = near + 1
			}
			far = min(max(far, 0), ch-1)
			for x := range cw {
				sums[x] = at(x, near)*3 + at(x, far)
			}
			if !hx { // h1v2
				bias := int32(1)
				if y%2 == 1 {
					bias = 2
				}
				for x := range cw {
					row[x] = byte((sums[x] + bias) >> 2)
				}
				break
			}
			if cw == 1 {
				row[0] = byte((sums[0]*4 + 8) >> 4)
				row[1] = byte((sums[0]*4 + 7) >> 4)
				break
			}
			row[0] = byte((sums[0]*4 + 8) >> 4)
			row[1] = byte((sums[0]*3 + sums[1] + 7) >> 4)
			for x := 1; x < cw-1; x++ {
				row[2*x] = byte((sums[x]*3 + sums[x-1] + 8) >> 4)
				row[2*x+1] = byte((sums[x]*3 + sums[x+1] + 7) >> 4)
			}
			row[2*cw-2] = byte((sums[cw-1]*3 + sums[cw-2] + 8) >> 4)
			row[2*cw-1] = byte((sums[cw-1]*4 + 7) >> 4)
		}
	}
	return row[:u.w]
}
