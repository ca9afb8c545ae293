package store

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"
)

// The bit-flip test damages a real cache file the way a bad disk or a bad
// memory module does, in every kind of page bbolt writes, and follows what
// the kiosk does with it: open it as the show does, check it, read every
// value, re-import the packs that are reported damaged or missing, and
// compare everything with the original.

// Kinds of page. The cache is opened with NoFreelistSync, so it stores no
// free-list page: the "free" kind is the pages the free list would name
// (below the high-water mark, reachable from no tree).
const (
	kindMeta    = "meta (header pages 0, 1)"
	kindRoot    = "root (bucket headers, meta bucket)"
	kindBranch  = "branch"
	kindRecords = "pack records and manifests"
	kindBlobs   = "image data (leaf + overflow)"
	kindFree    = "free pages"
)

var flipKinds = []string{kindMeta, kindRoot, kindBranch, kindRecords, kindBlobs, kindFree}

// flipBits is how many bits one seed flips in one region of its kind (the
// issue's cases: six in data pages, two in the page of the pack records).
var flipBits = map[string]int{kindMeta: 2, kindRoot: 2, kindBranch: 2, kindRecords: 2, kindBlobs: 6, kindFree: 6}

// region is a run of bytes of one kind: the used part of a page (with its
// overflow pages).
type region struct{ start, end int64 }

// pageRegions classifies the pages of the newest tree of a cache file.
func pageRegions(t *testing.T, data []byte) map[string][]region {
	t.Helper()
	fm, err := readMetas(writeTemp(t, data))
	if err != nil {
		t.Fatal(err)
	}
	m := fm.newest()
	ps := int64(m.pageSize)
	out := map[string][]region{kindMeta: {{0, pageHeaderSize + metaSize}, {ps, ps + pageHeaderSize + metaSize}}}
	seen := map[uint64]bool{0: true, 1: true}
	le := binary.LittleEndian
	var walk func(id uint64, kind string)
	walk = func(id uint64, kind string) {
		base := int64(id) * ps
		hdr := data[base:]
		flags, count, overflow := le.Uint16(hdr[8:]), int(le.Uint16(hdr[10:])), int64(le.Uint32(hdr[12:]))
		for i := int64(0); i <= overflow; i++ {
			seen[id+uint64(i)] = true
		}
		used := int64(pageHeaderSize) + int64(count)*elemSize
		pageKind := kind
		if flags == branchPage {
			pageKind = kindBranch
		}
		for i := 0; i < count; i++ {
			e := hdr[pageHeaderSize+i*elemSize:]
			elemOff := int64(pageHeaderSize + i*elemSize)
			if flags == branchPage {
				pos, ksize := int64(le.Uint32(e)), int64(le.Uint32(e[4:]))
				used = max(used, elemOff+pos+ksize)
				walk(le.Uint64(e[8:]), kind)
				continue
			}
			eflags, pos, ksize, vsize := le.Uint32(e), int64(le.Uint32(e[4:])), int64(le.Uint32(e[8:])), int64(le.Uint32(e[12:]))
			used = max(used, elemOff+pos+ksize+vsize)
			if eflags&bucketLeafFlag != 0 {
				name := hdr[elemOff+pos : elemOff+pos+ksize]
				root := le.Uint64(hdr[elemOff+pos+ksize:])
				if root != 0 {
					sub := map[string]string{"packs": kindRecords, "blobs": kindBlobs}[string(name)]
					if sub == "" {
						sub = kindRoot
					}
					walk(root, sub)
				}
			}
		}
		out[pageKind] = append(out[pageKind], region{base, base + used})
	}
	walk(m.root, kindRoot)
	for id := uint64(2); id < m.pgid; id++ {
		if !seen[id] {
			out[kindFree] = append(out[kindFree], region{int64(id) * ps, int64(id+1) * ps})
		}
	}
	return out
}

func writeTemp(t *testing.T, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "probe.db")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// flipPack is one pack of the bit-flip cache, as imported.
type flipPack struct {
	rec   PackRecord
	blobs []Blob
}

