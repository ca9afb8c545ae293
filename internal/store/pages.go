package store

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// walkPages reads the page tree of a cache file directly from disk, without
// bbolt, and reports the first structural fault: a page out of bounds or
// referred to twice, a page of the wrong kind, an element outside its page,
// keys out of order. It is the guard in front of bbolt's own consistency
// check: bbolt rebuilds its free list (this cache does not store one) on a
// goroutine of its own that panics, taking the whole process down, on the
// very faults found here (go.etcd.io/bbolt db.go, freepages). Reading with
// ReadAt, never through a memory map, a cut-short file is an error and not
// a fatal fault.
//
// The format is bbolt's (internal/common/page.go, bucket.go): a 16-byte page
// header (id, flags, element count, overflow), then 16-byte elements: in a
// branch page key position, key size, child page id; in a leaf page flags,
// key position, key size, value size, positions counted from the element. A
// leaf element flagged as a bucket holds the bucket's root page id and
// sequence, followed by the bucket's whole page when it is inline (root 0).
func walkPages(path string, m metaPage, root uint64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := &pageWalker{r: f, ps: int64(m.pageSize), hwm: m.pgid, seen: map[uint64]bool{0: true, 1: true}}
	if m.freelist != noFreelist {
		p, err := w.readPage(m.freelist)
		if err != nil {
			return fmt.Errorf("free list: %w", err)
		}
		if p.flags != freelistFlag {
			return fmt.Errorf("page %d: not a free-list page (flags %#x)", p.id, p.flags)
		}
	}
	return w.tree(root, nil, nil, 0)
}

const (
	branchPage     = 0x01
	leafPage       = 0x02
	bucketLeafFlag = 0x01
	elemSize       = 16
	maxBucketDepth = 64
)

// pageWalker visits each page once.
type pageWalker struct {
	r    io.ReaderAt
	ps   int64
	hwm  uint64
	seen map[uint64]bool
}

// page is one page's header and the bytes holding its elements and keys
// (values are not read, except bucket headers and inline buckets).
type page struct {
	id       uint64
	flags    uint16
	count    int
	overflow uint32
}

func (w *pageWalker) readPage(id uint64) (page, error) {
	if id < 2 || id >= w.hwm {
		return page{}, fmt.Errorf("page %d: out of bounds (the file has %d pages)", id, w.hwm)
	}
	if w.seen[id] {
		return page{}, fmt.Errorf("page %d: referred to twice", id)
	}
	hdr := make([]byte, pageHeaderSize)
	if _, err := w.r.ReadAt(hdr, int64(id)*w.ps); err != nil {
		return page{}, fmt.Errorf("page %d: %w", id, err)
	}
	le := binary.LittleEndian
	p := page{id: le.Uint64(hdr), flags: le.Uint16(hdr[8:]), count: int(le.Uint16(hdr[10:])), overflow: le.Uint32(hdr[12:])}
	if p.id != id {
		return page{}, fmt.Errorf("page %d: header says it is page %d", id, p.id)
	}
	if id+uint64(p.overflow) >= w.hwm {
		return page{}, fmt.Errorf("page %d: its %d overflow pages run past the end", id, p.overflow)
	}
	for i := id; i <= id+uint64(p.overflow); i++ {
		if w.seen[i] {
			return page{}, fmt.Errorf("page %d: overlaps page %d", id, i)
		}
		w.seen[i] = true
	}
	return p, nil
}

// elements reads a page's element array and each element's key (and, for a
// leaf element that is a bucket, its value). bbolt writes a page in exactly
// as many pages as its elements, keys and values need
// (go.etcd.io/bbolt node.go spill, common.WriteInodeToPage): a page whose
// overflow count says otherwise has a damaged header or element.
func (w *pageWalker) elements(p page) ([][]byte, [][]byte, []uint64, []bool, error) {
	base := int64(p.id) * w.ps
	size := int64(p.overflow+1) * w.ps
	keys, vals, children, isBucket, used, err := readElements(w.r, base, size, p)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	if need := (used + w.ps - 1) / w.ps; need != int64(p.overflow)+1 {
		return nil, nil, nil, nil, fmt.Errorf("page %d: its %d bytes need %d page(s), its header says %d", p.id, used, need, p.overflow+1)
	}
	return keys, vals, children, isBucket, nil
}

