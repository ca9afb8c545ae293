package store

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	bolt "go.etcd.io/bbolt"
)

// ImageRef points at one stored image blob.
type ImageRef struct {
	Hash string `json:"hash"` // "sha256:" + hex of the blob bytes
	W    int    `json:"w"`
	H    int    `json:"h"`
}

// Photo is a person's portrait as stored: a display image fitted to the
// screen the pack was imported for, and a larger master from which other
// screen sizes are derived without the original pack.
type Photo struct {
	Display ImageRef `json:"display"`
	Master  ImageRef `json:"master"`
	Thumb   ImageRef `json:"thumb,omitzero"` // the wall's small image; zero in caches made before it existed
}

// PackRecord is one installed pack.
type PackRecord struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	// Manifest is the validated manifest as JSON, with whatever consent
	// forbids (addresses, photos) already removed.
	Manifest   json.RawMessage  `json:"manifest"`
	Source     string           `json:"source"`
	ImportedAt time.Time        `json:"imported_at"`
	Signed     bool             `json:"signed"`
	Demo       bool             `json:"demo"`
	People     int              `json:"people"` // number of people in the manifest
	Photos     map[string]Photo `json:"photos"` // person id → portrait
	DisplayW   int              `json:"display_w"`
	DisplayH   int              `json:"display_h"`
}

// refs lists every blob hash the record refers to.
func (r *PackRecord) refs() []string {
	out := make([]string, 0, 3*len(r.Photos))
	for _, p := range r.Photos {
		out = append(out, p.Display.Hash, p.Master.Hash)
		if p.Thumb.Hash != "" {
			out = append(out, p.Thumb.Hash)
		}
	}
	return out
}

// Packs lists the installed packs whose records are sound, sorted by id: the
// show plays these. A record that fails its checksum or cannot be decoded is
// logged (once) and left out here; PackStates and Check list it with its
// key and the reason, so a listing never loses a pack without saying why.
func (s *Store) Packs() ([]PackRecord, error) {
	var out []PackRecord
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPacks).ForEach(func(k, v []byte) error {
			rec, _, err := s.readRecord(k, v)
			if err != nil {
				return nil
			}
			out = append(out, rec)
			return nil
		})
	})
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, err
}

// Pack returns the installed pack with that id; a damaged record is a
// *DamageError (ErrCorrupt).
func (s *Store) Pack(id string) (PackRecord, error) {
	var rec PackRecord
	err := s.view(func(tx *bolt.Tx) error {
		v := tx.Bucket(bucketPacks).Get([]byte(id))
		if v == nil {
			return fmt.Errorf("pack %q: %w", id, ErrNotFound)
		}
		var err error
		rec, _, err = s.readRecord([]byte(id), v)
		return err
	})
	return rec, err
}

// Remove uninstalls a pack and frees the images only it used.
func (s *Store) Remove(id string) error {
	s.importMu.Lock()
	defer s.importMu.Unlock()
	err := s.update(func(tx *bolt.Tx) error {
		packs := tx.Bucket(bucketPacks)
		if packs.Get([]byte(id)) == nil {
			return fmt.Errorf("pack %q: %w", id, ErrNotFound)
		}
		if err := packs.Delete([]byte(id)); err != nil {
			return err
		}
		return s.gc(tx)
	})
	if err != nil {
		return err
	}
	s.log.Info("removed pack", "pack", id)
	return s.compactIfBloated()
}

