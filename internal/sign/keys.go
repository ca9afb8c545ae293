package sign

import (
	"errors"
	"fmt"
	"strings"

	"aead.dev/minisign"
)

// PublicKey is a minisign public key.
type PublicKey struct {
	k minisign.PublicKey
}

// ID returns the key ID as minisign writes it in the first line of a public
// key file ("untrusted comment: minisign public key 896429623E055416").
func (p PublicKey) ID() string { return formatID(p.k.ID()) }

// String returns the key as the one-line base64 string ("RW…") that
// "minisign -P" takes and that is the second line of a public key file.
func (p PublicKey) String() string { return p.k.String() }

// fileContent returns the key as minisign writes a public key file.
func (p PublicKey) fileContent() []byte {
	return []byte("untrusted comment: minisign public key " + p.ID() + "\n" + p.String() + "\n")
}

// formatID formats a key ID as minisign does (KEYNUM_FMT, "%016" PRIX64
// in minisign.h): the little-endian number in 16 hex digits, leading zeros
// kept.
func formatID(id uint64) string { return fmt.Sprintf("%016X", id) }

// ParsePublicKey parses a minisign public key given either as the
// one-line base64 string ("RW…") or as the whole content of a .pub file
// (at most MaxKeyFileBytes, its comment at most MaxUntrustedCommentBytes).
func ParsePublicKey(s string) (PublicKey, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return PublicKey{}, errors.New("empty minisign public key")
	}
	if len(s) > MaxKeyFileBytes {
		return PublicKey{}, fmt.Errorf("not a minisign public key: %d bytes; a key file is at most %d", len(s), MaxKeyFileBytes)
	}
	if msg := commentProblem([]byte(s)); msg != "" {
		return PublicKey{}, fmt.Errorf("not a minisign public key: %s", msg)
	}
	var k minisign.PublicKey
	if err := k.UnmarshalText([]byte(s)); err != nil {
		return PublicKey{}, fmt.Errorf("not a minisign public key (expected a base64 line starting with RW, or the content of a .pub file): %s",
			strings.TrimPrefix(err.Error(), "minisign: "))
	}
	return PublicKey{k}, nil
}

// Keys is a list of trusted public keys.
type Keys []PublicKey

// IDs returns the key IDs, in order, for showing which keys are trusted.
func (ks Keys) IDs() []string {
	ids := make([]string, len(ks))
	for i, k := range ks {
		ids[i] = k.ID()
	}
	return ids
}

// LoadTrusted reads trusted keys. Each entry of list is either a public key
// (the base64 "RW…" line, see ParsePublicKey) or the path of a minisign
// .pub file (a regular file of at most MaxKeyFileBytes, see ReadKeyFile). A key listed twice is kept once. An empty list gives no keys
// and no error; any entry that is neither a key nor a readable .pub file is
// an error naming it.
func LoadTrusted(list []string) (Keys, error) {
	var keys Keys
	seen := make(map[string]bool)
	for _, entry := range list {
		k, err := loadEntry(entry)
		if err != nil {
			return nil, err
		}
		if s := k.String(); !seen[s] {
			seen[s] = true
			keys = append(keys, k)
		}
	}
	return keys, nil
}

// loadEntry reads one entry of a trusted-key list.
func loadEntry(entry string) (PublicKey, error) {
	e := strings.TrimSpace(entry)
	if e == "" {
		return PublicKey{}, errors.New("trusted key: empty entry (give a minisign public key or the path of a .pub file)")
	}
	if k, err := ParsePublicKey(e); err == nil {
		return k, nil
	}
	data, err := ReadKeyFile(e)
	if err != nil {
		if strings.HasPrefix(e, "RW") {
			return PublicKey{}, fmt.Errorf("trusted key %q: not a valid minisign public key, nor a readable .pub file", e)
		}
		return PublicKey{}, fmt.Errorf("trusted key %q: not a minisign public key, nor a readable .pub file: %w", e, err)
	}
	k, err := ParsePublicKey(string(data))
	if err != nil {
		return PublicKey{}, fmt.Errorf("trusted key file %s: %w", e, err)
	}
	return k, nil
}

// IsEncrypted reports whether a secret key file needs a password.
func IsEncrypted(secretKeyFile []byte) bool { return minisign.IsEncrypted(secretKeyFile) }
