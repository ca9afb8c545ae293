package imageprep

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"io"
)

// A streaming PNG decoder. Go's image/png decodes the whole image into
// memory (a 10000×9999 PNG of 316 KB costs 400 MB as RGBA, more with the
// copy flatten makes), so a pack of four such files took an import to
// 3.4 GB. This one inflates the IDAT stream, unfilters it row by row
// keeping only the previous row, flattens each pixel onto Backdrop and adds
// it straight into an area average (box) over factor×factor blocks, so it
// holds two rows of the file, one row of sums (every row of sums for an
// Adam7-interlaced file, whose passes do not arrive in row order) and the
// reduced image. At factor 1 its pixels equal image/png's decode drawn over
// Backdrop as flatten does, byte for byte.

// pngInfo is what a PNG's chunks before the image data say.
type pngInfo struct {
	w, h      int
	depth     int  // bits a sample: 1, 2, 4, 8 or 16
	ctype     int  // colour type: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA
	interlace bool // Adam7
	palette   [256][4]uint8
	npal      int
	hasTRNS   bool      // grey or RGB: one colour is transparent
	trns      [3]uint16 // that colour (grey in [0])
	idat      [][]byte  // the IDAT chunks' data, in order
}

// channels is the number of samples a pixel.
func (p *pngInfo) channels() int {
	switch p.ctype {
	case 2:
		return 3
	case 4:
		return 2
	case 6:
		return 4
	}
	return 1
}

// rowBytes is the size of a row of w pixels without its filter byte.
func (p *pngInfo) rowBytes(w int) int64 {
	return (int64(w)*int64(p.depth*p.channels()) + 7) / 8
}

var pngSig = []byte("\x89PNG\r\n\x1a\n")

// validDepth tells whether a bit depth is legal for a colour type.
func validDepth(ctype, depth int) bool {
	switch ctype {
	case 0:
		return depth == 1 || depth == 2 || depth == 4 || depth == 8 || depth == 16
	case 3:
		return depth == 1 || depth == 2 || depth == 4 || depth == 8
	case 2, 4, 6:
		return depth == 8 || depth == 16
	}
	return false
}

// parsePNG walks a PNG's chunks, checking every CRC and the order the
// format demands, and collects the header, palette, transparency and the
// image data's chunks (as slices of data: nothing is copied).
func parsePNG(data []byte) (*pngInfo, error) {
	if !bytes.HasPrefix(data, pngSig) {
		return nil, errors.New("not a PNG signature")
	}
	p := &pngInfo{}
	pos := len(pngSig)
	seenIHDR, seenPLTE, seenTRNS, idatDone := false, false, false, false
	for {
		if len(data)-pos < 12 {
			return nil, errors.New("truncated: the file ends before its IEND chunk")
		}
		n := binary.BigEndian.Uint32(data[pos:])
		typ := string(data[pos+4 : pos+8])
		if n > 0x7fffffff || int64(n) > int64(len(data)-pos-12) {
			return nil, fmt.Errorf("truncated: chunk %q of %d bytes runs past the end of the file", printable(typ), n)
		}
		body := data[pos+8 : pos+8+int(n)]
		if crc32.ChecksumIEEE(data[pos+4:pos+8+int(n)]) != binary.BigEndian.Uint32(data[pos+8+int(n):]) {
			return nil, fmt.Errorf("chunk %q: invalid checksum (CRC)", printable(typ))
		}
		pos += 12 + int(n)
		for i := range 4 {
			if c := typ[i] | 0x20; c < 'a' || c > 'z' {
				return nil, fmt.Errorf("bad chunk type %q", printable(typ))
			}
		}
		if !seenIHDR && typ != "IHDR" {
			return nil, fmt.Errorf("the first chunk is %q, not IHDR", typ)
		}
		if len(p.idat) > 0 && typ != "IDAT" {
			idatDone = true
		}
		switch typ {
		case "IHDR":
			if seenIHDR {
				return nil, errors.New("a second IHDR chunk")
			}
			seenIHDR = true
			if err := p.parseIHDR(body); err != nil {
				return nil, err
			}
		case "PLTE":
			if seenPLTE || len(p.idat) > 0 || seenTRNS {
				return nil, errors.New("PLTE chunk out of place")
			}
			seenPLTE = true
			if p.ctype == 0 || p.ctype == 4 {
				return nil, errors.New("PLTE chunk in a greyscale image")
			}
			if n%3 != 0 || n == 0 || n > 256*3 {
				return nil, fmt.Errorf("PLTE chunk of %d bytes", n)
			}
			p.npal = int(n) / 3
			for i := range p.npal {
				p.palette[i] = [4]uint8{body[3*i], body[3*i+1], body[3*i+2], 0xFF}
			}
			// Indexes past the palette are opaque black, as image/png has them.
			for i := p.npal; i < 256; i++ {
				p.palette[i] = [4]uint8{0, 0, 0, 0xFF}
			}
		case "tRNS":
			if seenTRNS || len(p.idat) > 0 {
				return nil, errors.New("tRNS chunk out of place")
			}
			seenTRNS = true
			if err := p.parseTRNS(body, seenPLTE); err != nil {
				return nil, err
			}
		case "IDAT":
			if idatDone {
				return nil, errors.New("IDAT chunks are not consecutive")
			}
			if p.ctype == 3 && !seenPLTE {
				return nil, errors.New("a palette image without a PLTE chunk")
			}
			p.idat = append(p.idat, body)
		case "IEND":
			if len(p.idat) == 0 {
				return nil, errors.New("no image data (IDAT chunk)")
			}
			return p, nil
		default:
			if typ[0]&0x20 == 0 {
				return nil, fmt.Errorf("unknown critical chunk %q", typ)
			}
		}
	}
}

