package sign

import (
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"aead.dev/minisign"
	"golang.org/x/crypto/blake2b"
)

// ErrMalformed is returned by Verify when the signature is not a minisign
// signature file at all.
var ErrMalformed = errors.New("pack.json.minisig is not a minisign signature")

// ErrUntrusted is returned (wrapped, with the key ID) by Verify when the
// signature was made by a key that is not among the trusted keys.
var ErrUntrusted = errors.New("not among the trusted keys")

// ErrMismatch is returned (wrapped) by Verify when the signature claims a
// trusted key but does not verify: pack.json, or the signature's trusted
// comment, was changed after signing, or the signature is forged.
var ErrMismatch = errors.New("signature does not match pack.json (the manifest was changed after signing)")

// mismatchError is a mismatch with a more precise message than ErrMismatch.
type mismatchError struct{ msg string }

func (e mismatchError) Error() string        { return e.msg }
func (e mismatchError) Is(target error) bool { return target == ErrMismatch }

// Verify checks signature, the content of pack.json.minisig, against
// manifest, the bytes of pack.json, with the trusted keys. Both legacy (Ed)
// and prehashed (ED) signatures are accepted, and the signed trusted
// comment is checked too. It returns the ID of the key that verified.
//
// Verify does not decide whether an unsigned pack is acceptable: that is
// the caller's business, and Verify is to be called only when there is a
// signature. Its errors match, with errors.Is, ErrMalformed, ErrUntrusted
// (naming the key ID the signature claims) or ErrMismatch.
//
// A signature file larger than MaxSignatureFileBytes, or with a comment
// longer than MaxUntrustedCommentBytes or MaxTrustedCommentBytes, is
// malformed.
func Verify(keys Keys, manifest, signature []byte) (keyID string, err error) {
	if len(signature) > MaxSignatureFileBytes {
		return "", fmt.Errorf("%w (it is %d bytes; a signature is at most %d)", ErrMalformed, len(signature), MaxSignatureFileBytes)
	}
	if msg := commentProblem(signature); msg != "" {
		return "", fmt.Errorf("%w (%s)", ErrMalformed, msg)
	}
	var s minisign.Signature
	if err := s.UnmarshalText(signature); err != nil {
		return "", fmt.Errorf("%w (%s)", ErrMalformed, strings.TrimPrefix(err.Error(), "minisign: "))
	}
	id := formatID(s.KeyID)
	var candidates Keys
	for _, k := range keys {
		if k.k.ID() == s.KeyID {
			candidates = append(candidates, k)
		}
	}
	if len(candidates) == 0 {
		why := ""
		if len(keys) == 0 {
			why = " (no trusted keys are configured)"
		}
		return "", fmt.Errorf("pack.json.minisig: signed by key ID %s, which is %w%s", id, ErrUntrusted, why)
	}
	for _, k := range candidates {
		if minisign.Verify(k.k, manifest, signature) {
			return id, nil
		}
	}
	for _, k := range candidates {
		if messageVerifies(k, &s, manifest) {
			return "", mismatchError{"pack.json.minisig: the signature's trusted comment was changed after signing"}
		}
	}
	return "", fmt.Errorf("pack.json.minisig: %w", ErrMismatch)
}

// messageVerifies reports whether the signature of the message alone
// verifies, leaving out the trusted comment's signature, to tell a changed
// comment from a changed message.
func messageVerifies(k PublicKey, s *minisign.Signature, msg []byte) bool {
	raw, err := base64.StdEncoding.DecodeString(k.String())
	if err != nil || len(raw) != 10+ed25519.PublicKeySize {
		return false
	}
	if s.Algorithm == minisign.HashEdDSA {
		h := blake2b.Sum512(msg)
		msg = h[:]
	}
	return ed25519.Verify(ed25519.PublicKey(raw[10:]), msg, s.Signature[:])
}
