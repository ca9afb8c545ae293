package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/solidarity-kiosk/kiosk/internal/regfile"
)

// mustOpen opens a store in a temporary directory and, on cleanup, checks it
// is consistent before closing it.
func mustOpen(t *testing.T, path string) *Store {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "cache.db")
	}
	s, err := Open(path, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if s.db != nil {
			if probs := checkProblems(t, s); len(probs) > 0 {
				t.Errorf("store inconsistent at cleanup: %v", probs)
			}
		}
		_ = s.Close()
	})
	return s
}

func quietLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// fakePack makes a pack record with n photos whose image bytes depend on seed.
func fakePack(id, version string, n int, seed string) (PackRecord, []Blob) {
	rec := PackRecord{ID: id, Version: version, Manifest: []byte(`{"id":"` + id + `"}`), Photos: map[string]Photo{}}
	var blobs []Blob
	for i := 0; i < n; i++ {
		d := NewBlob(bytes.Repeat([]byte(fmt.Sprintf("display %s %s %d;", id, seed, i)), 2000))
		m := NewBlob(bytes.Repeat([]byte(fmt.Sprintf("master %s %s %d;", id, seed, i)), 4000))
		blobs = append(blobs, d, m)
		rec.Photos[fmt.Sprintf("person-%d", i)] = Photo{Display: ImageRef{Hash: d.Hash, W: 10, H: 10}, Master: ImageRef{Hash: m.Hash, W: 20, H: 20}}
	}
	return rec, blobs
}

func blobCount(t *testing.T, s *Store) int {
	t.Helper()
	st, err := s.Stats()
	if err != nil {
		t.Fatal(err)
	}
	return st.Blobs
}

func TestImportReplaceRemoveFreesBlobs(t *testing.T) {
	s := mustOpen(t, "")
	if !s.Created() {
		t.Error("a new cache file should report Created")
	}
	a1, b1 := fakePack("alpha", "1", 3, "v1")
	if err := s.Import(a1, b1); err != nil {
		t.Fatal(err)
	}
	if n := blobCount(t, s); n != 6 {
		t.Fatalf("after first import: %d blobs, want 6", n)
	}
	other, ob := fakePack("beta", "1", 2, "v1")
	if err := s.Import(other, ob); err != nil {
		t.Fatal(err)
	}
	a2, b2 := fakePack("alpha", "2", 2, "v2")
	if err := s.Import(a2, b2); err != nil {
		t.Fatal(err)
	}
	got, err := s.Pack("alpha")
	if err != nil || got.Version != "2" || len(got.Photos) != 2 {
		t.Fatalf("Pack(alpha) = %+v, %v; want version 2 with 2 photos", got, err)
	}
	if n := blobCount(t, s); n != 8 {
		t.Fatalf("after replace: %d blobs, want 8 (4 alpha v2 + 4 beta): old blobs not freed", n)
	}
	if err := s.Remove("alpha"); err != nil {
		t.Fatal(err)
	}
	if n := blobCount(t, s); n != 4 {
		t.Fatalf("after remove: %d blobs, want 4", n)
	}
	if _, err := s.Pack("alpha"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("removed pack still there: %v", err)
	}
	if err := s.Remove("alpha"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("removing a missing pack: %v, want ErrNotFound", err)
	}
}

func TestSharedBlobsSurviveRemovalOfOnePack(t *testing.T) {
	s := mustOpen(t, "")
	a, blobs := fakePack("alpha", "1", 2, "same")
	b := a
	b.ID = "beta"
	if err := s.Import(a, blobs); err != nil {
		t.Fatal(err)
	}
	if err := s.Import(b, nil); err != nil {
		t.Fatalf("importing a pack whose images are already stored: %v", err)
	}
	if err := s.Remove("alpha"); err != nil {
		t.Fatal(err)
	}
	for _, p := range b.Photos {
		if _, err := s.Blob(p.Display.Hash); err != nil {
			t.Fatalf("image shared with beta was freed: %v", err)
		}
	}
}

func TestImportRefusesMissingOrMislabelledBlobsWithoutWriting(t *testing.T) {
	s := mustOpen(t, "")
	rec, blobs := fakePack("alpha", "1", 2, "v1")
	before := fileBytes(t, s.Path())
	if err := s.Import(rec, blobs[:1]); err == nil || !strings.Contains(err.Error(), "neither given nor stored") {
		t.Fatalf("import with a missing image: %v", err)
	}
	if !bytes.Equal(before, fileBytes(t, s.Path())) {
		t.Error("a refused import changed the cache file")
	}
	if _, err := s.Pack("alpha"); !errors.Is(err, ErrNotFound) {
		t.Fatal("a pack with a missing image was installed")
	}

	bad := append([]Blob(nil), blobs...)
	bad[0].Data = []byte("tampered")
	s2path := filepath.Join(t.TempDir(), "c.db")
	s2 := mustOpen(t, s2path)
	snap := fileBytes(t, s2path)
	if err := s2.Import(rec, bad); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("import with a blob whose bytes do not match its hash: %v", err)
	}
	if !bytes.Equal(snap, fileBytes(t, s2path)) {
		t.Error("a refused import changed the cache file")
	}
}

func fileBytes(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSecondKioskFailsFastWithClearMessage(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	mustOpen(t, path)
	start := time.Now()
	_, err := Open(path, Options{Logger: quietLogger()})
	took := time.Since(start)
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second open: %v, want ErrLocked", err)
	}
	want := "another kiosk is using " + path
	if !strings.Contains(err.Error(), want) {
		t.Errorf("message %q does not contain %q", err, want)
	}
	if took > 2*time.Second {
		t.Errorf("second open took %v, must fail within 2 s", took)
	}
}