// printable is a chunk type fit for a message.
func printable(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '?'
		}
	}
	return string(b)
}

func (p *pngInfo) parseIHDR(b []byte) error {
	if len(b) != 13 {
		return fmt.Errorf("IHDR chunk of %d bytes", len(b))
	}
	w, h := binary.BigEndian.Uint32(b[0:]), binary.BigEndian.Uint32(b[4:])
	if w == 0 || h == 0 || w > 0x7fffffff || h > 0x7fffffff {
		return fmt.Errorf("header says %d×%d", w, h)
	}
	p.w, p.h, p.depth, p.ctype = int(w), int(h), int(b[8]), int(b[9])
	if !validDepth(p.ctype, p.depth) {
		return fmt.Errorf("colour type %d with bit depth %d", p.ctype, p.depth)
	}
	if b[10] != 0 || b[11] != 0 {
		return fmt.Errorf("compression method %d, filter method %d", b[10], b[11])
	}
	if b[12] > 1 {
		return fmt.Errorf("interlace method %d", b[12])
	}
	p.interlace = b[12] == 1
	return nil
}

func (p *pngInfo) parseTRNS(b []byte, seenPLTE bool) error {
	switch p.ctype {
	case 0:
		if len(b) != 2 {
			return fmt.Errorf("tRNS chunk of %d bytes in a greyscale image", len(b))
		}
		p.trns[0] = binary.BigEndian.Uint16(b)
	case 2:
		if len(b) != 6 {
			return fmt.Errorf("tRNS chunk of %d bytes in an RGB image", len(b))
		}
		for i := range 3 {
			p.trns[i] = binary.BigEndian.Uint16(b[2*i:])
		}
	case 3:
		if !seenPLTE || len(b) > p.npal {
			return fmt.Errorf("tRNS chunk of %d bytes for a palette of %d", len(b), p.npal)
		}
		for i, a := range b {
			p.palette[i][3] = a
		}
		return nil
	default:
		return errors.New("tRNS chunk in an image with an alpha channel")
	}
	p.hasTRNS = true
	return nil
}

// over is one sample (16 bits, not premultiplied, alpha a) drawn over the
// backdrop's sample bd as image/draw's Over does it onto an *image.RGBA.
func over(v, a, bd uint32) uint8 {
	if a == 0xFFFF {
		return uint8(v >> 8)
	}
	return uint8((bd*((0xFFFF-a)*0x101)/0xFFFF + v*a/0xFFFF) >> 8)
}