// bitflipCache builds the cache the test damages: five packs whose records
// fill more than one page, enough images for branch pages in the image
// bucket, and free pages left by replacing one pack. It returns the file's
// bytes and the packs as they are in it.
func bitflipCache(t *testing.T) ([]byte, map[string]flipPack) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := Open(path, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	packs := map[string]flipPack{}
	for i, id := range []string{"alpha", "beta", "gamma", "delta", "epsilon", "epsilon"} {
		rec, blobs := smallPack(id, fmt.Sprint(i), 6, fmt.Sprint(id, i))
		rec.Manifest = json.RawMessage(fmt.Sprintf(`{"id":%q,"title":%q}`, id, strings.Repeat("manifest text ", 40)))
		if err := s.Import(rec, blobs); err != nil {
			t.Fatal(err)
		}
		packs[id] = flipPack{rec, blobs}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return fileBytes(t, path), packs
}

// smallPack is fakePack with images of a few kilobytes (each still larger
// than a page, so every image has a leaf page of its own with overflow), so
// that hundreds of damaged copies are quick to make and repair.
func smallPack(id, version string, n int, seed string) (PackRecord, []Blob) {
	rec := PackRecord{ID: id, Version: version, Photos: map[string]Photo{}}
	var blobs []Blob
	for i := 0; i < n; i++ {
		d := NewBlob(bytes.Repeat([]byte(fmt.Sprintf("display %s %s %d;", id, seed, i)), 250))
		m := NewBlob(bytes.Repeat([]byte(fmt.Sprintf("master %s %s %d;", id, seed, i)), 400))
		blobs = append(blobs, d, m)
		rec.Photos[fmt.Sprintf("person-%d", i)] = Photo{Display: ImageRef{Hash: d.Hash, W: 10, H: 10}, Master: ImageRef{Hash: m.Hash, W: 20, H: 20}}
	}
	return rec, blobs
}

// flipOutcome is what happened to one damaged copy.
type flipOutcome struct {
	found    bool   // the damage was found: at open, by Check, or on a read
	atOpen   bool   // found when the file was opened (moved aside, an earlier state kept)
	how      string // where it was found
	silent   string // wrong bytes returned or a pack gone without a word ("" when not)
	repaired bool   // after re-importing what was reported, the cache is whole
	lost     string // what is still missing or different after the re-import
}

// sameRecord reports whether got is the pack as imported.
func sameRecord(got PackRecord, want PackRecord) bool {
	a, _ := json.Marshal(got)
	b, _ := json.Marshal(want)
	return bytes.Equal(a, b)
}

// survey reads everything as the show and pack list would and compares it
// with the packs as imported: it returns the packs that are damaged or
// missing, and what came back wrong without being reported.
//
// After a recovery (the file was moved aside and an earlier state kept) the
// note tells the operator to import again any pack missing or out of date,
// so a pack that differs then counts as reported.
func survey(s *Store, packs map[string]flipPack) (bad map[string]bool, silent []string, found []string) {
	bad = map[string]bool{}
	recovered := s.Recovery() != nil
	rep, err := s.Check(context.Background())
	if err != nil {
		found = append(found, "check failed: "+err.Error())
	}
	for _, p := range rep.Problems() {
		if !errors.Is(p, ErrCorrupt) && !errors.Is(p, ErrNotFound) {
			found = append(found, "structural: "+p.Error())
		}
	}
	for _, o := range rep.Other {
		found = append(found, o.Error())
	}
	listed := map[string]bool{}
	for _, st := range rep.Packs {
		listed[st.Key] = true
		if st.Damaged() {
			found = append(found, "check: "+st.Key+" "+st.Summary())
			bad[st.Key] = true
			if _, ok := packs[st.Key]; !ok && st.Record == nil {
				// A record under a damaged key: the operator re-imports
				// the pack its bytes name, or removes the entry.
				if id := damagedRecordNames(s.rawRecord(st.Key)); id != "" {
					bad[id] = true
				}
			}
		}
	}
	recs, err := s.Packs()
	if err != nil {
		found = append(found, "packs: "+err.Error())
	}
	for _, r := range recs {
		want, ok := packs[r.ID]
		switch {
		case !ok:
			silent = append(silent, fmt.Sprintf("pack %q appeared", r.ID))
		case !sameRecord(r, want.rec) && recovered:
			bad[r.ID] = true
		case !sameRecord(r, want.rec) && !bad[r.ID]:
			silent = append(silent, fmt.Sprintf("pack %q read back different", r.ID))
		}
		for _, u := range r.uses() {
			data, err := s.Blob(u.Hash)
			switch {
			case err != nil && (errors.Is(err, ErrCorrupt) || errors.Is(err, ErrNotFound)):
				if !bad[r.ID] {
					silent = append(silent, fmt.Sprintf("pack %q image %s failed on read but Check said nothing", r.ID, u.Hash))
				}
				bad[r.ID] = true
			case err != nil:
				found = append(found, "read: "+err.Error())
				bad[r.ID] = true
			case HashOf(data) != u.Hash:
				silent = append(silent, fmt.Sprintf("pack %q image %s: wrong bytes returned", r.ID, u.Hash))
			}
		}
	}
	for id := range packs {
		if !listed[id] {
			bad[id] = true // missing: only allowed when reported (recovery or a damaged entry)
		}
	}
	return bad, silent, found
}

// runFlip damages a copy of the cache and follows it through.
func runFlip(t *testing.T, pristine []byte, packs map[string]flipPack, regions []region, bits int, rng *rand.Rand) flipOutcome {
	data := bytes.Clone(pristine)
	r := regions[rng.IntN(len(regions))]
	for i := 0; i < bits; i++ {
		off := r.start + rng.Int64N(r.end-r.start)
		data[off] ^= 1 << rng.IntN(8)
	}
	if bytes.Equal(data, pristine) { // two flips of one bit cancel
		data[r.start] ^= 1
	}
	return followDamage(t, data, packs)
}

// followDamage opens a damaged copy as the show does, surveys it and
// re-imports what is reported damaged or missing.
func followDamage(t *testing.T, data []byte, packs map[string]flipPack) flipOutcome {
	var o flipOutcome
	if dump := os.Getenv("FLIP_DUMP"); dump != "" {
		_ = os.WriteFile(dump, data, 0o600)
	}
	path := filepath.Join(t.TempDir(), "cache.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	s, err := Open(path, Options{Logger: quietLogger(), Now: func() time.Time { return at }})
	if err != nil {
		o.found, o.atOpen, o.how, o.lost = true, true, "open refused", err.Error()
		return o
	}
	defer s.Close()
	var how []string
	if rec := s.Recovery(); rec != nil {
		how = append(how, "open: "+rec.Cause)
		o.atOpen = true
	}
	bad, silent, found := survey(s, packs)
	how = append(how, found...)
	if len(bad) > 0 && s.Recovery() == nil {
		// Without a recovery note every missing pack must be listed damaged.
		states, _ := s.PackStates()
		listed := map[string]bool{}
		for _, st := range states {
			listed[st.Key] = true
			if st.Record == nil {
				how = append(how, "record "+st.Key+": "+st.Reason)
			}
		}
		for id := range bad {
			if !listed[id] && !anyUnreadable(states) {
				silent = append(silent, fmt.Sprintf("pack %q is gone and nothing says why", id))
			}
		}
	}
	o.found = len(how) > 0 || len(bad) > 0
	o.how = strings.Join(how, "; ")
	o.silent = strings.Join(silent, "; ")
	if !o.found {
		if w := whole(s, packs); w != "" {
			o.silent = "nothing reported, yet " + w
		}
		return o
	}
	// Repair as an operator would: import again every pack reported
	// damaged or missing.
	ids := make([]string, 0, len(bad))
	for id := range bad {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		p, ok := packs[id]
		if !ok {
			continue
		}
		if err := s.Import(p.rec, p.blobs); err != nil {
			o.lost = fmt.Sprintf("re-import of %s: %v", id, err)
			return o
		}
	}
	// What pack list then still shows as damaged is an entry whose key
	// and bytes name no pack: the operator removes it, as it advises.
	states, err := s.PackStates()
	if err != nil {
		o.lost = err.Error()
		return o
	}
	for _, st := range states {
		if st.Record == nil {
			if err := s.Remove(st.Key); err != nil {
				o.lost = fmt.Sprintf("removing the damaged entry %q: %v", st.Key, err)
				return o
			}
		}
	}
	o.lost = whole(s, packs)
	o.repaired = o.lost == ""
	return o
}

func anyUnreadable(states []PackState) bool {
	for _, st := range states {
		if st.Record == nil {
			return true
		}
	}
	return false
}

// whole says what differs between the cache and the packs as imported ("" when nothing).
func whole(s *Store, packs map[string]flipPack) string {
	rep, err := s.Check(context.Background())
	if err != nil {
		return "check: " + err.Error()
	}
	if !rep.OK() {
		return fmt.Sprint("check: ", rep.Problems())
	}
	if len(rep.Packs) != len(packs) {
		return fmt.Sprintf("%d pack entries, want %d", len(rep.Packs), len(packs))
	}
	for _, st := range rep.Packs {
		want, ok := packs[st.Key]
		if !ok || st.Record == nil || !sameRecord(*st.Record, want.rec) {
			return fmt.Sprintf("pack %q differs", st.Key)
		}
		for _, b := range want.blobs {
			data, err := s.Blob(b.Hash)
			if err != nil || !bytes.Equal(data, b.Data) {
				return fmt.Sprintf("pack %q image %s: %v", st.Key, b.Hash, err)
			}
		}
	}
	return ""
}

// TestBitFlipsInEveryKindOfPage flips bits in every kind of page of a real
// cache file, 50 seeds per kind, and asserts for each: the damage is found
// (at open, by Check or on read) or changed nothing; no wrong bytes are ever
// returned and no pack disappears without a word; re-importing what was
// reported damaged or missing makes the cache whole again; nothing is lost.
// It prints the table (go test -tags ci -run TestBitFlipsInEveryKindOfPage -v ./internal/store/).
//
// To look into one case: FLIP_KIND=branch runs one kind, FLIP_TRACE=1 names
// each seed on standard error before it runs, and FLIP_DUMP=FILE keeps the
// damaged copy being followed (the page layout differs from run to run:
// bbolt's hash-map free list hands out pages in no fixed order).
// A crash of the test process is a failure of this test: bbolt panics on a
// goroutine of its own when asked to write into a tree its checks reject.
func TestBitFlipsInEveryKindOfPage(t *testing.T) {
	seeds := 50
	if testing.Short() {
		seeds = 8
	}
	pristine, packs := bitflipCache(t)
	regions := pageRegions(t, pristine)
	var table strings.Builder
	fmt.Fprintf(&table, "%-36s %5s %5s %7s %9s %6s %8s %4s\n", "kind", "seeds", "found", "at open", "no effect", "silent", "repaired", "lost")
	for _, kind := range flipKinds {
		rs := regions[kind]
		if len(rs) == 0 {
			t.Errorf("the cache has no %s pages: the test would prove nothing for them", kind)
			continue
		}
		if only := os.Getenv("FLIP_KIND"); only != "" && !strings.Contains(kind, only) {
			continue
		}
		var found, atOpen, noEffect, silent, repaired, lost int
		for seed := 0; seed < seeds; seed++ {
			if os.Getenv("FLIP_TRACE") != "" {
				fmt.Fprintln(os.Stderr, "flip", kind, seed)
			}
			rng := rand.New(rand.NewPCG(uint64(seed), uint64(len(kind))))
			o := runFlip(t, pristine, packs, rs, flipBits[kind], rng)
			switch {
			case o.silent != "":
				silent++
				t.Errorf("%s, seed %d: silent damage: %s (found: %s)", kind, seed, o.silent, o.how)
			case !o.found:
				noEffect++
			}
			if o.atOpen {
				atOpen++
			}
			if o.found {
				found++
				if o.repaired {
					repaired++
				} else {
					lost++
					t.Errorf("%s, seed %d: found (%s) but not repaired: %s", kind, seed, o.how, o.lost)
				}
			}
			if testing.Verbose() && o.found && seed < 2 {
				t.Logf("%s, seed %d: found: %.300s", kind, seed, o.how)
			}
		}
		fmt.Fprintf(&table, "%-36s %5d %5d %7d %9d %6d %8d %4d\n", kind, seeds, found, atOpen, noEffect, silent, repaired, lost)
	}
	t.Logf("bit flips (%d seeds per kind; found = at open, by Check or on read; at open = the file was moved aside and "+
		"its newest intact state kept; no effect = nothing reported and every value read back exact):\n%s", seeds, table.String())
}

// rawRecord is the stored bytes of a pack entry.
func (s *Store) rawRecord(key string) []byte {
	var out []byte
	_ = s.view(func(tx *bolt.Tx) error {
		out = bytes.Clone(tx.Bucket(bucketPacks).Get([]byte(key)))
		return nil
	})
	return out
}