// readElements reads the elements of a page of size bytes at base. bbolt
// packs each element's key and value right after those of the element
// before it, from the end of the element array; used is where the last one
// ends.
func readElements(r io.ReaderAt, base, size int64, p page) (keys, bucketVals [][]byte, children []uint64, isBucket []bool, used int64, err error) {
	arr := int64(pageHeaderSize) + int64(p.count)*elemSize
	if arr > size {
		return nil, nil, nil, nil, 0, fmt.Errorf("page %d: %d elements do not fit in it", p.id, p.count)
	}
	raw := make([]byte, int64(p.count)*elemSize)
	if err := readFull(r, raw, base+pageHeaderSize); err != nil {
		return nil, nil, nil, nil, 0, fmt.Errorf("page %d: %w", p.id, err)
	}
	le := binary.LittleEndian
	next := arr // where the next element's key must start
	for i := 0; i < p.count; i++ {
		e := raw[i*elemSize:]
		elemOff := int64(pageHeaderSize) + int64(i)*elemSize
		var pos, ksize, vsize int64
		var flags uint32
		var child uint64
		if p.flags == branchPage {
			pos, ksize, child = int64(le.Uint32(e)), int64(le.Uint32(e[4:])), le.Uint64(e[8:])
		} else {
			flags, pos, ksize, vsize = le.Uint32(e), int64(le.Uint32(e[4:])), int64(le.Uint32(e[8:])), int64(le.Uint32(e[12:]))
		}
		start := elemOff + pos
		if start+ksize+vsize > size || start < arr && ksize+vsize > 0 {
			return nil, nil, nil, nil, 0, fmt.Errorf("page %d: element %d lies outside the page", p.id, i)
		}
		if start != next {
			return nil, nil, nil, nil, 0, fmt.Errorf("page %d: element %d starts at %d, where the one before it ends at %d", p.id, i, start, next)
		}
		next = start + ksize + vsize
		key := make([]byte, ksize)
		if err := readFull(r, key, base+start); err != nil {
			return nil, nil, nil, nil, 0, fmt.Errorf("page %d: %w", p.id, err)
		}
		keys = append(keys, key)
		children = append(children, child)
		bucket := flags&bucketLeafFlag != 0
		isBucket = append(isBucket, bucket)
		var val []byte
		if bucket {
			if vsize < 16 {
				return nil, nil, nil, nil, 0, fmt.Errorf("page %d: bucket %q has a short header", p.id, key)
			}
			val = make([]byte, vsize)
			if err := readFull(r, val, base+start+ksize); err != nil {
				return nil, nil, nil, nil, 0, fmt.Errorf("page %d: %w", p.id, err)
			}
		}
		bucketVals = append(bucketVals, val)
	}
	for i := 1; i < len(keys); i++ {
		if bytes.Compare(keys[i-1], keys[i]) >= 0 {
			return nil, nil, nil, nil, 0, fmt.Errorf("page %d: keys out of order", p.id)
		}
	}
	return keys, bucketVals, children, isBucket, next, nil
}

// tree walks the page tree rooted at id, whose keys must lie in [lo, hi).
func (w *pageWalker) tree(id uint64, lo, hi []byte, depth int) error {
	if depth > maxBucketDepth {
		return errors.New("buckets nested too deeply")
	}
	p, err := w.readPage(id)
	if err != nil {
		return err
	}
	if p.flags != branchPage && p.flags != leafPage {
		return fmt.Errorf("page %d: not a branch or leaf page (flags %#x)", id, p.flags)
	}
	keys, vals, children, isBucket, err := w.elements(p)
	if err != nil {
		return err
	}
	if len(keys) > 0 && (lo != nil && bytes.Compare(keys[0], lo) < 0 || hi != nil && bytes.Compare(keys[len(keys)-1], hi) >= 0) {
		return fmt.Errorf("page %d: keys outside the range its parent gives", id)
	}
	// bbolt keys a child in its parent by the child's first key and relies
	// on it when it writes (node.spill puts the new first key in place of
	// the old one): a page below a branch whose first key is not the one
	// its parent has for it is damaged, though every key is in range.
	if lo != nil && (len(keys) == 0 || !bytes.Equal(keys[0], lo)) {
		return fmt.Errorf("page %d: its first key is not the one its parent has for it", id)
	}
	for i := range keys {
		if p.flags == branchPage {
			next := hi
			if i+1 < len(keys) {
				next = keys[i+1]
			}
			if err := w.tree(children[i], keys[i], next, depth); err != nil {
				return err
			}
			continue
		}
		if isBucket[i] {
			if err := w.bucket(vals[i], depth+1); err != nil {
				return fmt.Errorf("bucket %q: %w", keys[i], err)
			}
		}
	}
	return nil
}

// bucket walks a nested bucket given its value (root id, sequence, inline page).
func (w *pageWalker) bucket(val []byte, depth int) error {
	root := binary.LittleEndian.Uint64(val)
	if root != 0 {
		return w.tree(root, nil, nil, depth)
	}
	inline := bytes.NewReader(val[16:])
	hdr := make([]byte, pageHeaderSize)
	if _, err := inline.ReadAt(hdr, 0); err != nil {
		return errors.New("inline bucket too short")
	}
	le := binary.LittleEndian
	p := page{flags: le.Uint16(hdr[8:]), count: int(le.Uint16(hdr[10:]))}
	if p.flags != leafPage {
		return fmt.Errorf("inline bucket is not a leaf page (flags %#x)", p.flags)
	}
	_, vals, _, isBucket, _, err := readElements(inline, 0, int64(len(val)-16), p)
	if err != nil {
		return err
	}
	for i := range vals {
		if isBucket[i] {
			if err := w.bucket(vals[i], depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// readFull fills b from off; an empty b reads nothing.
func readFull(r io.ReaderAt, b []byte, off int64) error {
	if len(b) == 0 {
		return nil
	}
	_, err := r.ReadAt(b, off)
	return err
}