// adam7 are the interlace passes: first column and row, steps.
var adam7 = [7][4]int{{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4}, {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}}

// boxFactor is the largest integer factor at which a w×h image, averaged
// over factor×factor blocks, still covers need (1 when need is zero).
func boxFactor(w, h int, need Size) int {
	if need.W <= 0 || need.H <= 0 {
		return 1
	}
	f := max(1, min(w/need.W, h/need.H))
	for f > 1 && (ceilDiv(w, f) < need.W || ceilDiv(h, f) < need.H) {
		f--
	}
	return f
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// pngStreamCost is the memory decodePNGStream takes for p at factor f: the
// reduced image, the sums and two rows of the file.
func pngStreamCost(p *pngInfo, f int) int64 {
	ow, oh := int64(ceilDiv(p.w, f)), int64(ceilDiv(p.h, f))
	cost := ow * oh * 4
	switch {
	case f > 1 && p.interlace:
		cost += ow * oh * 3 * 4
	case f > 1:
		cost += ow * 3 * 4
	}
	return cost + 2*(p.rowBytes(p.w)+1) + int64(p.w)*3
}

// decodePNGStream decodes a parsed PNG averaged over f×f blocks (the last
// row and column of blocks may be partial), flattened onto Backdrop.
func decodePNGStream(p *pngInfo, f int) (*image.RGBA, error) {
	ow, oh := ceilDiv(p.w, f), ceilDiv(p.h, f)
	out := image.NewRGBA(image.Rect(0, 0, ow, oh))
	readers := make([]io.Reader, len(p.idat))
	for i, b := range p.idat {
		readers[i] = bytes.NewReader(b)
	}
	zr, err := zlib.NewReader(io.MultiReader(readers...))
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		return nil, errors.New("not enough pixel data: the image data ends early")
	} else if err != nil {
		return nil, fmt.Errorf("image data: %v", err)
	}
	defer zr.Close()
	s := &pngStream{p: p, f: f, out: out, ow: ow, oh: oh}
	s.lut()
	rb := p.rowBytes(p.w)
	s.cur, s.prev = make([]byte, rb+1), make([]byte, rb+1)
	s.rgb = make([]uint8, 3*p.w)
	switch {
	case f > 1 && p.interlace:
		s.acc = make([]uint32, ow*oh*3)
	case f > 1:
		s.acc = make([]uint32, ow*3)
	}
	passes := [][4]int{{0, 0, 1, 1}}
	if p.interlace {
		passes = adam7[:]
	}
	for _, pass := range passes {
		pw, ph := ceilDiv(p.w-pass[0], pass[2]), ceilDiv(p.h-pass[1], pass[3])
		if pw <= 0 || ph <= 0 {
			continue
		}
		n := int(p.rowBytes(pw)) + 1
		clear(s.prev[:n])
		for py := range ph {
			if _, err := io.ReadFull(zr, s.cur[:n]); err != nil {
				if err == io.EOF || err == io.ErrUnexpectedEOF {
					return nil, errors.New("not enough pixel data: the image data ends early")
				}
				return nil, fmt.Errorf("image data: %v", err)
			}
			if err := s.unfilter(n); err != nil {
				return nil, err
			}
			s.convert(pw)
			y := pass[1] + py*pass[3]
			s.put(pass[0], pass[2], y, pw)
			if f > 1 && !p.interlace && ((y+1)%f == 0 || y == p.h-1) {
				s.flush(y/f, 0, y%f+1)
			}
			s.cur, s.prev = s.prev, s.cur
		}
	}
	if f > 1 && p.interlace {
		for oy := range oh {
			s.flush(oy, oy*ow*3, min(f, p.h-oy*f))
		}
	}
	// The zlib stream must end here, its checksum right.
	var extra [1]byte
	if n, err := io.ReadFull(zr, extra[:]); n > 0 {
		return nil, errors.New("too much pixel data: more than the header's size")
	} else if err != io.EOF && err != io.ErrUnexpectedEOF {
		return nil, fmt.Errorf("image data: %v", err)
	}
	return out, nil
}