func TestCorruptBlobIsSkippedNotFatal(t *testing.T) {
	s := mustOpen(t, "")
	rec, blobs := fakePack("alpha", "1", 1, "v1")
	if err := s.Import(rec, blobs); err != nil {
		t.Fatal(err)
	}
	h := rec.Photos["person-0"].Display.Hash
	// Damage the stored bytes behind the store's back.
	err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketBlobs).Put([]byte(h), []byte("bit rot")) })
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Blob(h); !errors.Is(err, ErrCorrupt) {
		t.Fatalf("reading a damaged image: %v, want ErrCorrupt", err)
	}
	if probs := checkProblems(t, s); len(probs) != 1 {
		t.Fatalf("Check found %d problems, want 1: %v", len(probs), probs)
	}
	// Put it right so the cleanup consistency check passes.
	if err := s.putBlobsForce(blobs[0]); err != nil {
		t.Fatal(err)
	}
}

func (s *Store) putBlobsForce(b Blob) error {
	return s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketBlobs).Put([]byte(b.Hash), b.Data) })
}

func TestUnreadableFileIsQuarantined(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "cache.db")
	if err := os.WriteFile(path, bytes.Repeat([]byte("not a bbolt file "), 1000), 0o600); err != nil {
		t.Fatal(err)
	}
	s := mustOpen(t, path)
	if !s.Created() {
		t.Error("a fresh cache replacing a corrupt one should report Created (so the demo pack is installed)")
	}
	moved, _ := filepath.Glob(path + ".corrupt-*")
	if len(moved) != 1 {
		t.Fatalf("corrupt file not moved aside: %v", moved)
	}
}

func TestOrphanBlobsFromInterruptedImportAreFreedByTheNextWriteNotByOpening(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := Open(path, Options{Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	_, blobs := fakePack("alpha", "1", 3, "v1")
	// Phase one of an import, then "crash" before the record is written.
	if err := s.putBlobs(blobs); err != nil {
		t.Fatal(err)
	}
	if n := blobCount(t, s); n != 6 {
		t.Fatalf("%d blobs written, want 6", n)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	before := fileBytes(t, path)
	s = mustOpen(t, path)
	if n := blobCount(t, s); n != 6 {
		t.Fatalf("opening freed %d of 6 blobs: opening must never write", 6-n)
	}
	if !bytes.Equal(before, fileBytes(t, path)) {
		t.Fatal("opening changed the file")
	}
	rec, b := fakePack("beta", "1", 1, "v1")
	if err := s.Import(rec, b); err != nil {
		t.Fatal(err)
	}
	if n := blobCount(t, s); n != 2 {
		t.Fatalf("%d blobs after the next import, want beta's 2 (the orphans freed)", n)
	}
}

func TestRepeatedReimportsDoNotGrowWithoutBound(t *testing.T) {
	s := mustOpen(t, "")
	var sizes []int64
	for i := 0; i < 30; i++ {
		rec, blobs := fakePack("alpha", fmt.Sprint(i), 40, fmt.Sprint("round", i)) // ~3.6 MB of images each round
		if err := s.Import(rec, blobs); err != nil {
			t.Fatal(err)
		}
		st, err := s.Stats()
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, st.FileBytes)
		if limit := 2*st.LiveBytes + compactSlack + (4 << 20); st.FileBytes > limit {
			t.Fatalf("round %d: file %d bytes exceeds %d (live %d)", i, st.FileBytes, limit, st.LiveBytes)
		}
	}
	t.Logf("file sizes over 30 re-imports: first %d, last %d", sizes[0], sizes[len(sizes)-1])
}

func TestSchemaMismatchIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s := mustOpen(t, path)
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).Put(keySchema, []byte("99")) }); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	_, err := Open(path, Options{Logger: quietLogger()})
	if !errors.Is(err, ErrSchema) {
		t.Fatalf("opening a newer schema: %v, want ErrSchema", err)
	}
	if _, statErr := os.Stat(path); statErr != nil {
		t.Fatal("a newer cache must not be moved aside or deleted")
	}
}

func TestReopeningLeavesFileBytesUnchanged(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s := mustOpen(t, path)
	rec, blobs := fakePack("alpha", "1", 2, "v1")
	if err := s.Import(rec, blobs); err != nil {
		t.Fatal(err)
	}
	_ = s.Close()
	before := fileBytes(t, path)
	s2 := mustOpen(t, path)
	if _, err := s2.Packs(); err != nil {
		t.Fatal(err)
	}
	_ = s2.Close()
	if !bytes.Equal(before, fileBytes(t, path)) {
		t.Error("opening and reading the cache changed its bytes")
	}
}

// A folder given as the cache is refused by what it is and left alone:
// never renamed .corrupt-TIME, never replaced by a cache file.
func TestOpenRefusesAFolderAndMovesNothing(t *testing.T) {
	dir := t.TempDir()
	folder := filepath.Join(dir, "Photos")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := Open(folder, Options{})
	if err == nil {
		s.Close()
		t.Fatal("a folder opened as the cache")
	}
	if !errors.Is(err, regfile.ErrNotRegular) || !strings.Contains(err.Error(), "a directory") {
		t.Fatalf("err %v, want regfile.ErrNotRegular naming a directory", err)
	}
	entries, _ := os.ReadDir(dir)
	if fi, serr := os.Lstat(folder); serr != nil || !fi.IsDir() || len(entries) != 1 {
		t.Fatalf("after the refusal: %v, %v, %d entries", fi, serr, len(entries))
	}
}

// checkProblems runs Check and returns what it found.
func checkProblems(t *testing.T, s *Store) []error {
	t.Helper()
	rep, err := s.Check(context.Background())
	if err != nil {
		t.Errorf("Check: %v", err)
	}
	return rep.Problems()
}
