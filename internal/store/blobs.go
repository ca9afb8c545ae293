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

// missing returns the blobs the store does not hold intact: absent, or
// stored with bytes that no longer hash to their key (those are written
// again, which is how a re-import repairs a damaged cache). An image stored
// intact is never written again.
func (s *Store) missing(blobs []Blob) ([]Blob, error) {
	var out []Blob
	seen := map[string]bool{}
	err := s.view(func(tx *bolt.Tx) error {
		bb := tx.Bucket(bucketBlobs)
		for _, b := range blobs {
			if seen[b.Hash] {
				continue
			}
			seen[b.Hash] = true
			v := bb.Get([]byte(b.Hash))
			switch {
			case v == nil:
				out = append(out, b)
			case HashOf(v) != b.Hash:
				s.log.Warn("writing a damaged image again", "path", s.path, "image", b.Hash)
				out = append(out, b)
			}
		}
		return nil
	})
	return out, err
}

// Blob returns a copy of the stored image with that hash. A blob whose bytes
// no longer match its hash is damage: it is logged (once), marked on the
// packs that use it, and returned as a *DamageError (ErrCorrupt) naming the
// pack, person and image; the caller skips that image only.
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
		var d *DamageError
		err := s.view(func(tx *bolt.Tx) error {
			d = s.imageDamage(tx, hash, "its bytes no longer match its checksum (they hash to "+got+")")
			return nil
		})
		if err != nil {
			return nil, err
		}
		return nil, d
	}
	s.damage.image(hash, "")
	return out, nil
}
