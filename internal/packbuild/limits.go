package packbuild

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

// Limits of a spreadsheet, so that no file, however made, costs more than
// a bounded amount of time and memory to read (docs/PACK-DECISIONS.md,
// "Limits"). A real list is far inside each of them.
const (
	// MaxCSVBytes is the largest spreadsheet read.
	MaxCSVBytes = 64 << 20
	// MaxRows is the most rows after the header, blank ones included:
	// twice the people a pack may hold.
	MaxRows = 2 * pack.MaxPeople
	// MaxColumns is the most columns of the header.
	MaxColumns = 200
	// MaxCellBytes is the longest cell; the longest field, a bio, is at
	// most 2,000 characters (8,000 bytes).
	MaxCellBytes = 32 << 10
	// MaxRowBytes is the longest row as written, new lines inside quoted
	// cells included. A quote that is never closed makes the rest of the
	// file one row: this stops it early.
	MaxRowBytes = 1 << 20
)

// errRowTooLong stops the CSV reader in a row longer than MaxRowBytes.
var errRowTooLong = errors.New("row too long")

// budgetReader fails once more than left bytes of a row are read since it
// was last refilled, so the CSV reader never buffers much more than one
// row. The blank lines before a row, which the CSV reader skips, are free.
type budgetReader struct {
	r       io.Reader
	left    int
	started bool // a byte of the row, not a line break, was read
}

// refill allows the next row max bytes.
func (b *budgetReader) refill(max int) { b.left, b.started = max, false }

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.left <= 0 {
		return 0, errRowTooLong
	}
	if len(p) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	charged := p[:n]
	if !b.started {
		i := bytes.IndexFunc(charged, func(r rune) bool { return r != '\n' && r != '\r' })
		if i < 0 {
			return n, err
		}
		charged, b.started = charged[i:], true
	}
	b.left -= len(charged)
	return n, err
}

// MaxProblems is the most problems listed; the rest are counted in one
// last line, "… and N more problems".
const MaxProblems = pack.MaxProblems

// clip cuts s to at most n bytes at a character boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// moreLine is how a cut list says what it left out.
func moreLine(file string, more int) string {
	return fmt.Sprintf("%s: … and %d more problems (only the first %d are listed)", file, more, MaxProblems)
}