// pngStream is one decode's state.
type pngStream struct {
	p         *pngInfo
	f         int
	out       *image.RGBA
	ow, oh    int
	cur, prev []byte        // this row and the last, filter byte first
	rgb       []uint8       // this row's pixels, flattened
	acc       []uint32      // sums of flattened samples over each block
	table     [256][3]uint8 // grey under 16 bits and palettes: sample → flattened colour
}

// lut fills the table for the kinds whose samples fit a byte.
func (s *pngStream) lut() {
	p := s.p
	bd := [3]uint32{uint32(Backdrop.R), uint32(Backdrop.G), uint32(Backdrop.B)}
	switch {
	case p.ctype == 3:
		for i, c := range p.palette {
			a := uint32(c[3]) * 0x101
			for k := range 3 {
				s.table[i][k] = over(uint32(c[k])*0x101, a, bd[k])
			}
		}
	case p.ctype == 0 && p.depth <= 8:
		scale := map[int]int{1: 0xFF, 2: 0x55, 4: 0x11, 8: 1}[p.depth]
		for v := range 1 << p.depth {
			a := uint32(0xFFFF)
			if p.hasTRNS && uint16(v) == p.trns[0] {
				a = 0
			}
			for k := range 3 {
				s.table[v][k] = over(uint32(v*scale)*0x101, a, bd[k])
			}
		}
	}
}

// unfilter undoes the row's filter in place, against the previous row.
func (s *pngStream) unfilter(n int) error {
	cur, prev := s.cur[1:n], s.prev[1:n]
	bpp := max(1, s.p.depth*s.p.channels()/8)
	switch s.cur[0] {
	case 0:
	case 1:
		for i := bpp; i < len(cur); i++ {
			cur[i] += cur[i-bpp]
		}
	case 2:
		for i := range cur {
			cur[i] += prev[i]
		}
	case 3:
		for i := range bpp {
			cur[i] += prev[i] / 2
		}
		for i := bpp; i < len(cur); i++ {
			cur[i] += uint8((int(cur[i-bpp]) + int(prev[i])) / 2)
		}
	case 4:
		for i := range bpp {
			cur[i] += prev[i] // Paeth with a, c = 0 picks b
		}
		for i := bpp; i < len(cur); i++ {
			cur[i] += paeth(cur[i-bpp], prev[i], prev[i-bpp])
		}
	default:
		return fmt.Errorf("bad filter type %d", s.cur[0])
	}
	return nil
}

