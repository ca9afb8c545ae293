package store

import (
	"errors"
	"fmt"
	"os"

	bolt "go.etcd.io/bbolt"
)

// Stats describe the cache file.
type Stats struct {
	FileBytes int64 // size of the file on disk
	LiveBytes int64 // bytes of pack records and images in use
	Packs     int
	Blobs     int
}

// Stats measures the cache.
func (s *Store) Stats() (Stats, error) {
	var st Stats
	err := s.view(func(tx *bolt.Tx) error {
		st.FileBytes = tx.Size()
		add := func(n *int) func(k, v []byte) error {
			return func(k, v []byte) error {
				*n++
				st.LiveBytes += int64(len(k) + len(v))
				return nil
			}
		}
		if err := tx.Bucket(bucketPacks).ForEach(add(&st.Packs)); err != nil {
			return err
		}
		return tx.Bucket(bucketBlobs).ForEach(add(&st.Blobs))
	})
	return st, err
}

// compactSlack is how much more than the live data the file may hold before
// compactIfBloated rewrites it.
const compactSlack = 16 << 20

// compactIfBloated compacts when the file exceeds twice the live data (plus
// slack), so that repeated re-imports never grow the cache without bound.
func (s *Store) compactIfBloated() error {
	st, err := s.Stats()
	if err != nil {
		return err
	}
	if st.FileBytes <= 2*st.LiveBytes+compactSlack {
		return nil
	}
	return s.Compact()
}

// Compact rewrites the cache into a fresh file without free pages and swaps
// it in with a rename; a crash leaves either the old or the new file whole.
func (s *Store) Compact() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return errors.New("store is closed")
	}
	if s.readOnly != "" {
		return fmt.Errorf("%w (%s): %s", ErrReadOnly, s.readOnly, s.path)
	}
	before := fileSize(s.path)
	tmp := s.path + ".compact"
	_ = os.Remove(tmp)
	dst, err := bolt.Open(tmp, 0o600, &bolt.Options{Timeout: s.opts.Timeout, FreelistType: bolt.FreelistMapType, NoFreelistSync: true})
	if err != nil {
		return fmt.Errorf("compacting %s: %w", s.path, err)
	}
	if err := bolt.Compact(dst, s.db, 64<<20); err != nil {
		_ = dst.Close()
		_ = os.Remove(tmp)
		return fmt.Errorf("compacting %s: %w", s.path, err)
	}
	if err := dst.Close(); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("compacting %s: %w", s.path, err)
	}
	// Hold the lock on the old file until the new one is in place: the rename
	// is atomic, and reopening takes the lock on the new file.
	if err := os.Rename(tmp, s.path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("compacting %s: %w", s.path, err)
	}
	_ = s.db.Close()
	s.db = nil
	db, err := s.openDB(false)
	if err != nil {
		return fmt.Errorf("reopening %s after compaction: %w", s.path, err)
	}
	s.db = db
	s.log.Info("compacted cache", "path", s.path, "bytes_before", before, "bytes_after", fileSize(s.path))
	return nil
}

func fileSize(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return -1
	}
	return fi.Size()
}
