package pack

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
)

// Zip record signatures and sizes (APPNOTE.TXT).
const (
	sigDirEnd      = 0x06054b50
	sigDir64Loc    = 0x07064b50
	sigDir64End    = 0x06064b50
	sigDirHeader   = 0x02014b50
	dirEndLen      = 22
	dir64LocLen    = 20
	dir64EndLen    = 56
	dirHeaderLen   = 46
	localHeaderLen = 30
)

// checkDirectory bounds a zip's central directory before archive/zip reads
// it: archive/zip holds every entry in memory, reads entries until the
// first one that is not an entry header whatever count the end record
// declares, and sizes a slice by that declared count. So this finds the end
// record as archive/zip does, refuses a declared count past maxEntries or a
// directory past MaxZipDirectoryBytes, then walks the entry headers from
// where archive/zip starts, as far as archive/zip would, counting them and
// their bytes. It returns "" when archive/zip may go ahead (also when the
// zip is damaged: archive/zip then says how), else why not.
func checkDirectory(r io.ReaderAt, size int64, maxEntries int) string {
	end, err := findDirectoryEnd(r, size)
	if err != nil || end == nil {
		return ""
	}
	switch {
	case end.records > uint64(maxEntries):
		return fmt.Sprintf("declares %d entries; the limit is %d", end.records, maxEntries)
	case end.dirSize > MaxZipDirectoryBytes:
		return fmt.Sprintf("its central directory is %d bytes; the limit is %d", end.dirSize, MaxZipDirectoryBytes)
	}
	for _, start := range end.starts {
		if start < 0 || start >= size {
			continue
		}
		if msg := countEntries(r, start, size, maxEntries); msg != "" {
			return msg
		}
	}
	return ""
}

// countEntries walks the entry headers from start as archive/zip does,
// stopping at the first that is not one, and says when they are too many.
func countEntries(r io.ReaderAt, start, size int64, maxEntries int) string {
	n, total := 0, int64(0)
	br := bufio.NewReader(io.NewSectionReader(r, start, size-start))
	var h [dirHeaderLen]byte
	for {
		if _, err := io.ReadFull(br, h[:]); err != nil || binary.LittleEndian.Uint32(h[:]) != sigDirHeader {
			return ""
		}
		rest := int64(binary.LittleEndian.Uint16(h[28:])) + int64(binary.LittleEndian.Uint16(h[30:])) + int64(binary.LittleEndian.Uint16(h[32:]))
		n++
		total += dirHeaderLen + rest
		switch {
		case n > maxEntries:
			return fmt.Sprintf("has more than %d entries; the limit is %d", maxEntries, maxEntries)
		case total > MaxZipDirectoryBytes:
			return fmt.Sprintf("its central directory is more than %d bytes; the limit is %d", MaxZipDirectoryBytes, MaxZipDirectoryBytes)
		}
		if _, err := br.Discard(int(rest)); err != nil {
			return ""
		}
	}
}

// dirEnd is what checkDirectory needs of the end of central directory record.
type dirEnd struct {
	records, dirSize uint64
	// starts are where archive/zip may start reading entry headers: one,
	// or two when the end record implies data before the zip, which
	// archive/zip ignores when an entry header sits where it would be
	// without that data (both are counted rather than guessing which).
	starts []int64
}

// findDirectoryEnd reads the end record, the zip64 one when there is one,
// exactly as archive/zip's readDirectoryEnd does (Go 1.26), so the count
// and the start are the ones archive/zip will use. nil when there is none.
func findDirectoryEnd(r io.ReaderAt, size int64) (*dirEnd, error) {
	var buf []byte
	var endOff int64
	for i, n := range []int64{1024, 65 * 1024} {
		n = min(n, size)
		buf = make([]byte, n)
		if _, err := r.ReadAt(buf, size-n); err != nil && err != io.EOF {
			return nil, err
		}
		if p := findEndSignature(buf); p >= 0 {
			buf, endOff = buf[p:], size-n+int64(p)
			break
		}
		if i == 1 || n == size {
			return nil, nil
		}
	}
	le := binary.LittleEndian
	d := &dirEnd{records: uint64(le.Uint16(buf[10:])), dirSize: uint64(le.Uint32(buf[12:]))}
	dirOff := uint64(le.Uint32(buf[16:]))
	// archive/zip tests directorySize against 0xffff, not 0xffffffff.
	if d.records == 0xffff || d.dirSize == 0xffff || dirOff == 0xffffffff {
		p, err := findDirectory64End(r, endOff)
		if err != nil {
			return nil, err
		}
		if p >= 0 {
			b := make([]byte, dir64EndLen)
			if _, err := r.ReadAt(b, p); err != nil || le.Uint32(b) != sigDir64End {
				return nil, err // archive/zip refuses the zip
			}
			endOff = p
			d.records, d.dirSize, dirOff = le.Uint64(b[32:]), le.Uint64(b[40:]), le.Uint64(b[48:])
		}
	}
	const maxInt64 = 1<<63 - 1
	if d.dirSize > maxInt64 || dirOff > maxInt64 {
		return nil, nil
	}
	base := endOff - int64(d.dirSize) - int64(dirOff)
	if o := base + int64(dirOff); o < 0 || o >= size {
		return nil, nil
	}
	d.starts = []int64{base + int64(dirOff)}
	if base > 0 {
		d.starts = append(d.starts, int64(dirOff))
	}
	return d, nil
}

// findEndSignature finds the end record in the last bytes of a zip, the
// last one whose comment fits, as archive/zip does.
func findEndSignature(b []byte) int {
	for i := len(b) - dirEndLen; i >= 0; i-- {
		if binary.LittleEndian.Uint32(b[i:]) == sigDirEnd {
			n := int(binary.LittleEndian.Uint16(b[i+dirEndLen-2:]))
			if n+dirEndLen+i > len(b) {
				return -1
			}
			return i
		}
	}
	return -1
}

// findDirectory64End returns the offset of the zip64 end record named by
// the locator before endOff, or -1.
func findDirectory64End(r io.ReaderAt, endOff int64) (int64, error) {
	loc := endOff - dir64LocLen
	if loc < 0 {
		return -1, nil
	}
	b := make([]byte, dir64LocLen)
	if _, err := r.ReadAt(b, loc); err != nil {
		return -1, err
	}
	le := binary.LittleEndian
	if le.Uint32(b) != sigDir64Loc || le.Uint32(b[4:]) != 0 || le.Uint32(b[16:]) != 1 {
		return -1, nil
	}
	return int64(le.Uint64(b[8:])), nil
}
