package importer

import (
	"fmt"
	"io"
	"os"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// spool keeps prepared images in a temporary file until the store takes
// them, so a pack of thousands of photos never sits in memory whole.
type spool struct {
	f   *os.File
	off int64
}

// spooled locates one prepared image in the spool.
type spooled struct {
	hash string
	off  int64
	n    int
	w, h int
}

func newSpool(dir string) (*spool, error) {
	f, err := os.CreateTemp(dir, "spool-*.bin")
	if err != nil {
		return nil, fmt.Errorf("creating the import spool: %w", err)
	}
	return &spool{f: f}, nil
}

// put appends an encoded image.
func (s *spool) put(e imageprep.Encoded) (spooled, error) {
	if len(e.JPEG) == 0 {
		return spooled{}, nil // an image not made (no thumbnail asked for)
	}
	n, err := s.f.WriteAt(e.JPEG, s.off)
	if err != nil {
		return spooled{}, err
	}
	sp := spooled{hash: store.HashOf(e.JPEG), off: s.off, n: n, w: e.W, h: e.H}
	s.off += int64(n)
	return sp, nil
}

// blob hands the store a loader for one spooled image.
func (s *spool) blob(sp spooled) store.Blob {
	return store.Blob{Hash: sp.hash, Load: func() ([]byte, error) {
		buf := make([]byte, sp.n)
		if _, err := s.f.ReadAt(buf, sp.off); err != nil && err != io.EOF {
			return nil, fmt.Errorf("reading the import spool: %w", err)
		}
		return buf, nil
	}}
}

// Close removes the spool file.
func (s *spool) Close() error {
	name := s.f.Name()
	err := s.f.Close()
	if rerr := os.Remove(name); err == nil {
		err = rerr
	}
	return err
}
