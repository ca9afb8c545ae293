package store

import (
	"bytes"
	"fmt"
	"path/filepath"
	"testing"
)

// BenchmarkOpenChecked times opening a cache of 5,000 people (15,000 images,
// ~600 MB), which checks the whole file each time: header pages, page tree
// read from disk and bbolt's Check.
//
//	go test -run '^$' -bench OpenChecked -benchtime 3x ./internal/store
func BenchmarkOpenChecked(b *testing.B) {
	path := filepath.Join(b.TempDir(), "cache.db")
	s, err := Open(path, Options{Logger: quietLogger()})
	if err != nil {
		b.Fatal(err)
	}
	for p := range 10 {
		rec := PackRecord{ID: fmt.Sprintf("pack-%d", p), Version: "1", Photos: map[string]Photo{}}
		var blobs []Blob
		for i := range 500 {
			mk := func(kind string, n int) Blob {
				return NewBlob(bytes.Repeat([]byte(fmt.Sprintf("%s %d %d;", kind, p, i)), n))
			}
			d, m, th := mk("display", 15000), mk("master", 20000), mk("thumb", 2500)
			blobs = append(blobs, d, m, th)
			rec.Photos[fmt.Sprintf("person-%d", i)] = Photo{Display: ImageRef{Hash: d.Hash}, Master: ImageRef{Hash: m.Hash}, Thumb: ImageRef{Hash: th.Hash}}
		}
		if err := s.Import(rec, blobs); err != nil {
			b.Fatal(err)
		}
	}
	st, _ := s.Stats()
	_ = s.Close()
	b.ReportMetric(float64(st.FileBytes)/1e6, "MB")
	b.ResetTimer()
	for range b.N {
		s, err := Open(path, Options{Logger: quietLogger()})
		if err != nil {
			b.Fatal(err)
		}
		_ = s.Close()
	}
}
