package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Blob is one image's bytes with their content hash. When Data is nil, Load
// supplies the bytes at the moment they are written (importers spool prepared
// images to disk so a large pack never sits in memory whole).
type Blob struct {
	Hash string // "sha256:" + hex
	Data []byte
	Load func() ([]byte, error)
}

// bytes returns the blob's data, loading it when needed, and checks its hash.
func (b Blob) bytes() ([]byte, error) {
	data := b.Data
	if data == nil && b.Load != nil {
		var err error
		if data, err = b.Load(); err != nil {
			return nil, fmt.Errorf("image %s: %w", b.Hash, err)
		}
	}
	if got := HashOf(data); got != b.Hash {
		return nil, fmt.Errorf("image %s: %w: bytes hash to %s", b.Hash, ErrCorrupt, got)
	}
	return data, nil
}

// HashOf is the content hash blobs are keyed by.
func HashOf(data []byte) string {
	sum := sha256.Sum256(data)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// NewBlob wraps data with its hash.
func NewBlob(data []byte) Blob { return Blob{Hash: HashOf(data), Data: data} }

// blobBatchBytes bounds one blob-writing transaction, so a large pack never
// holds gigabytes of dirty pages in memory at once.
const blobBatchBytes = 32 << 20

// putBlobs writes the blobs the store lacks, in bounded transactions. Until a
// pack record refers to them they are invisible, and the next import or removal frees them after a crash.
func (s *Store) putBlobs(blobs []Blob) error {
	missing, err := s.missing(blobs)
	if err != nil {
		return err
	}
	for len(missing) > 0 {
		var batch []Blob
		var data [][]byte
		size := 0
		for len(missing) > 0 && (len(batch) == 0 || size < blobBatchBytes) {
			d, err := missing[0].bytes()
			if err != nil {
				return err
			}
			batch, data, size = append(batch, missing[0]), append(data, d), size+len(d)
			missing = missing[1:]
		}
		err := s.update(func(tx *bolt.Tx) error {
			bb := tx.Bucket(bucketBlobs)
			for i, b := range batch {
				if err := bb.Put([]byte(b.Hash), data[i]); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// missing returns the blobs the store does not hold yet (content-addressed:
// an image already stored is never written again).
func (s *Store) missing(blobs []Blob) ([]Blob, error) {
	var out []Blob
	seen := map[string]bool{}
	err := s.view(func(tx *bolt.Tx) error {
		bb := tx.Bucket(bucketBlobs)
		for _, b := range blobs {
			if !seen[b.Hash] && bb.Get([]byte(b.Hash)) == nil {
				out = append(out, b)
			}
			seen[b.Hash] = true
		}
		return nil
	})
	return out, err
}

// Blob returns a copy of the stored image with that hash. A blob whose bytes
// no longer match its hash is logged and reported as ErrCorrupt.
func (s *Store) Blob(hash string) ([]byte, error) {
	var out []byte
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketBlobs).Get([]byte(hash))
		if v == nil {
			return fmt.Errorf("image %s: %w", hash, ErrNotFound)
		}
		out = append([]byte(nil), v...)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if got := HashOf(out); got != hash {
		s.log.Error("skipping corrupt image in cache", "hash", hash, "bytes_hash", got, "path", s.path)
		return nil, fmt.Errorf("image %s: %w: bytes hash to %s", hash, ErrCorrupt, got)
	}
	return out, nil
}
