package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// Blob is one image's bytes with their content hash.
type Blob struct {
	Hash string // "sha256:" + hex
	Data []byte
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
// pack record refers to them they are invisible, and sweep frees them after a crash.
func (s *Store) putBlobs(blobs []Blob) error {
	for start := 0; start < len(blobs); {
		end, size := start, 0
		for end < len(blobs) && (end == start || size+len(blobs[end].Data) <= blobBatchBytes) {
			size += len(blobs[end].Data)
			end++
		}
		batch := blobs[start:end]
		err := s.update(func(tx *bolt.Tx) error {
			bb := tx.Bucket(bucketBlobs)
			for _, b := range batch {
				if bb.Get([]byte(b.Hash)) != nil {
					continue // content-addressed: already there
				}
				if err := bb.Put([]byte(b.Hash), b.Data); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		start = end
	}
	return nil
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
