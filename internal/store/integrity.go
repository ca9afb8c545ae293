package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	bolt "go.etcd.io/bbolt"
)

// damageLog remembers the damage this process has found (images by hash,
// pack records by key), so that every listing can mark the packs it hurts
// and each piece of damage is logged once. It is kept in memory only: a
// read never writes to the cache. Check finds everything afresh.
type damageLog struct {
	mu      sync.Mutex
	images  map[string]string // hash → reason
	records map[string]string // pack key → reason
}

// image notes a damaged (or, with reason "", a sound) image; it reports
// whether the damage is news.
func (d *damageLog) image(hash, reason string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.images == nil {
		d.images = map[string]string{}
	}
	if reason == "" {
		delete(d.images, hash)
		return false
	}
	_, known := d.images[hash]
	d.images[hash] = reason
	return !known
}

func (d *damageLog) record(key, reason string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.records == nil {
		d.records = map[string]string{}
	}
	if reason == "" {
		delete(d.records, key)
		return false
	}
	_, known := d.records[key]
	d.records[key] = reason
	return !known
}

func (d *damageLog) imageReason(hash string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.images[hash]
}

// decodeRecord reads the pack record stored under key: its checksum, its
// JSON, and that it names the pack it is stored under.
func decodeRecord(key, v []byte) (rec PackRecord, legacy bool, err error) {
	payload, legacy, err := unseal(key, v)
	if err != nil {
		return rec, false, err
	}
	if err := json.Unmarshal(payload, &rec); err != nil {
		return rec, legacy, fmt.Errorf("the record does not decode: %v", err)
	}
	if rec.ID != string(key) {
		return rec, legacy, fmt.Errorf("the record stored as %q names pack %q", key, rec.ID)
	}
	return rec, legacy, nil
}

// readRecord decodes a pack record and, when it is damaged, logs it (once)
// and returns a DamageError.
func (s *Store) readRecord(key, v []byte) (PackRecord, bool, error) {
	rec, legacy, err := decodeRecord(key, v)
	if err != nil {
		d := &DamageError{Path: s.path, Pack: string(key), Field: "record", Reason: err.Error()}
		if s.damage.record(string(key), d.Reason) {
			s.log.Error("damaged pack record in the cache; import the pack again to repair it", "path", s.path, "pack", string(key), "err", d.Reason)
		}
		return rec, legacy, d
	}
	return rec, legacy, nil
}

// imageDamage names the packs, people and fields that use the damaged image
// hash (looked up only when damage is found), logs it once and returns it.
func (s *Store) imageDamage(tx *bolt.Tx, hash, reason string) *DamageError {
	d := &DamageError{Path: s.path, Image: hash, Reason: reason}
	var users []string
	_ = tx.Bucket(bucketPacks).ForEach(func(k, v []byte) error {
		rec, _, err := decodeRecord(k, v)
		if err != nil {
			return nil
		}
		for _, u := range rec.users(hash) {
			if d.Pack == "" {
				d.Pack, d.Person, d.Field = rec.ID, u.Person, u.Field
			}
			users = append(users, rec.ID+"/"+u.Person+"/"+u.Field)
		}
		return nil
	})
	if s.damage.image(hash, reason) {
		s.log.Error("damaged image in the cache; the show skips it, import its pack again to repair it",
			"path", s.path, "image", hash, "pack", d.Pack, "person", d.Person, "field", d.Field, "used_by", strings.Join(users, ", "), "err", reason)
	}
	return d
}

// ImageUse is one place a pack uses an image: a person and which image.
type ImageUse struct {
	Person string
	Field  string // "display", "master" or "thumb"
	Hash   string
}

// users lists where the record uses hash.
func (r *PackRecord) users(hash string) []ImageUse {
	var out []ImageUse
	for _, u := range r.uses() {
		if u.Hash == hash {
			out = append(out, u)
		}
	}
	return out
}

