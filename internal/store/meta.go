package store

import (
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"io"
	"os"
)

// bbolt keeps two meta pages (page 0 and page 1) and opens with the valid one
// of the higher transaction id. When the newer one is torn, bbolt opens the
// older state without a word and the last commit is gone. Reading both meta
// pages ourselves tells a torn file from a healthy one before bbolt is asked.
//
// The layout read here is bbolt's on-disk format (internal/common/meta.go and
// page.go of go.etcd.io/bbolt v1.4): a 16-byte page header, then magic,
// version, page size, flags (4 bytes each), the root bucket (16), the
// freelist page id, the high-water page id, the transaction id (8 each) and
// an FNV-64a checksum of everything before it. bbolt writes it in the
// machine's byte order; every platform the kiosk runs on is little-endian.

const (
	boltMagic      = 0xED0CDAED
	boltVersion    = 2
	pageHeaderSize = 16
	metaChecksumAt = 56 // bytes of the meta covered by its checksum
	metaSize       = metaChecksumAt + 8
	metaPageFlag   = 0x04
	freelistFlag   = 0x10
	noFreelist     = ^uint64(0)
)

// metaPage is what one of the two meta pages says.
type metaPage struct {
	valid    bool
	pageSize int
	root     uint64 // the page holding the top-level buckets
	freelist uint64 // the free-list page, or noFreelist
	pgid     uint64 // high-water mark: the file holds pages [0, pgid)
	txid     uint64
}

// fileMetas is what the two meta pages of a cache file say.
type fileMetas struct {
	size   int64
	m      [2]metaPage
	loaded bool // the file could be read at all
}

// readMetas reads both meta pages of the file at path. The second one sits
// one page in; its page size comes from the first meta, or, when that one is
// torn, is tried at each size bbolt can use.
func readMetas(path string) (fileMetas, error) {
	var fm fileMetas
	f, err := os.Open(path)
	if err != nil {
		return fm, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fm, err
	}
	fm.size, fm.loaded = fi.Size(), true
	fm.m[0] = readMeta(f, 0)
	offsets := []int64{1024, 2048, 4096, 8192, 16384, 32768, 65536}
	if fm.m[0].valid {
		offsets = []int64{int64(fm.m[0].pageSize)}
	}
	for _, off := range offsets {
		if m := readMeta(f, off); m.valid && int64(m.pageSize) == off {
			fm.m[1] = m
			break
		}
	}
	return fm, nil
}

func readMeta(r io.ReaderAt, off int64) metaPage {
	buf := make([]byte, pageHeaderSize+metaSize)
	if _, err := r.ReadAt(buf, off); err != nil {
		return metaPage{}
	}
	b := buf[pageHeaderSize:]
	le := binary.LittleEndian
	if le.Uint16(buf[8:]) != metaPageFlag {
		return metaPage{}
	}
	h := fnv.New64a()
	_, _ = h.Write(b[:metaChecksumAt])
	if le.Uint32(b[0:]) != boltMagic || le.Uint32(b[4:]) != boltVersion || h.Sum64() != le.Uint64(b[metaChecksumAt:]) {
		return metaPage{}
	}
	ps := int(le.Uint32(b[8:]))
	if ps < 512 || ps > 1<<20 {
		return metaPage{}
	}
	m := metaPage{valid: true, pageSize: ps, root: le.Uint64(b[16:]), freelist: le.Uint64(b[32:]), pgid: le.Uint64(b[40:]), txid: le.Uint64(b[48:])}
	// The page header must name the page where it sits (bbolt asserts it).
	if int64(le.Uint64(buf)) != off/int64(ps) {
		return metaPage{}
	}
	return m
}

// damage describes what the meta pages reveal about the file, or "" when
// both are intact and the file is as long as they say.
func (fm fileMetas) damage() string {
	a, b := fm.m[0], fm.m[1]
	switch {
	case fm.size == 0:
		return "the file is empty (0 bytes)"
	case !a.valid && !b.valid:
		return "neither of its two header pages is readable"
	case !a.valid || !b.valid:
		return "one of its two header pages is damaged (a write torn by a power cut?); the last change to the cache may be lost"
	}
	newest := fm.newest()
	if need := int64(newest.pgid) * int64(newest.pageSize); fm.size < need {
		return fmt.Sprintf("the file is cut short: %d bytes where its header says %d", fm.size, need)
	}
	return ""
}

// newest is the valid meta page of the higher transaction id: the one bbolt opens with.
func (fm fileMetas) newest() metaPage {
	a, b := fm.m[0], fm.m[1]
	if !a.valid || b.valid && b.txid > a.txid {
		return b
	}
	return a
}
