package sign

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"aead.dev/minisign"
)

// signWith signs msg with a new key and the given comments.
func signWith(t *testing.T, msg []byte, untrusted, trusted string) (Keys, []byte) {
	t.Helper()
	pub, priv, err := minisign.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ParsePublicKey(pub.String())
	if err != nil {
		t.Fatal(err)
	}
	return Keys{k}, minisign.SignWithComments(priv, msg, trusted, untrusted)
}

func TestCommentLimits(t *testing.T) {
	msg := []byte("pack.json")
	for _, tc := range []struct {
		name               string
		untrusted, trusted int
		want               string // "" verifies
	}{
		{"untrusted at the limit", MaxUntrustedCommentBytes, 10, ""},
		{"untrusted over the limit", MaxUntrustedCommentBytes + 1, 10, "pack.json.minisig is not a minisign signature (its untrusted comment is 1025 bytes long; the limit is 1024)"},
		{"trusted at the limit", 10, MaxTrustedCommentBytes, ""},
		{"trusted over the limit", 10, MaxTrustedCommentBytes + 1, "pack.json.minisig is not a minisign signature (its trusted comment is 8193 bytes long; the limit is 8192)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			keys, sig := signWith(t, msg, strings.Repeat("u", tc.untrusted), strings.Repeat("t", tc.trusted))
			_, err := Verify(keys, msg, sig)
			switch {
			case tc.want == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.want != "" && (err == nil || err.Error() != tc.want || !errors.Is(err, ErrMalformed)):
				t.Fatalf("got %v, want %s", err, tc.want)
			}
		})
	}
}

func TestSignatureFileLimit(t *testing.T) {
	msg := []byte("pack.json")
	keys, sig := signWith(t, msg, "u", "t")
	at := append(sig, bytes.Repeat([]byte("\n"), MaxSignatureFileBytes-len(sig))...)
	if _, err := Verify(keys, msg, at); errors.Is(err, ErrMalformed) && strings.Contains(err.Error(), "bytes; a signature is at most") {
		t.Fatalf("a signature file of %d bytes refused: %v", len(at), err)
	}
	over := append(at, '\n')
	_, err := Verify(keys, msg, over)
	if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), "it is 16385 bytes; a signature is at most 16384") {
		t.Fatalf("a signature file of %d bytes: %v", len(over), err)
	}
}

func TestKeyFileLimits(t *testing.T) {
	dir := t.TempDir()
	pub := goldenPub
	write := func(name string, data string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	at := write("at.pub", pub+strings.Repeat("\n", MaxKeyFileBytes-len(pub)))
	if _, err := LoadTrusted([]string{at}); err != nil {
		t.Fatalf("a key file of %d bytes refused: %v", MaxKeyFileBytes, err)
	}
	over := write("over.pub", pub+strings.Repeat("\n", MaxKeyFileBytes-len(pub)+1))
	if _, err := LoadTrusted([]string{over}); err == nil || !strings.Contains(err.Error(), "larger than 8192 bytes; a minisign key file is much smaller") {
		t.Fatalf("a key file of %d bytes: %v", MaxKeyFileBytes+1, err)
	}
	comment := func(n int) string {
		return "untrusted comment: " + strings.Repeat("c", n) + "\nRWQWVAU+YilkiRMg1vN/mfqBZGF8mYagUtcD2uS6cbeZu49a0NBpaGzD\n"
	}
	if _, err := LoadTrusted([]string{write("c-at.pub", comment(MaxUntrustedCommentBytes))}); err != nil {
		t.Fatalf("a comment of %d bytes refused: %v", MaxUntrustedCommentBytes, err)
	}
	if _, err := LoadTrusted([]string{write("c-over.pub", comment(MaxUntrustedCommentBytes+1))}); err == nil || !strings.Contains(err.Error(), "its untrusted comment is 1025 bytes long; the limit is 1024") {
		t.Fatalf("a comment of %d bytes: %v", MaxUntrustedCommentBytes+1, err)
	}
	if _, err := ParsePublicKey(strings.Repeat("A", MaxKeyFileBytes+1)); err == nil || !strings.Contains(err.Error(), "8193 bytes; a key file is at most 8192") {
		t.Fatalf("a key string of %d bytes: %v", MaxKeyFileBytes+1, err)
	}
}

func TestSecretKeyFileLimit(t *testing.T) {
	if _, err := Sign(bytes.Repeat([]byte("A"), MaxKeyFileBytes+1), "", []byte("m")); err == nil || !strings.Contains(err.Error(), "a key file is at most 8192") {
		t.Fatalf("an oversized secret key: %v", err)
	}
}
