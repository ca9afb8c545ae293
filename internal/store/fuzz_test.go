package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzOpenDamaged opens mutated cache files read-only. Whatever the bytes,
// Open must return (a store or an error) and never take the process down:
// bbolt panics on damaged pages in goroutines no recover reaches, so the
// checks in front of it must catch every such file first.
func FuzzOpenDamaged(f *testing.F) {
	dir := f.TempDir()
	path := filepath.Join(dir, "seed.db")
	s, err := Open(path, Options{Logger: quietLogger()})
	if err != nil {
		f.Fatal(err)
	}
	// Small images keep the seed small, so the fuzzer runs fast.
	d, m := NewBlob([]byte("display")), NewBlob([]byte("master"))
	rec := PackRecord{ID: "alpha", Version: "1", Photos: map[string]Photo{"p": {Display: ImageRef{Hash: d.Hash}, Master: ImageRef{Hash: m.Hash}}}}
	if err := s.Import(rec, []Blob{d, m}); err != nil {
		f.Fatal(err)
	}
	_ = s.Close()
	seed, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	fm, _ := readMetas(path)
	seed = seed[:fm.newest().pgid*uint64(fm.newest().pageSize)] // the unused tail adds nothing
	f.Add(seed, uint32(0), byte(0))
	f.Add(seed, uint32(0), byte(79)) // page 0 names itself page 79: bbolt's check asserted and crashed
	f.Add(seed, uint32(4096+pageHeaderSize+50), byte(1))
	f.Add(seed, uint32(2*4096+3), byte(0xFF))
	f.Fuzz(func(t *testing.T, data []byte, at uint32, x byte) {
		if len(data) > 4<<20 {
			return
		}
		if len(data) > 0 {
			data[int(at)%len(data)] ^= x
		}
		p := filepath.Join(t.TempDir(), "cache.db")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		s, err := Open(p, Options{Logger: quietLogger(), ReadOnly: true})
		if err != nil {
			if errors.Is(err, ErrLocked) {
				t.Fatalf("unexpected: %v", err)
			}
			return
		}
		_, _ = s.Packs()
		_ = s.Close()
	})
}
