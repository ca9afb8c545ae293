package imageprep

import (
	"encoding/binary"
	"fmt"
)

// jpegFrame is what a JPEG's frame header (its SOFn segment) says.
type jpegFrame struct {
	marker    byte    // 0xC0..0xCF (not C4, C8, CC), or 0xF7 for JPEG-LS
	precision int     // bits per sample
	samples   float64 // samples a pixel over all components (1.5 for 4:2:0 YCbCr); 0 when unread
}

// progressive tells whether the frame is progressive, whose decoders keep
// every coefficient of the image until the last scan.
func (f jpegFrame) progressive() bool { return f.marker == 0xC2 || f.marker == 0xCA }

// isSOF tells whether a marker starts a frame header.
func isSOF(m byte) bool {
	return (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) || m == 0xF7
}

// readJPEGFrame walks a JPEG's markers to its first frame header. ok is
// false when the walk meets the scan, the end or a damaged segment first;
// the decoders then say what is wrong.
func readJPEGFrame(data []byte) (f jpegFrame, ok bool) {
	i := 2 // after SOI
	for i+4 <= len(data) {
		if data[i] != 0xFF {
			return jpegFrame{}, false
		}
		m := data[i+1]
		switch {
		case m == 0xFF: // fill byte
			i++
			continue
		case m == 0x01 || m >= 0xD0 && m <= 0xD7: // standalone: TEM, RSTn
			i += 2
			continue
		case m == 0xDA || m == 0xD9: // start of scan, end of image
			return jpegFrame{}, false
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return jpegFrame{}, false
		}
		if isSOF(m) {
			if n < 3 {
				return jpegFrame{}, false
			}
			return jpegFrame{marker: m, precision: int(data[i+4]), samples: frameSamples(data[i+4 : i+2+n])}, true
		}
		i += 2 + n
	}
	return jpegFrame{}, false
}

// unsupported names the kind of JPEG that neither libjpeg-turbo (as Debian 12
// builds it, 8-bit only) nor Go's image/jpeg decodes, or, in a build without
// libjpeg-turbo, that Go's decoder alone cannot read; or returns nil.
func (f jpegFrame) unsupported() error {
	var kind string
	switch {
	case f.marker == 0xF7:
		kind = "a JPEG-LS image"
	case f.marker == 0xC3 || f.marker == 0xCB:
		kind = "a lossless JPEG"
	case f.marker >= 0xC5 && f.marker <= 0xC7 || f.marker >= 0xCD:
		kind = "a hierarchical JPEG"
	case f.precision != 8:
		kind = fmt.Sprintf("a %d-bit JPEG", f.precision)
	case !haveTurboJPEG && (f.marker == 0xC9 || f.marker == 0xCA):
		// Go's image/jpeg has no arithmetic decoding; builds without
		// libjpeg-turbo (Windows) refuse these rare files by name.
		kind = "an arithmetic-coded JPEG (this build decodes JPEG without libjpeg-turbo)"
	default:
		return nil
	}
	return fmt.Errorf("%w: %s: export it as an ordinary 8-bit JPEG", ErrUnsupported, kind)
}

// frameSamples reads a frame header's components (after the length: P, Y,
// X, Nf, then Nf × (id, H<<4|V, Tq)) and returns the samples a pixel, or 0
// when the header is short or a sampling factor is 0.
func frameSamples(sof []byte) float64 {
	if len(sof) < 6 {
		return 0
	}
	nf := int(sof[5])
	if nf == 0 || len(sof) < 6+3*nf {
		return 0
	}
	hmax, vmax, sum := 0, 0, 0
	for c := range nf {
		hv := sof[6+3*c+1]
		h, v := int(hv>>4), int(hv&15)
		if h == 0 || v == 0 {
			return 0
		}
		hmax, vmax, sum = max(hmax, h), max(vmax, v), sum+h*v
	}
	return float64(sum) / float64(hmax*vmax)
}