// uses lists every image the record refers to, sorted by person then field.
func (r *PackRecord) uses() []ImageUse {
	out := make([]ImageUse, 0, 3*len(r.Photos))
	for id, p := range r.Photos {
		out = append(out, ImageUse{id, "display", p.Display.Hash}, ImageUse{id, "master", p.Master.Hash})
		if p.Thumb.Hash != "" {
			out = append(out, ImageUse{id, "thumb", p.Thumb.Hash})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Person != out[j].Person {
			return out[i].Person < out[j].Person
		}
		return out[i].Field < out[j].Field
	})
	return out
}

// DamagedImage is an image of a pack that is damaged or missing.
type DamagedImage struct {
	ImageUse
	Reason string
}

// PackState is one entry of the packs bucket as a listing sees it: the
// record when it can be read, else the key it is stored under and why it
// cannot be read; and the images of the pack known to be damaged.
type PackState struct {
	Key    string      // the key in the cache: the pack id when the record is sound
	Record *PackRecord // nil when the record is damaged
	Reason string      // why the record cannot be read; "" when it can
	Legacy bool        // the record has no checksum yet (written by an older kiosk)
	Images []DamagedImage
}

// Damaged reports whether the record or any of its images is damaged.
func (p PackState) Damaged() bool { return p.Record == nil || len(p.Images) > 0 }

// Summary is one line for the operator: "" for a sound pack, else what is
// damaged, e.g. `damaged: 2 images (person-1 display, person-3 master)`.
func (p PackState) Summary() string {
	if p.Record == nil {
		return "damaged: its record cannot be read (" + p.Reason + ")"
	}
	if len(p.Images) == 0 {
		return ""
	}
	names := make([]string, 0, len(p.Images))
	for i, d := range p.Images {
		if i == 8 {
			names = append(names, fmt.Sprintf("and %d more", len(p.Images)-i))
			break
		}
		names = append(names, d.Person+" "+d.Field)
	}
	return fmt.Sprintf("damaged: %d image(s) (%s)", len(p.Images), strings.Join(names, ", "))
}

// PackStates lists every entry of the packs bucket, sorted by key: a record
// that cannot be read is listed with its key and the reason, never left
// out. Images are marked damaged when this process has found them so (by
// reading them, or by Check); PackStates itself reads no image.
func (s *Store) PackStates() ([]PackState, error) {
	var out []PackState
	err := s.view(func(tx *bolt.Tx) error {
		return tx.Bucket(bucketPacks).ForEach(func(k, v []byte) error {
			out = append(out, s.packState(tx, k, v, nil))
			return nil
		})
	})
	return out, err
}

// packState builds the state of one entry; verify, when not nil, reads and
// checks every image (returning why it is damaged, or "").
func (s *Store) packState(tx *bolt.Tx, k, v []byte, verify func(hash string) string) PackState {
	st := PackState{Key: string(k)}
	rec, legacy, err := s.readRecord(k, v)
	if err != nil {
		var d *DamageError
		if errors.As(err, &d) {
			st.Reason = d.Reason
		} else {
			st.Reason = err.Error()
		}
		return st
	}
	s.damage.record(string(k), "")
	st.Record, st.Legacy = &rec, legacy
	for _, u := range rec.uses() {
		reason := ""
		if verify != nil {
			reason = verify(u.Hash)
			if reason != "" {
				s.imageDamage(tx, u.Hash, reason)
			} else {
				s.damage.image(u.Hash, "")
			}
		} else {
			reason = s.damage.imageReason(u.Hash)
		}
		if reason != "" {
			st.Images = append(st.Images, DamagedImage{ImageUse: u, Reason: reason})
		}
	}
	return st
}

// CheckReport is what Check found.
type CheckReport struct {
	Path       string      // the cache file
	Packs      []PackState // every entry of the packs bucket, sorted by key
	Images     int         // images read and checked
	Unchecked  int         // values without a checksum (old format), read as before
	Structural []error     // faults bbolt's own consistency check found
	Other      []error     // damaged values outside pack records and images
}

