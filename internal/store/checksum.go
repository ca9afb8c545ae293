package store

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// Integrity of stored values.
//
// bbolt checks its page structure, never the bytes of a value: a flipped bit
// inside a value goes unnoticed by its consistency check. Every value this
// package writes therefore carries a checksum of its own, checked on every
// read:
//
//   - Images (the blobs bucket) are content-addressed: the key is the
//     SHA-256 of the value, so the key is the value's checksum. Every read
//     (Blob, Check, and an import deciding whether an image must be written)
//     hashes the bytes and compares. Blob values carry no framing, so caches
//     made before checksums existed need no change.
//   - Every other value (pack records with their manifests, the recovery
//     note) is sealed: a 4-byte mark, a CRC-32C (Castagnoli) of the key and
//     the payload, then the payload. CRC-32C is in the standard library, runs
//     in hardware on amd64 (SSE4.2) and arm64 (the Raspberry Pi's CRC
//     instructions), finds every error burst of up to 32 bits and lets random
//     damage through with a probability of 2^-32. The key is covered too, so
//     a record whose key was damaged is not taken for another pack's.
//     Collisions made on purpose are out of scope: whoever can write the
//     cache file can write anything.
//   - The schema mark ("1") stays as it always was, so that an older kiosk
//     still reads the version; a mark that is not a number is damage.
//
// Old caches: a record or note written before checksums existed (JSON,
// beginning with '{') is read as before, without an integrity guarantee,
// and counted as unchecked by Check; it is not migrated when the cache is
// opened (opening never writes) but rewritten with a checksum the next time
// its pack is imported. Anything else that lacks the mark is damage.

// sealMark starts every sealed value: a NUL (JSON never starts with one)
// then "ck" and the format version.
var sealMark = []byte{0, 'c', 'k', 1}

const sealHeader = 8 // mark (4) + CRC-32C (4)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func sealSum(key, payload []byte) uint32 {
	c := crc32.Update(0, castagnoli, key)
	c = crc32.Update(c, castagnoli, []byte{0})
	return crc32.Update(c, castagnoli, payload)
}

// seal frames payload stored under key with its checksum.
func seal(key, payload []byte) []byte {
	out := make([]byte, sealHeader, sealHeader+len(payload))
	copy(out, sealMark)
	binary.BigEndian.PutUint32(out[4:], sealSum(key, payload))
	return append(out, payload...)
}

// unseal checks a value read under key and returns its payload (aliasing v).
// A value in the old format is returned whole with legacy set; a value that
// fails its checksum is an error saying why (without the sentinel: callers
// wrap it in a DamageError).
func unseal(key, v []byte) (payload []byte, legacy bool, err error) {
	switch {
	case len(v) > 0 && v[0] == '{':
		return v, true, nil
	case len(v) < sealHeader || !bytes.Equal(v[:4], sealMark):
		return nil, false, fmt.Errorf("the value (%d bytes) has no checksum mark", len(v))
	}
	payload = v[sealHeader:]
	want, got := binary.BigEndian.Uint32(v[4:]), sealSum(key, payload)
	if want != got {
		return nil, false, fmt.Errorf("checksum mismatch (stored %08x, bytes give %08x)", want, got)
	}
	return payload, false, nil
}

// DamageError is a stored value that failed its checksum, or an image a
// pack refers to that is missing. It names what is known: the cache file,
// the pack, the person, which image (display, master, thumb) and its hash.
// errors.Is(err, ErrCorrupt) holds for every DamageError.
type DamageError struct {
	Path   string // the cache file
	Pack   string // the pack id, or the key of an unreadable pack record
	Person string // the person whose image it is, when known
	Field  string // "display", "master", "thumb", "record", "recovery note", "schema"
	Image  string // the image's hash, for images
	Reason string // what is wrong
}

// Error names the file, pack, person and field.
func (e *DamageError) Error() string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s", e.Path)
	if e.Pack != "" {
		fmt.Fprintf(&b, ": pack %q", e.Pack)
	}
	if e.Person != "" {
		fmt.Fprintf(&b, ", person %q", e.Person)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, ", %s", e.Field)
	}
	if e.Image != "" {
		fmt.Fprintf(&b, " image %s", e.Image)
	}
	fmt.Fprintf(&b, ": %v: %s", ErrCorrupt, e.Reason)
	return b.String()
}

// Unwrap makes every DamageError an ErrCorrupt.
func (e *DamageError) Unwrap() error { return ErrCorrupt }
