package sign

import (
	"errors"
	"strings"
	"testing"
)

// FuzzVerify feeds arbitrary signature files and manifests to Verify and
// ParsePublicKey (a pack's pack.json.minisig and a kiosk's trusted_key are
// outside input): they must never panic, a signature that verifies must
// be over the golden message, and any failure must be one of the three
// kinds an operator is told about.
func FuzzVerify(f *testing.F) {
	f.Add([]byte(goldenHashed), []byte(goldenMsg), goldenPub)
	f.Add([]byte(goldenLegacy), []byte(goldenMsg), goldenPub)
	f.Add([]byte(goldenHashed[:40]), []byte("x"), "RW")
	f.Add([]byte("untrusted comment: x\n\n\n"), []byte{}, "untrusted comment:\n")
	f.Add([]byte("untrusted comment: "+strings.Repeat("c", MaxUntrustedCommentBytes+1)+"\n"+goldenHashed[strings.IndexByte(goldenHashed, '\n')+1:]), []byte(goldenMsg), goldenPub)
	f.Add([]byte(strings.Repeat("\n", MaxSignatureFileBytes+1)), []byte(goldenMsg), strings.Repeat("A", MaxKeyFileBytes+1))
	f.Fuzz(func(t *testing.T, sig, msg []byte, pub string) {
		_, _ = ParsePublicKey(pub)
		keys, err := LoadTrusted([]string{goldenPub})
		if err != nil {
			t.Fatal(err)
		}
		_, err = Verify(keys, msg, sig)
		if err == nil {
			if string(msg) != goldenMsg {
				t.Fatalf("a signature verified for a message that was never signed: %q", msg)
			}
			return
		}
		if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUntrusted) && !errors.Is(err, ErrMismatch) {
			t.Fatalf("an error of no known kind: %v", err)
		}
	})
}