// Problems lists everything wrong, one error per damaged record, image or
// page; each damaged value is a DamageError (errors.Is ErrCorrupt).
func (r CheckReport) Problems() []error {
	var out []error
	out = append(out, r.Structural...)
	for _, p := range r.Packs {
		if p.Record == nil {
			out = append(out, &DamageError{Path: r.Path, Pack: p.Key, Field: "record", Reason: p.Reason})
			continue
		}
		for _, d := range p.Images {
			out = append(out, &DamageError{Path: r.Path, Pack: p.Key, Person: d.Person, Field: d.Field, Image: d.Hash, Reason: d.Reason})
		}
	}
	return append(out, r.Other...)
}

// DamagedPacks counts the packs with any damage.
func (r CheckReport) DamagedPacks() int {
	n := 0
	for _, p := range r.Packs {
		if p.Damaged() {
			n++
		}
	}
	return n
}

// OK reports whether nothing is damaged.
func (r CheckReport) OK() bool { return len(r.Problems()) == 0 }

// Check reads every value in the cache and checks it: bbolt's own page
// check, every pack record's checksum and JSON, every image each record
// refers to (present, and its bytes hashing to its key), the recovery
// note and the import-attempt records. What it finds is logged, marked on the packs PackStates lists, and
// returned. It reads only; ctx stops it between values.
func (s *Store) Check(ctx context.Context) (CheckReport, error) {
	rep := CheckReport{Path: s.path}
	err := s.view(func(tx *bolt.Tx) error {
		for err := range tx.Check() {
			rep.Structural = append(rep.Structural, err)
		}
		bb := tx.Bucket(bucketBlobs)
		checked := map[string]string{}
		verify := func(hash string) string {
			if r, ok := checked[hash]; ok {
				return r
			}
			r := ""
			switch v := bb.Get([]byte(hash)); {
			case v == nil:
				r = "the image is missing"
			case HashOf(v) != hash:
				r = "its bytes no longer match its checksum (SHA-256)"
			}
			rep.Images++
			checked[hash] = r
			return r
		}
		err := tx.Bucket(bucketPacks).ForEach(func(k, v []byte) error {
			if err := ctx.Err(); err != nil {
				return err
			}
			st := s.packState(tx, k, v, verify)
			if st.Legacy {
				rep.Unchecked++
			}
			rep.Packs = append(rep.Packs, st)
			return nil
		})
		if err != nil {
			return err
		}
		if v := tx.Bucket(bucketMeta).Get(keyRecovery); v != nil {
			if _, legacy, err := unseal(keyRecovery, v); err != nil {
				rep.Other = append(rep.Other, &DamageError{Path: s.path, Field: "recovery note", Reason: err.Error()})
			} else if legacy {
				rep.Unchecked++
			}
		}
		if b := tx.Bucket(bucketAttempts); b != nil {
			_ = b.ForEach(func(k, v []byte) error {
				if a := s.decodeAttempt(k, v); a.Damage != "" {
					rep.Other = append(rep.Other, &DamageError{Path: s.path, Field: "record of the last import attempt of " + string(k), Reason: a.Damage})
				}
				return nil
			})
		}
		if v := tx.Bucket(bucketMeta).Get(keySchema); !schemaWellFormed(v) {
			rep.Other = append(rep.Other, &DamageError{Path: s.path, Field: "schema", Reason: fmt.Sprintf("the schema mark %q is not a version number", v)})
		}
		return nil
	})
	if n := len(rep.Problems()); n > 0 {
		s.log.Error("the cache check found damage; import the damaged packs again to repair them",
			"path", s.path, "problems", n, "damaged_packs", rep.DamagedPacks())
	}
	return rep, err
}

// schemaWellFormed reports whether the schema mark is a version this
// package could have written: a decimal number from 1 up. Anything else is
// damage, not a newer kiosk's cache.
func schemaWellFormed(v []byte) bool {
	if len(v) == 0 || len(v) > 4 || v[0] == '0' {
		return false
	}
	for _, c := range v {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