// paeth is the PNG Paeth predictor of a (left), b (above), c (above left).
func paeth(a, b, c uint8) uint8 {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// convert turns the unfiltered row of pw pixels into flattened RGB.
func (s *pngStream) convert(pw int) {
	p, row, rgb := s.p, s.cur[1:], s.rgb
	bd := [3]uint32{uint32(Backdrop.R), uint32(Backdrop.G), uint32(Backdrop.B)}
	switch {
	case p.ctype == 0 && p.depth == 16:
		for x := range pw {
			v := uint32(row[2*x])<<8 | uint32(row[2*x+1])
			a := uint32(0xFFFF)
			if p.hasTRNS && uint16(v) == p.trns[0] {
				a = 0
			}
			for k := range 3 {
				rgb[3*x+k] = over(v, a, bd[k])
			}
		}
	case p.ctype == 0 || p.ctype == 3:
		d := p.depth
		mask := byte(1<<d - 1)
		for x := range pw {
			bit := x * d
			v := row[bit/8] >> (8 - d - bit%8) & mask
			copy(rgb[3*x:3*x+3], s.table[v][:])
		}
	case p.ctype == 2:
		trns := p.hasTRNS
		for x := range pw {
			var c [3]uint32
			if p.depth == 8 {
				c = [3]uint32{uint32(row[3*x]), uint32(row[3*x+1]), uint32(row[3*x+2])}
			} else {
				for k := range 3 {
					c[k] = uint32(row[6*x+2*k])<<8 | uint32(row[6*x+2*k+1])
				}
			}
			transparent := trns && uint16(c[0]) == p.trns[0] && uint16(c[1]) == p.trns[1] && uint16(c[2]) == p.trns[2]
			for k := range 3 {
				switch {
				case transparent:
					rgb[3*x+k] = uint8(bd[k])
				case p.depth == 8:
					rgb[3*x+k] = uint8(c[k])
				default:
					rgb[3*x+k] = uint8(c[k] >> 8)
				}
			}
		}
	case p.ctype == 4 && p.depth == 8:
		for x := range pw {
			v, a := uint32(row[2*x])*0x101, uint32(row[2*x+1])*0x101
			for k := range 3 {
				rgb[3*x+k] = over(v, a, bd[k])
			}
		}
	case p.ctype == 4:
		for x := range pw {
			v := uint32(row[4*x])<<8 | uint32(row[4*x+1])
			a := uint32(row[4*x+2])<<8 | uint32(row[4*x+3])
			for k := range 3 {
				rgb[3*x+k] = over(v, a, bd[k])
			}
		}
	case p.ctype == 6 && p.depth == 8:
		for x := range pw {
			px := row[4*x : 4*x+4 : 4*x+4]
			if px[3] == 0xFF {
				rgb[3*x], rgb[3*x+1], rgb[3*x+2] = px[0], px[1], px[2]
				continue
			}
			a := uint32(px[3]) * 0x101
			for k := range 3 {
				rgb[3*x+k] = over(uint32(px[k])*0x101, a, bd[k])
			}
		}
	default: // RGBA, 16 bits
		for x := range pw {
			px := row[8*x : 8*x+8 : 8*x+8]
			a := uint32(px[6])<<8 | uint32(px[7])
			for k := range 3 {
				rgb[3*x+k] = over(uint32(px[2*k])<<8|uint32(px[2*k+1]), a, bd[k])
			}
		}
	}
}

// put adds the converted row (pw pixels at columns x0, x0+dx, …, row y) to
// the output: written as it is at factor 1, added to the sums otherwise.
func (s *pngStream) put(x0, dx, y, pw int) {
	if s.f == 1 {
		pix := s.out.Pix[y*s.out.Stride:]
		for i := range pw {
			o := 4 * (x0 + i*dx)
			pix[o], pix[o+1], pix[o+2], pix[o+3] = s.rgb[3*i], s.rgb[3*i+1], s.rgb[3*i+2], 0xFF
		}
		return
	}
	acc := s.acc
	if s.p.interlace {
		acc = s.acc[(y/s.f)*s.ow*3:]
	}
	f := s.f
	if dx == 1 {
		// Whole blocks of f pixels at a time, no division a pixel.
		for ox, x := 0, 0; x < pw; ox++ {
			var r, g, b uint32
			end := min(x+f, pw)
			for ; x < end; x++ {
				r += uint32(s.rgb[3*x])
				g += uint32(s.rgb[3*x+1])
				b += uint32(s.rgb[3*x+2])
			}
			acc[3*ox] += r
			acc[3*ox+1] += g
			acc[3*ox+2] += b
		}
		return
	}
	for i := range pw {
		o := 3 * ((x0 + i*dx) / f)
		acc[o] += uint32(s.rgb[3*i])
		acc[o+1] += uint32(s.rgb[3*i+1])
		acc[o+2] += uint32(s.rgb[3*i+2])
	}
}

// flush turns the sums at acc[at:] into output row oy, whose blocks are
// rows high, rounding to nearest, and clears them.
func (s *pngStream) flush(oy, at, rows int) {
	acc := s.acc[at : at+3*s.ow]
	pix := s.out.Pix[oy*s.out.Stride:]
	for ox := range s.ow {
		n := uint32(min(s.f, s.p.w-ox*s.f) * rows)
		for k := range 3 {
			pix[4*ox+k] = uint8((acc[3*ox+k] + n/2) / n)
		}
		pix[4*ox+3] = 0xFF
	}
	clear(acc)
}
