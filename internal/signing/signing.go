// Package signing makes and checks minisign-compatible keys and
// signatures of pack manifests, through aead.dev/minisign (a small,
// maintained implementation of the format; the key derivation and the
// Ed25519/BLAKE2b details are not code to write ourselves). A pack's
// pack.json lists the SHA-256 of every other file, so one signature of
// pack.json covers the whole pack.
package signing

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"aead.dev/minisign"
)

// Sentinel errors of Verify; the messages a person reads wrap them.
var (
	// ErrMalformed means the signature file is not a minisign signature.
	ErrMalformed = errors.New("not a minisign signature")
	// ErrUntrusted means the signature was made by a key the kiosk does not trust.
	ErrUntrusted = errors.New("signed by a key that is not trusted")
	// ErrMismatch means the signature does not match the manifest: it was
	// changed after signing, or the signature was tampered with.
	ErrMismatch = errors.New("signature does not match")
)

// KeyID formats a key ID as minisign prints it.
func KeyID(id uint64) string { return strings.ToUpper(strconv.FormatUint(id, 16)) }

// Keys are the trusted public keys.
type Keys []minisign.PublicKey

// ParsePublicKey reads a public key: the base64 line (RWQ…) or the whole
// content of a minisign .pub file.
func ParsePublicKey(s string) (minisign.PublicKey, error) {
	var key minisign.PublicKey
	line := ""
	for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "untrusted comment:") {
			line = l
		}
	}
	if err := key.UnmarshalText([]byte(line)); err != nil {
		return key, fmt.Errorf("not a minisign public key (want the RWQ… line of a .pub file): %w", err)
	}
	return key, nil
}

// LoadTrusted reads the trusted keys: each entry is a key (RWQ…) or the
// path of a .pub file.
func LoadTrusted(list []string) (Keys, error) {
	var keys Keys
	for _, entry := range list {
		text := entry
		if !strings.HasPrefix(strings.TrimSpace(entry), "RW") {
			data, err := os.ReadFile(entry)
			if err != nil {
				return nil, fmt.Errorf("trusted key %s: %w", entry, err)
			}
			text = string(data)
		}
		key, err := ParsePublicKey(text)
		if err != nil {
			return nil, fmt.Errorf("trusted key %s: %w", entry, err)
		}
		keys = append(keys, key)
	}
	return keys, nil
}

// Verify checks signature (the content of pack.json.minisig) against
// manifest with the trusted keys and returns the ID of the key that made it.
func Verify(keys Keys, manifest, signature []byte) (string, error) {
	var sig minisign.Signature
	if err := sig.UnmarshalText(bytes.TrimSpace(signature)); err != nil {
		return "", fmt.Errorf("pack.json.minisig: %w (%v)", ErrMalformed, err)
	}
	id := KeyID(sig.KeyID)
	for _, k := range keys {
		if k.ID() != sig.KeyID {
			continue
		}
		if !minisign.Verify(k, manifest, signature) {
			return id, fmt.Errorf("pack.json.minisig: %w pack.json (made by key %s; pack.json was changed after signing)", ErrMismatch, id)
		}
		return id, nil
	}
	trusted := make([]string, len(keys))
	for i, k := range keys {
		trusted[i] = KeyID(k.ID())
	}
	return id, fmt.Errorf("pack.json.minisig: %w: key %s (trusted: %s)", ErrUntrusted, id, orNone(trusted))
}

func orNone(ids []string) string {
	if len(ids) == 0 {
		return "none configured"
	}
	return strings.Join(ids, ", ")
}
