package store

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"
)

func TestSealRoundTripAndEveryFlippedBitIsFound(t *testing.T) {
	key, payload := []byte("alpha"), []byte(`{"id":"alpha","version":"1"}`)
	v := seal(key, payload)
	got, legacy, err := unseal(key, v)
	if err != nil || legacy || !bytes.Equal(got, payload) {
		t.Fatalf("unseal(seal) = %q, %v, %v", got, legacy, err)
	}
	for bit := 0; bit < 8*len(v); bit++ {
		w := bytes.Clone(v)
		w[bit/8] ^= 1 << (bit % 8)
		if p, legacy, err := unseal(key, w); err == nil && !legacy {
			t.Fatalf("bit %d flipped: unseal returned %q without error", bit, p)
		} else if legacy {
			// Only a flip that turns the mark's NUL into '{' looks like the
			// old format; the bytes after it are then no JSON record.
			if _, _, err := decodeRecord(key, w); err == nil {
				t.Fatalf("bit %d flipped: read as an old-format record", bit)
			}
		}
	}
	if _, _, err := unseal([]byte("alphb"), v); err == nil {
		t.Error("a value under a damaged key passed its checksum")
	}
}

// putRaw writes a value behind the store's back.
func putRaw(t *testing.T, s *Store, bucket, key, val []byte) {
	t.Helper()
	if err := s.db.Update(func(tx *bolt.Tx) error { return tx.Bucket(bucket).Put(key, val) }); err != nil {
		t.Fatal(err)
	}
}

func getRaw(t *testing.T, s *Store, bucket, key []byte) []byte {
	t.Helper()
	var out []byte
	_ = s.db.View(func(tx *bolt.Tx) error {
		out = bytes.Clone(tx.Bucket(bucket).Get(key))
		return nil
	})
	return out
}

// An old cache (records as bare JSON) is read as before, counted as
// unchecked, and gets its checksum at the next import of the pack.
func TestOldFormatRecordIsReadAndRewrittenByTheNextImport(t *testing.T) {
	s := mustOpen(t, "")
	rec, blobs := fakePack("alpha", "1", 2, "v1")
	if err := s.Import(rec, blobs); err != nil {
		t.Fatal(err)
	}
	old, _ := json.Marshal(rec)
	putRaw(t, s, bucketPacks, []byte("alpha"), old)
	putRaw(t, s, bucketMeta, keySchema, []byte("1"))
	path := s.Path()
	_ = s.Close()
	s = mustOpen(t, path) // a cache of schema 1 opens, and opening writes nothing
	if v := getRaw(t, s, bucketMeta, keySchema); string(v) != "1" {
		t.Fatalf("opening changed the schema mark to %q", v)
	}
	got, err := s.Pack("alpha")
	if err != nil || got.Version != "1" || len(got.Photos) != 2 {
		t.Fatalf("old-format record: %+v, %v", got, err)
	}
	rep, err := s.Check(context.Background())
	if err != nil || !rep.OK() || rep.Unchecked != 1 {
		t.Fatalf("check of an old-format record: unchecked %d, problems %v, %v", rep.Unchecked, rep.Problems(), err)
	}
	if err := s.Import(rec, blobs); err != nil {
		t.Fatal(err)
	}
	if v := getRaw(t, s, bucketPacks, []byte("alpha")); !bytes.HasPrefix(v, sealMark) {
		t.Fatalf("the re-import left the record without a checksum: %q", v[:min(len(v), 12)])
	}
	if v := getRaw(t, s, bucketMeta, keySchema); string(v) != fmt.Sprint(SchemaVersion) {
		t.Errorf("schema mark after the import: %q, want %d", v, SchemaVersion)
	}
	if rep, _ := s.Check(context.Background()); rep.Unchecked != 0 || !rep.OK() {
		t.Errorf("after the re-import: unchecked %d, problems %v", rep.Unchecked, rep.Problems())
	}
}