// Import installs rec, replacing any pack with the same id. blobs must hold
// every image rec refers to that the store does not hold already; each blob's
// hash is checked before anything is written. Until the final transaction
// commits, the previous version of the pack stays whole and visible.
//
// Import repairs: every given image whose stored bytes fail their checksum
// is written again, the record is written with a checksum (also replacing a
// record from before checksums), a damaged record that names this pack (by
// its key or by the id in its bytes) is replaced, and a damaged schema mark
// is written again.
func (s *Store) Import(rec PackRecord, blobs []Blob) error {
	if rec.ID == "" {
		return errors.New("pack record without an id")
	}
	for _, b := range blobs {
		if b.Data != nil && HashOf(b.Data) != b.Hash {
			return fmt.Errorf("image for pack %q: %w: hash %s does not match its bytes", rec.ID, ErrCorrupt, b.Hash)
		}
	}
	payload, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encoding pack %q: %w", rec.ID, err)
	}
	val := seal([]byte(rec.ID), payload)
	s.importMu.Lock()
	defer s.importMu.Unlock()
	if err := s.checkRefs(rec, blobs); err != nil {
		return err
	}
	if err := s.putBlobs(blobs); err != nil {
		return fmt.Errorf("storing images of pack %q: %w", rec.ID, err)
	}
	err = s.update(func(tx *bolt.Tx) error {
		bb := tx.Bucket(bucketBlobs)
		for _, h := range rec.refs() {
			if bb.Get([]byte(h)) == nil {
				return fmt.Errorf("pack %q refers to image %s, which is not stored", rec.ID, h)
			}
		}
		if err := s.dropDamagedTwins(tx, rec.ID); err != nil {
			return err
		}
		if err := tx.Bucket(bucketPacks).Put([]byte(rec.ID), val); err != nil {
			return err
		}
		if meta := tx.Bucket(bucketMeta); string(meta.Get(keySchema)) != fmt.Sprint(SchemaVersion) {
			// A damaged mark, or a cache from before checksums: from now
			// on it holds sealed records, and older kiosks must say so.
			s.log.Info("marking the cache with the current schema", "path", s.path, "was", string(meta.Get(keySchema)), "now", SchemaVersion)
			if err := meta.Put(keySchema, []byte(fmt.Sprint(SchemaVersion))); err != nil {
				return err
			}
		}
		return s.gc(tx)
	})
	if err != nil {
		return fmt.Errorf("installing pack %q: %w", rec.ID, err)
	}
	s.damage.record(rec.ID, "")
	for _, h := range rec.refs() {
		s.damage.image(h, "")
	}
	return s.compactIfBloated()
}

// dropDamagedTwins deletes, inside tx, the damaged records that name pack
// id by their key or by the id their bytes still hold (a record whose key
// was damaged): the record about to be written replaces them.
func (s *Store) dropDamagedTwins(tx *bolt.Tx, id string) error {
	packs := tx.Bucket(bucketPacks)
	var twins [][]byte
	err := packs.ForEach(func(k, v []byte) error {
		if _, _, err := decodeRecord(k, v); err == nil {
			return nil
		}
		if string(k) == id || damagedRecordNames(v) == id {
			twins = append(twins, append([]byte(nil), k...))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range twins {
		if err := packs.Delete(k); err != nil {
			return err
		}
		s.damage.record(string(k), "")
		s.log.Info("replaced a damaged pack record", "path", s.path, "pack", id, "key", string(k))
	}
	return nil
}

// damagedRecordNames returns the pack id a damaged record's bytes still
// hold, or "".
func damagedRecordNames(v []byte) string {
	if len(v) > sealHeader && v[0] == sealMark[0] {
		v = v[sealHeader:]
	}
	var head struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(v, &head) != nil {
		return ""
	}
	return head.ID
}

// checkRefs makes sure every image rec refers to is either given or stored,
// before anything is written.
func (s *Store) checkRefs(rec PackRecord, blobs []Blob) error {
	given := make(map[string]bool, len(blobs))
	for _, b := range blobs {
		given[b.Hash] = true
	}
	return s.view(func(tx *bolt.Tx) error {
		bb := tx.Bucket(bucketBlobs)
		for _, h := range rec.refs() {
			if !given[h] && bb.Get([]byte(h)) == nil {
				return fmt.Errorf("installing pack %q: image %s is neither given nor stored", rec.ID, h)
			}
		}
		return nil
	})
}

// gc deletes every blob no pack refers to, inside tx.
func (s *Store) gc(tx *bolt.Tx) error {
	dead, err := s.deadBlobs(tx)
	if err != nil {
		return err
	}
	bb := tx.Bucket(bucketBlobs)
	for _, k := range dead {
		if err := bb.Delete(k); err != nil {
			return err
		}
	}
	if len(dead) > 0 {
		s.log.Info("freed images no pack uses", "count", len(dead))
	}
	return nil
}

// deadBlobs lists the blobs no pack record refers to. When a record cannot be
// read its references are unknown, so nothing is reported dead.
func (s *Store) deadBlobs(tx *bolt.Tx) ([][]byte, error) {
	live := map[string]bool{}
	unreadable := ""
	err := tx.Bucket(bucketPacks).ForEach(func(k, v []byte) error {
		rec, _, err := decodeRecord(k, v)
		if err != nil {
			unreadable = string(k)
			return nil
		}
		for _, h := range rec.refs() {
			live[h] = true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if unreadable != "" {
		s.log.Error("pack record unreadable; not freeing any images", "pack", unreadable)
		return nil, nil
	}
	var dead [][]byte
	err = tx.Bucket(bucketBlobs).ForEach(func(k, _ []byte) error {
		if !live[string(k)] {
			dead = append(dead, append([]byte(nil), k...))
		}
		return nil
	})
	return dead, err
}
