package poster

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"strconv"
)

// pdfWriter writes a PDF 1.7 file object by object, straight to its
// destination: only the byte offsets of the objects are kept for the
// cross-reference table, so a poster of hundreds of pages never holds more
// than one page and its photo in memory. Object numbers are reserved
// ahead (the page tree, the fonts) and their bodies written when known.
type pdfWriter struct {
	w       *bufio.Writer
	n       int64   // bytes written so far
	offsets []int64 // offsets[i] is object i+1's offset; 0 while unwritten
	err     error
}

func newPDFWriter(w io.Writer) *pdfWriter {
	p := &pdfWriter{w: bufio.NewWriterSize(w, 256<<10)}
	// The binary comment tells transfer programs the file is not text.
	p.printf("%%PDF-1.7\n%%\xe2\xe3\xcf\xd3\n")
	return p
}

func (p *pdfWriter) printf(format string, args ...any) {
	if p.err != nil {
		return
	}
	n, err := fmt.Fprintf(p.w, format, args...)
	p.n += int64(n)
	p.err = err
}

func (p *pdfWriter) write(b []byte) {
	if p.err != nil {
		return
	}
	n, err := p.w.Write(b)
	p.n += int64(n)
	p.err = err
}

// reserve allocates an object number to be written later.
func (p *pdfWriter) reserve() int {
	p.offsets = append(p.offsets, 0)
	return len(p.offsets)
}

func (p *pdfWriter) begin(num int) {
	p.offsets[num-1] = p.n
	p.printf("%d 0 obj\n", num)
}

// object writes a dictionary or other body as object num.
func (p *pdfWriter) object(num int, body string) {
	p.begin(num)
	p.printf("%s\nendobj\n", body)
}

// stream writes a stream object; dict holds its entries besides /Length
// (and /Filter when deflate compresses data here).
func (p *pdfWriter) stream(num int, dict string, data []byte, deflate bool) {
	if deflate {
		var buf bytes.Buffer
		zw, _ := zlib.NewWriterLevel(&buf, zlib.BestSpeed) // the level is valid
		_, _ = zw.Write(data)                              // writes to a bytes.Buffer do not fail
		_ = zw.Close()
		data = buf.Bytes()
		dict += " /Filter /FlateDecode"
	}
	p.begin(num)
	p.printf("<< %s /Length %d >>\nstream\n", dict, len(data))
	p.write(data)
	p.printf("\nendstream\nendobj\n")
}

// finish writes the cross-reference table and the trailer, and flushes.
func (p *pdfWriter) finish(root, info int) error {
	for i, off := range p.offsets {
		if off == 0 && p.err == nil {
			return fmt.Errorf("internal error: PDF object %d reserved but never written", i+1)
		}
	}
	xref := p.n
	p.printf("xref\n0 %d\n0000000000 65535 f \n", len(p.offsets)+1)
	for _, off := range p.offsets {
		p.printf("%010d 00000 n \n", off)
	}
	p.printf("trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(p.offsets)+1, root, info, xref)
	if p.err != nil {
		return p.err
	}
	return p.w.Flush()
}

// num formats a coordinate or size: at most two decimals, no trailing zeros.
func num(v float64) string {
	return strconv.FormatFloat(float64(int64(v*100+sign(v)*0.5))/100, 'f', -1, 64)
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

// pdfString writes s as a PDF text string (UTF-16BE with a byte-order
// mark, hex-encoded), which holds any language.
func pdfString(s string) string {
	var b bytes.Buffer
	b.WriteString("<FEFF")
	for _, r := range s {
		if r >= 0x10000 {
			r -= 0x10000
			fmt.Fprintf(&b, "%04X%04X", 0xD800+(r>>10), 0xDC00+(r&0x3FF))
			continue
		}
		fmt.Fprintf(&b, "%04X", r)
	}
	b.WriteString(">")
	return b.String()
}
