package hostile

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"aead.dev/minisign"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/sign"
)

// keys are the corpus's own signing keys, the same on every run, so the
// committed signatures stay valid.
func keys(seed string) (minisign.PublicKey, minisign.PrivateKey) {
	var s [32]byte
	copy(s[:], seed)
	pub, priv, err := minisign.GenerateKey(rand.NewChaCha8(s))
	if err != nil {
		panic(err)
	}
	return pub, priv
}

// TrustedKey is the public key, as the one-line "RW…" string, that signs
// the corpus's signed packs.
func TrustedKey() string {
	pub, _ := keys("hostile corpus")
	return pub.String()
}

// signed is a pack folder with pack.json and a signature of it made with
// the given comments, then passed through edit.
func signed(name string, exit int, want, avoid, untrusted, trusted string, edit func(sig []byte) []byte) Case {
	return Case{
		Name: name, Command: Verify, Args: []string{"--trusted-key", TrustedKey(), "$D/" + name},
		Exit: exit, Want: want, Avoid: avoid,
		write: func(dir string) error {
			_, priv := keys("hostile corpus")
			m := manifest("", person(0, ""))
			sig := minisign.SignWithComments(priv, m, trusted, untrusted)
			if edit != nil {
				sig = edit(sig)
			}
			return files(name, map[string][]byte{pack.ManifestFile: m, pack.SignatureFile: sig})(dir)
		},
	}
}

// keyCase is a pack folder checked with a trusted key file: path is the
// key file's, $D/name.pub when data is not nil.
func keyCase(name string, exit int, want, path string, data func() []byte) Case {
	if path == "" {
		path = "$D/" + name + ".pub"
	}
	return Case{
		Name: name, Command: Verify, Args: []string{"--trusted-key", path, "$D/" + name},
		Exit: exit, Want: want,
		write: func(dir string) error {
			if err := files(name, map[string][]byte{pack.ManifestFile: manifest("", person(0, ""))})(dir); err != nil {
				return err
			}
			if data == nil {
				return nil
			}
			return os.WriteFile(filepath.Join(dir, name+".pub"), data(), 0o644)
		},
	}
}

func signatureCases() []Case {
	const untrusted, trusted = "signature from minisign secret key", "timestamp:1716163200\tfile:pack.json"
	pub, _ := keys("hostile corpus")
	pubFile := func(comment string) []byte {
		return []byte("untrusted comment: " + comment + "\n" + pub.String() + "\n")
	}
	comment := func(prefix string, n int) string { return prefix + strings.Repeat("c", n-len(prefix)) }
	cs := []Case{
		signed("sig-valid", 0, "", "", untrusted, trusted, nil),
		signed("sig-untrusted-comment-at-limit", 0, "", "", comment("", sign.MaxUntrustedCommentBytes), trusted, nil),
		signed("sig-untrusted-comment-over-limit", 1, fmt.Sprintf("its untrusted comment is %d bytes long; the limit is %d", sign.MaxUntrustedCommentBytes+1, sign.MaxUntrustedCommentBytes), "",
			comment("", sign.MaxUntrustedCommentBytes+1), trusted, nil),
		signed("sig-trusted-comment-at-limit", 0, "", "", untrusted, comment("timestamp:1716163200", sign.MaxTrustedCommentBytes), nil),
		signed("sig-trusted-comment-over-limit", 1, fmt.Sprintf("its trusted comment is %d bytes long; the limit is %d", sign.MaxTrustedCommentBytes+1, sign.MaxTrustedCommentBytes), "",
			untrusted, comment("timestamp:1716163200", sign.MaxTrustedCommentBytes+1), nil),
		signed("sig-file-over-limit", 1, fmt.Sprintf("pack.json.minisig: larger than the limit of %d bytes", pack.MaxSignatureBytes), "", untrusted, trusted, func(sig []byte) []byte {
			return append(sig, bytes.Repeat([]byte("\n"), pack.MaxSignatureBytes+1-len(sig))...)
		}),
		signed("sig-one-long-line", 1, "is not a minisign signature", "", untrusted, trusted, func([]byte) []byte {
			return bytes.Repeat([]byte("A"), pack.MaxSignatureBytes)
		}),
		signed("sig-binary", 1, "is not a minisign signature", "", untrusted, trusted, func([]byte) []byte {
			b := make([]byte, 4096)
			for i := range b {
				b[i] = byte(i*31 + 7)
			}
			return b
		}),
		signed("sig-tampered", 1, "signature does not match pack.json", "", untrusted, trusted, func(sig []byte) []byte {
			_, priv := keys("hostile corpus")
			return minisign.SignWithComments(priv, []byte("another manifest"), trusted, untrusted)
		}),
		signed("sig-other-key", 1, "not among the trusted keys", "", untrusted, trusted, func([]byte) []byte {
			_, other := keys("another key")
			return minisign.SignWithComments(other, manifest("", person(0, "")), trusted, untrusted)
		}),
		keyCase("key-valid", 0, "", "", func() []byte { return pubFile("minisign public key") }),
		keyCase("key-file-over-limit", 1, fmt.Sprintf("larger than %d bytes", sign.MaxKeyFileBytes), "", func() []byte {
			return append(pubFile("minisign public key"), bytes.Repeat([]byte("\n"), sign.MaxKeyFileBytes)...)
		}),
		keyCase("key-comment-over-limit", 1, fmt.Sprintf("its untrusted comment is %d bytes long; the limit is %d", sign.MaxUntrustedCommentBytes+1, sign.MaxUntrustedCommentBytes), "", func() []byte {
			return pubFile(strings.Repeat("c", sign.MaxUntrustedCommentBytes+1))
		}),
		keyCase("key-binary", 1, "not a minisign public key", "", func() []byte {
			b := make([]byte, 4096)
			for i := range b {
				b[i] = byte(i*17 + 5)
			}
			return b
		}),
		keyCase("key-dev-zero", 1, "not a regular file", "/dev/zero", nil),
	}
	pipe := keyCase("key-pipe", 1, "not a regular file", "$D/key-pipe.pub", nil)
	write := pipe.write
	pipe.write = func(dir string) error {
		if err := write(dir); err != nil {
			return err
		}
		return mkfifo(filepath.Join(dir, "key-pipe.pub"))
	}
	return append(cs, pipe)
}
