package signing

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

var manifest = []byte(`{"format":1,"id":"signed","people":[]}` + "\n")

func minisignTool(t *testing.T) string {
	t.Helper()
	return testpack.NeedTools(t, "minisign")["minisign"]
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestSignaturesOfTheMinisignToolVerify signs with the Debian minisign,
// in its default (pre-hashed) and legacy forms, and verifies here.
func TestSignaturesOfTheMinisignToolVerify(t *testing.T) {
	tool := minisignTool(t)
	dir := t.TempDir()
	pub, sec, file := filepath.Join(dir, "k.pub"), filepath.Join(dir, "k.key"), filepath.Join(dir, "pack.json")
	run(t, tool, "-G", "-W", "-p", pub, "-s", sec)
	if err := os.WriteFile(file, manifest, 0o644); err != nil {
		t.Fatal(err)
	}
	keys, err := LoadTrusted([]string{pub})
	if err != nil {
		t.Fatal(err)
	}
	for _, legacy := range []bool{false, true} {
		args := []string{"-S", "-s", sec, "-m", file}
		if legacy {
			args = append(args, "-l")
		}
		run(t, tool, args...)
		sig, err := os.ReadFile(file + ".minisig")
		if err != nil {
			t.Fatal(err)
		}
		id, err := Verify(keys, manifest, sig)
		if err != nil {
			t.Fatalf("legacy=%v: a signature made by minisign was refused: %v", legacy, err)
		}
		if !strings.Contains(run(t, "cat", pub), id) {
			t.Fatalf("key ID %s is not the one minisign printed in %s", id, pub)
		}
	}
	// And our signer with minisign's own secret key (not encrypted).
	key, err := LoadSecret(sec, "")
	if err != nil {
		t.Fatal(err)
	}
	sig, err := Sign(key, manifest)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(keys, manifest, sig); err != nil {
		t.Fatal(err)
	}
}

// TestKioskSignaturesVerifyWithMinisign makes keys and a signature here,
// with and without a password, and has the Debian minisign verify them.
func TestKioskSignaturesVerifyWithMinisign(t *testing.T) {
	tool := minisignTool(t)
	for _, password := range []string{"", "correct horse"} {
		dir := t.TempDir()
		pub, sec, file := filepath.Join(dir, "k.pub"), filepath.Join(dir, "k.key"), filepath.Join(dir, "pack.json")
		id, err := Keygen(sec, pub, password)
		if err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(sec); err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("secret key file mode %v, %v; want 0600", fi.Mode(), err)
		}
		if _, err := Keygen(sec, pub, password); err == nil {
			t.Fatal("Keygen overwrote an existing key")
		}
		key, err := LoadSecret(sec, password)
		if err != nil {
			t.Fatal(err)
		}
		sig, err := Sign(key, manifest)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, manifest, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file+".minisig", sig, 0o644); err != nil {
			t.Fatal(err)
		}
		out := run(t, tool, "-V", "-p", pub, "-m", file)
		if !strings.Contains(out, "Signature and comment signature verified") {
			t.Fatalf("minisign -V says: %s", out)
		}
		if !strings.Contains(run(t, "cat", pub), id) {
			t.Fatalf("key ID %s missing from the public key file", id)
		}
		if password != "" {
			if _, err := LoadSecret(sec, "wrong"); err == nil || !strings.Contains(err.Error(), "wrong password") {
				t.Fatalf("a wrong password: %v", err)
			}
			if _, err := LoadSecret(sec, ""); err == nil || !strings.Contains(err.Error(), "encrypted") {
				t.Fatalf("no password for an encrypted key: %v", err)
			}
		}
	}
}

// TestTamperingIsRefusedWithTheReason covers a changed manifest, an
// untrusted key and a broken signature file.
func TestTamperingIsRefusedWithTheReason(t *testing.T) {
	dir := t.TempDir()
	if _, err := Keygen(filepath.Join(dir, "a.key"), filepath.Join(dir, "a.pub"), ""); err != nil {
		t.Fatal(err)
	}
	otherID, err := Keygen(filepath.Join(dir, "b.key"), filepath.Join(dir, "b.pub"), "")
	if err != nil {
		t.Fatal(err)
	}
	trusted, err := LoadTrusted([]string{filepath.Join(dir, "a.pub")})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := LoadSecret(filepath.Join(dir, "a.key"), "")
	b, _ := LoadSecret(filepath.Join(dir, "b.key"), "")
	sigA, _ := Sign(a, manifest)
	sigB, _ := Sign(b, manifest)
	changed := append([]byte(nil), manifest...)
	changed[5] ^= 1

	cases := []struct {
		name      string
		manifest  []byte
		sig       []byte
		want      error
		wantInMsg string
	}{
		{"changed manifest", changed, sigA, ErrMismatch, "changed after signing"},
		{"untrusted key", manifest, sigB, ErrUntrusted, otherID},
		{"garbage", manifest, []byte("hello\nworld\n"), ErrMalformed, "pack.json.minisig"},
		{"cut short", manifest, sigA[:len(sigA)/2], ErrMalformed, "pack.json.minisig"},
	}
	for _, tc := range cases {
		_, err := Verify(trusted, tc.manifest, tc.sig)
		if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.wantInMsg) {
			t.Errorf("%s: got %v, want %v mentioning %q", tc.name, err, tc.want, tc.wantInMsg)
		}
	}
	if _, err := Verify(trusted, manifest, sigA); err != nil {
		t.Fatalf("the untouched pack was refused: %v", err)
	}
	if _, err := LoadTrusted([]string{"RWQnot-a-key"}); err == nil {
		t.Fatal("a malformed trusted key was accepted")
	}
}