func TestDamagedRecordIsListedWithKeyAndReasonAndRepairedByImport(t *testing.T) {
	s := mustOpen(t, "")
	for _, id := range []string{"alpha", "beta"} {
		rec, blobs := fakePack(id, "1", 2, id)
		if err := s.Import(rec, blobs); err != nil {
			t.Fatal(err)
		}
	}
	v := getRaw(t, s, bucketPacks, []byte("beta"))
	v[len(v)-20] ^= 0x04 // a flip inside the JSON that still decodes
	putRaw(t, s, bucketPacks, []byte("beta"), v)

	if ids := packIDs(t, s); fmt.Sprint(ids) != "[alpha]" {
		t.Errorf("Packs (what the show plays) = %v, want only the sound pack", ids)
	}
	_, err := s.Pack("beta")
	var d *DamageError
	if !errors.As(err, &d) || !errors.Is(err, ErrCorrupt) || d.Pack != "beta" || d.Field != "record" || !strings.Contains(err.Error(), s.Path()) {
		t.Fatalf("Pack(beta) = %v, want a DamageError naming the file, pack and field", err)
	}
	states, err := s.PackStates()
	if err != nil || len(states) != 2 {
		t.Fatalf("PackStates: %v, %v; want both entries", states, err)
	}
	if b := states[1]; b.Key != "beta" || b.Record != nil || !strings.Contains(b.Summary(), "checksum") {
		t.Errorf("the damaged entry: key %q record %v summary %q", b.Key, b.Record, b.Summary())
	}
	rep, _ := s.Check(context.Background())
	if rep.DamagedPacks() != 1 || len(rep.Problems()) != 1 {
		t.Errorf("Check: %d damaged packs, problems %v", rep.DamagedPacks(), rep.Problems())
	}
	// A damaged record keeps every image: its references are unknown.
	rec, blobs := fakePack("alpha", "2", 1, "alpha2")
	if err := s.Import(rec, blobs); err != nil {
		t.Fatal(err)
	}
	if n := blobCount(t, s); n != 4+2+4 {
		t.Errorf("%d images after an import beside a damaged record, want all 10 kept (nothing freed)", n)
	}
	rec, blobs = fakePack("beta", "1", 2, "beta")
	if err := s.Import(rec, blobs); err != nil {
		t.Fatal(err)
	}
	if rep, _ := s.Check(context.Background()); !rep.OK() || len(rep.Packs) != 2 {
		t.Errorf("after re-importing beta: %v", rep.Problems())
	}
	if n := blobCount(t, s); n != 2+4 {
		t.Errorf("%d images once every record is sound, want alpha's 2 and beta's 4", n)
	}
}

func TestRecordUnderADamagedKeyIsReplacedByTheReimport(t *testing.T) {
	s := mustOpen(t, "")
	rec, blobs := fakePack("alpha", "1", 2, "v1")
	if err := s.Import(rec, blobs); err != nil {
		t.Fatal(err)
	}
	v := getRaw(t, s, bucketPacks, []byte("alpha"))
	if err := s.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketPacks)
		if err := b.Delete([]byte("alpha")); err != nil {
			return err
		}
		return b.Put([]byte("alpHa"), v)
	}); err != nil {
		t.Fatal(err)
	}
	states, _ := s.PackStates()
	if len(states) != 1 || states[0].Key != "alpHa" || states[0].Record != nil {
		t.Fatalf("a record under a damaged key: %+v", states)
	}
	if err := s.Import(rec, blobs); err != nil {
		t.Fatal(err)
	}
	states, _ = s.PackStates()
	if len(states) != 1 || states[0].Key != "alpha" || states[0].Damaged() {
		t.Errorf("after the re-import: %+v, want alpha alone and sound", states)
	}
}

func TestDamagedImageNamesPackPersonAndFieldAndIsRepaired(t *testing.T) {
	s := mustOpen(t, "")
	rec, blobs := fakePack("alpha", "1", 3, "v1")
	if err := s.Import(rec, blobs); err != nil {
		t.Fatal(err)
	}
	h := rec.Photos["person-1"].Master.Hash
	v := getRaw(t, s, bucketBlobs, []byte(h))
	v[100] ^= 0x20
	putRaw(t, s, bucketBlobs, []byte(h), v)

	_, err := s.Blob(h)
	var d *DamageError
	if !errors.As(err, &d) || d.Pack != "alpha" || d.Person != "person-1" || d.Field != "master" || d.Image != h {
		t.Fatalf("Blob of a damaged image: %v", err)
	}
	if _, err := s.Blob(rec.Photos["person-2"].Master.Hash); err != nil {
		t.Errorf("a sound image of the same pack: %v", err)
	}
	// The read marked the pack; a listing says so without reading images.
	states, _ := s.PackStates()
	if len(states) != 1 || !strings.Contains(states[0].Summary(), "damaged: 1 image(s) (person-1 master)") {
		t.Errorf("listing after the read: %q", states[0].Summary())
	}
	if err := s.Import(rec, blobs); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Blob(h); err != nil {
		t.Errorf("after the re-import: %v", err)
	}
	if states, _ := s.PackStates(); states[0].Damaged() {
		t.Errorf("still marked damaged after the repair: %q", states[0].Summary())
	}
}

func TestDamagedSchemaMarkIsReadAsCurrentAndRewritten(t *testing.T) {
	s := mustOpen(t, "")
	rec, blobs := fakePack("alpha", "1", 1, "v1")
	if err := s.Import(rec, blobs); err != nil {
		t.Fatal(err)
	}
	putRaw(t, s, bucketMeta, keySchema, []byte("q"))
	path := s.Path()
	_ = s.Close()
	s = mustOpen(t, path)
	if ids := packIDs(t, s); fmt.Sprint(ids) != "[alpha]" {
		t.Fatalf("packs %v", ids)
	}
	rep, _ := s.Check(context.Background())
	if len(rep.Other) != 1 || !errors.Is(rep.Other[0], ErrCorrupt) {
		t.Errorf("Check of a damaged schema mark: %v", rep.Other)
	}
	if err := s.Import(rec, blobs); err != nil {
		t.Fatal(err)
	}
	if v := getRaw(t, s, bucketMeta, keySchema); string(v) != fmt.Sprint(SchemaVersion) {
		t.Errorf("schema mark after the import: %q", v)
	}
}
