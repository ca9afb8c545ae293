package sign

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"aead.dev/minisign"
	"golang.org/x/crypto/blake2b"
	"golang.org/x/crypto/scrypt"
)

// Made by minisign 0.11 (Debian): "minisign -G -W", then "minisign -Sm f"
// (prehashed) and "minisign -Sl -m f" (legacy) of f containing "hello\n".
const (
	goldenPub = "untrusted comment: minisign public key 896429623E055416\n" +
		"RWQWVAU+YilkiRMg1vN/mfqBZGF8mYagUtcD2uS6cbeZu49a0NBpaGzD\n"
	goldenID     = "896429623E055416"
	goldenMsg    = "hello\n"
	goldenHashed = "untrusted comment: signature from minisign secret key\n" +
		"RUQWVAU+YilkifFb5dfi7SFIzewj+1REjZwtq5feDW1/UpEAibuH+NAvDMo55unHJ9VQH3S3pnI4rHrc1IURnvyohPeVPpmpTwY=\n" +
		"trusted comment: timestamp:1795587130\tfile:f\thashed\n" +
		"pImU1w3J2oYzkyvEBeY2/puAdkEjLvTo8gJD+SsoWKCFORKy6w/8/AzdHNQ3yKbv1TAptjNe91drFSrnAK5lBw==\n"
	goldenLegacy = "untrusted comment: signature from minisign secret key\n" +
		"RWQWVAU+YilkiULoGpdM4Cmad53Ds/mVr3dOUm+djmEeRH8hl0Q9qmZYX/rB5fuJRHccLURrNuAnQ9MqLk0Pahp/LYYtnHy1awk=\n" +
		"trusted comment: timestamp:1795587130\tfile:f\n" +
		"xpDWM62U9pcdWACM+GA6R9VlO91v3dinMvQNdviA3oSSLxKj8e7Oh+Cxom2ynEspHsIk5vl2DNeG8RY/NjpYAQ==\n"
)

const (
	msgMismatch  = "pack.json.minisig: signature does not match pack.json (the manifest was changed after signing)"
	msgMalformed = "pack.json.minisig is not a minisign signature"
)

func mustKeys(t *testing.T, entries ...string) Keys {
	t.Helper()
	keys, err := LoadTrusted(entries)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// algorithm returns the algorithm of a signature file.
func algorithm(t *testing.T, sig []byte) uint16 {
	t.Helper()
	var s minisign.Signature
	if err := s.UnmarshalText(sig); err != nil {
		t.Fatalf("not a signature: %v\n%s", err, sig)
	}
	return s.Algorithm
}

func TestGoldenSignaturesFromMinisign(t *testing.T) {
	keys := mustKeys(t, goldenPub)
	if got := keys.IDs(); len(got) != 1 || got[0] != goldenID {
		t.Fatalf("IDs() = %v, want [%s]", got, goldenID)
	}
	for name, sig := range map[string]string{"prehashed": goldenHashed, "legacy": goldenLegacy} {
		t.Run(name, func(t *testing.T) {
			id, err := Verify(keys, []byte(goldenMsg), []byte(sig))
			if err != nil || id != goldenID {
				t.Fatalf("Verify = %q, %v; want %s, nil", id, err, goldenID)
			}
			// CRLF line endings, as after a trip through Windows.
			crlf := strings.ReplaceAll(sig, "\n", "\r\n")
			if _, err := Verify(keys, []byte(goldenMsg), []byte(crlf)); err != nil {
				t.Errorf("CRLF signature: %v", err)
			}
			_, err = Verify(keys, []byte("hellO\n"), []byte(sig))
			if !errors.Is(err, ErrMismatch) || err.Error() != msgMismatch {
				t.Errorf("changed message: err = %v, want %q", err, msgMismatch)
			}
		})
	}
	if algorithm(t, []byte(goldenHashed)) != minisign.HashEdDSA || algorithm(t, []byte(goldenLegacy)) != minisign.EdDSA {
		t.Fatal("golden signatures are not of the expected algorithms")
	}
}

func TestVerifyErrors(t *testing.T) {
	dir := t.TempDir()
	sec, pub := filepath.Join(dir, "k.sec"), filepath.Join(dir, "k.pub")
	if _, err := Keygen(sec, pub, ""); err != nil {
		t.Fatal(err)
	}
	secData, err := os.ReadFile(sec)
	if err != nil {
		t.Fatal(err)
	}
	key, err := loadSecretKey(secData, "")
	if err != nil {
		t.Fatal(err)
	}
	keys := mustKeys(t, pub)
	manifest := []byte(`{"format":1,"people":[]}` + "\n")

	for _, hashed := range []bool{true, false} {
		sig := sign(key, manifest, "pack.json", hashed)
		if id, err := Verify(keys, manifest, sig); err != nil || id != keys[0].ID() {
			t.Fatalf("hashed=%v: Verify = %q, %v", hashed, id, err)
		}
		// Every single changed byte of the manifest is caught.
		for i := range manifest {
			changed := bytes.Clone(manifest)
			changed[i] ^= 0x01
			_, err := Verify(keys, changed, sig)
			if !errors.Is(err, ErrMismatch) || err.Error() != msgMismatch {
				t.Fatalf("hashed=%v, byte %d changed: err = %v", hashed, i, err)
			}
		}
		if _, err := Verify(keys, append(bytes.Clone(manifest), ' '), sig); !errors.Is(err, ErrMismatch) {
			t.Errorf("hashed=%v, byte appended: err = %v", hashed, err)
		}
		// A changed trusted comment is caught and told apart.
		forged := bytes.Replace(sig, []byte("file:pack.json"), []byte("file:other.json"), 1)
		if bytes.Equal(forged, sig) {
			t.Fatal("no trusted comment to change")
		}
		_, err := Verify(keys, manifest, forged)
		if !errors.Is(err, ErrMismatch) || !strings.Contains(err.Error(), "trusted comment was changed") {
			t.Errorf("hashed=%v, comment changed: err = %v", hashed, err)
		}
	}

	sig := sign(key, manifest, "pack.json", true)

	t.Run("untrusted", func(t *testing.T) {
		other := mustKeys(t, goldenPub)
		_, err := Verify(other, manifest, sig)
		want := "pack.json.minisig: signed by key ID " + keys[0].ID() + ", which is not among the trusted keys"
		if !errors.Is(err, ErrUntrusted) || err == nil || err.Error() != want {
			t.Errorf("err = %v, want %q", err, want)
		}
		_, err = Verify(nil, manifest, sig)
		if !errors.Is(err, ErrUntrusted) || !strings.Contains(err.Error(), "no trusted keys are configured") {
			t.Errorf("no keys: err = %v", err)
		}
		// Trusting both keys, the right one is found.
		both := append(other, keys...)
		if id, err := Verify(both, manifest, sig); err != nil || id != keys[0].ID() {
			t.Errorf("two keys: Verify = %q, %v", id, err)
		}
	})

	t.Run("malformed", func(t *testing.T) {
		lines := strings.SplitAfter(string(sig), "\n")
		for name, bad := range map[string]string{
			"empty":           "",
			"garbage":         "this is not a signature\n",
			"binary":          "\x00\xff\x10\n\n\n\n",
			"public key":      goldenPub,
			"truncated":       strings.Join(lines[:2], ""),
			"bad base64":      lines[0] + "RUQ!!!!\n" + lines[2] + lines[3],
			"short signature": lines[0] + "RUQWVAU+Yilkif==\n" + lines[2] + lines[3],
			"no comment sig":  lines[0] + lines[1] + lines[2],
		} {
			_, err := Verify(keys, manifest, []byte(bad))
			if !errors.Is(err, ErrMalformed) || !strings.HasPrefix(err.Error(), msgMalformed) {
				t.Errorf("%s: err = %v, want %q", name, err, msgMalformed)
			}
		}
	})
}

func TestParsePublicKey(t *testing.T) {
	line := strings.Split(goldenPub, "\n")[1]
	for name, s := range map[string]string{
		"bare":          line,
		"bare+newline":  line + "\n",
		"file":          goldenPub,
		"file CRLF":     strings.ReplaceAll(goldenPub, "\n", "\r\n"),
		"file, no eol":  strings.TrimSuffix(goldenPub, "\n"),
		"leading space": "  " + line,
	} {
		k, err := ParsePublicKey(s)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if k.ID() != goldenID || k.String() != line {
			t.Errorf("%s: ID %s, String %s", name, k.ID(), k.String())
		}
	}
	for name, s := range map[string]string{
		"empty":     "",
		"garbage":   "hello",
		"short":     "RWQWVAU+YilkiRMg1vN/",
		"signature": goldenHashed,
		"secret key": "untrusted comment: minisign encrypted secret key\n" +
			"RWQAAEIyAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAFlQFPmIpZIlnUfiCwh5dt9UrlZyUZOPCY1YNSWV04lHsUAwCuVBiAhMg1vN/mfqBZGF8mYagUtcD2uS6cbeZu49a0NBpaGzDAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",
	} {
		if _, err := ParsePublicKey(s); err == nil || !strings.Contains(err.Error(), "minisign public key") {
			t.Errorf("%s: err = %v, want a clear error", name, err)
		}
	}
}

func TestLoadTrusted(t *testing.T) {
	dir := t.TempDir()
	pubPath := filepath.Join(dir, "golden.pub")
	if err := os.WriteFile(pubPath, []byte(goldenPub), 0o644); err != nil {
		t.Fatal(err)
	}
	other, err := Keygen(filepath.Join(dir, "o.sec"), filepath.Join(dir, "o.pub"), "")
	if err != nil {
		t.Fatal(err)
	}
	line := strings.Split(goldenPub, "\n")[1]
	keys, err := LoadTrusted([]string{pubPath, other, line})
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0].ID() != goldenID || keys[1].String() != other {
		t.Errorf("keys = %v, want golden and other, without the duplicate", keys.IDs())
	}
	if keys, err := LoadTrusted(nil); err != nil || len(keys) != 0 {
		t.Errorf("LoadTrusted(nil) = %v, %v", keys, err)
	}
	secPath := filepath.Join(dir, "o.sec")
	for name, entry := range map[string]string{
		"missing file": filepath.Join(dir, "missing.pub"),
		"bad key":      "RWQnot-a-key",
		"empty":        " ",
		"secret key":   secPath,
	} {
		_, err := LoadTrusted([]string{pubPath, entry})
		if err == nil || (strings.TrimSpace(entry) != "" && !strings.Contains(err.Error(), strings.TrimSpace(entry))) {
			t.Errorf("%s: err = %v, want an error naming the entry", name, err)
		}
	}
}

func TestKeygen(t *testing.T) {
	dir := t.TempDir()
	sec, pub := filepath.Join(dir, "k.sec"), filepath.Join(dir, "k.pub")
	key, err := Keygen(sec, pub, "")
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(sec)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("secret key mode %v, want 0600", fi.Mode().Perm())
	}
	pubData, err := os.ReadFile(pub)
	if err != nil {
		t.Fatal(err)
	}
	k, err := ParsePublicKey(key)
	if err != nil {
		t.Fatal(err)
	}
	want := "untrusted comment: minisign public key " + k.ID() + "\n" + key + "\n"
	if string(pubData) != want {
		t.Errorf("public key file:\n%s\nwant:\n%s", pubData, want)
	}
	if !strings.HasPrefix(key, "RW") {
		t.Errorf("public key %q does not start with RW", key)
	}
	secData, _ := os.ReadFile(sec)
	if minisign.IsEncrypted(secData) {
		t.Error("empty password: the secret key is encrypted")
	}

	// Never overwrites, and leaves no half-made pair behind.
	for _, paths := range [][2]string{{sec, filepath.Join(dir, "new.pub")}, {filepath.Join(dir, "new.sec"), pub}} {
		if _, err := Keygen(paths[0], paths[1], ""); !errors.Is(err, fs.ErrExist) {
			t.Errorf("Keygen(%s, %s): err = %v, want fs.ErrExist", paths[0], paths[1], err)
		}
	}
	if after, _ := os.ReadFile(pub); !bytes.Equal(after, pubData) {
		t.Error("public key file was overwritten")
	}
	for _, p := range []string{"new.pub", "new.sec"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			t.Errorf("%s was left behind", p)
		}
	}
	if _, err := Keygen(filepath.Join(dir, "same"), filepath.Join(dir, "same"), ""); err == nil {
		t.Error("Keygen with the same path twice succeeded")
	}
}

func TestSignFileUnencrypted(t *testing.T) {
	dir := t.TempDir()
	sec, pub := filepath.Join(dir, "k.sec"), filepath.Join(dir, "k.pub")
	if _, err := Keygen(sec, pub, ""); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "pack.json")
	manifest := []byte(`{"format":1}`)
	if err := os.WriteFile(target, manifest, 0o644); err != nil {
		t.Fatal(err)
	}
	// A password given for an unencrypted key is ignored.
	if err := SignFile(sec, "ignored", target); err != nil {
		t.Fatal(err)
	}
	sig, err := os.ReadFile(target + ".minisig")
	if err != nil {
		t.Fatal(err)
	}
	if algorithm(t, sig) != minisign.HashEdDSA {
		t.Error("SignFile did not make a prehashed signature")
	}
	if !bytes.Contains(sig, []byte("\ntrusted comment: timestamp:")) || !bytes.Contains(sig, []byte("\tfile:pack.json\thashed\n")) {
		t.Errorf("trusted comment lacks the file name:\n%s", sig)
	}
	if _, err := Verify(mustKeys(t, pub), manifest, sig); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 4 {
		t.Errorf("%d files in the folder, want 4 (no temporary file left)", len(entries))
	}
	if err := SignFile(pub, "", target); err == nil || !strings.Contains(err.Error(), "not a minisign secret key") {
		t.Errorf("signing with the public key: err = %v", err)
	}
	if err := SignFile(sec, "", filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("signing a missing file: err = %v", err)
	}
}

// cheapEncryptedKey encrypts key as minisign does, but with cheap scrypt
// parameters (N=1024, r=8, p=1) so that tests run fast; decryption reads
// the parameters from the key file.
func cheapEncryptedKey(t *testing.T, key minisign.PrivateKey, password string) []byte {
	t.Helper()
	text, err := key.MarshalText() // unencrypted: the same layout, KDF "\0\0"
	if err != nil {
		t.Fatal(err)
	}
	b, err := base64.StdEncoding.DecodeString(string(trimComment(text)))
	if err != nil || len(b) != 158 {
		t.Fatalf("unexpected unencrypted key: %v", err)
	}
	copy(b[2:4], "Sc")
	if _, err := rand.Read(b[6:38]); err != nil {
		t.Fatal(err)
	}
	// ops 32768 and mem 8 MiB, which minisign turns into N=1024, r=8, p=1.
	binary.LittleEndian.PutUint64(b[38:], 32768)
	binary.LittleEndian.PutUint64(b[46:], 8<<20)
	sum := blake2b.Sum256(append([]byte("Ed"), b[54:126]...))
	copy(b[126:], sum[:])
	stream, err := scrypt.Key([]byte(password), b[6:38], 1024, 8, 1, 104)
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range stream {
		b[54+i] ^= k
	}
	return []byte("untrusted comment: minisign encrypted secret key\n" + base64.StdEncoding.EncodeToString(b) + "\n")
}

func trimComment(text []byte) []byte {
	_, after, _ := bytes.Cut(text, []byte("\n"))
	return bytes.TrimSpace(after)
}

func TestPassword(t *testing.T) {
	_, key, err := minisign.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	sec := cheapEncryptedKey(t, key, "correct horse")
	if !minisign.IsEncrypted(sec) {
		t.Fatal("not encrypted")
	}
	msg := []byte("manifest")
	sig, err := Sign(sec, "correct horse", msg)
	if err != nil {
		t.Fatalf("right password: %v", err)
	}
	if algorithm(t, sig) != minisign.HashEdDSA {
		t.Error("Sign did not make a prehashed signature")
	}
	pub, _ := key.Public().(minisign.PublicKey)
	if _, err := Verify(Keys{{pub}}, msg, sig); err != nil {
		t.Fatal(err)
	}
	_, err = Sign(sec, "wrong horse", msg)
	if !errors.Is(err, ErrWrongPassword) || err.Error() != "wrong password for the secret key" {
		t.Errorf("wrong password: err = %v, want ErrWrongPassword", err)
	}
	_, err = Sign(sec, "", msg)
	if !errors.Is(err, ErrWrongPassword) || !strings.Contains(err.Error(), "no password was given") {
		t.Errorf("no password: err = %v", err)
	}
	dir := t.TempDir()
	secPath, target := filepath.Join(dir, "k.sec"), filepath.Join(dir, "pack.json")
	if err := os.WriteFile(secPath, sec, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(target, msg, 0o644); err != nil {
		t.Fatal(err)
	}
	err = SignFile(secPath, "wrong horse", target)
	if want := secPath + ": wrong password for the secret key"; !errors.Is(err, ErrWrongPassword) || err.Error() != want {
		t.Errorf("SignFile, wrong password: err = %v, want %q", err, want)
	}
	if _, err := os.Stat(target + ".minisig"); err == nil {
		t.Error("a signature was written despite the wrong password")
	}
}

// TestEncryptedKey uses the expensive key derivation minisign uses
// (scrypt, 1 GiB), a few seconds each time.
func TestEncryptedKey(t *testing.T) {
	if testing.Short() {
		t.Skip("slow key derivation (scrypt, 1 GiB)")
	}
	t.Parallel()
	dir := t.TempDir()
	sec, pub := filepath.Join(dir, "k.sec"), filepath.Join(dir, "k.pub")
	if _, err := Keygen(sec, pub, "correct horse"); err != nil {
		t.Fatal(err)
	}
	secData, err := os.ReadFile(sec)
	if err != nil {
		t.Fatal(err)
	}
	if !minisign.IsEncrypted(secData) {
		t.Fatal("the secret key is not encrypted")
	}
	msg := []byte("manifest")
	target := filepath.Join(dir, "pack.json")
	if err := os.WriteFile(target, msg, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := SignFile(sec, "wrong horse", target); !errors.Is(err, ErrWrongPassword) || !strings.Contains(err.Error(), "wrong password for the secret key") {
		t.Errorf("SignFile, wrong password: err = %v", err)
	}
	if _, err := os.Stat(target + ".minisig"); err == nil {
		t.Error("a signature was written despite the wrong password")
	}
	if err := SignFile(sec, "correct horse", target); err != nil {
		t.Fatal(err)
	}
	sig, _ := os.ReadFile(target + ".minisig")
	if _, err := Verify(mustKeys(t, pub), msg, sig); err != nil {
		t.Fatal(err)
	}
	if tool, ok := minisignTool(t, false); ok {
		out, code := run(t, tool, "", "-Vm", target, "-p", pub)
		if code != 0 || !strings.Contains(out, "Signature and comment signature verified") {
			t.Errorf("minisign -V: exit %d\n%s", code, out)
		}
		// minisign can use our encrypted secret key.
		other := filepath.Join(dir, "other")
		if err := os.WriteFile(other, []byte("other"), 0o644); err != nil {
			t.Fatal(err)
		}
		out, code = run(t, tool, "correct horse\n", "-Sm", other, "-s", sec)
		if code != 0 {
			t.Fatalf("minisign -S with our encrypted key: exit %d\n%s", code, out)
		}
		sig, _ := os.ReadFile(other + ".minisig")
		if _, err := Verify(mustKeys(t, pub), []byte("other"), sig); err != nil {
			t.Error(err)
		}
	}
}

// minisignTool finds the minisign program. When it is missing the test is
// skipped, or fails when the CI variable is set; with required false, it
// reports false instead.
func minisignTool(t *testing.T, required bool) (string, bool) {
	t.Helper()
	tool := "/usr/bin/minisign"
	if _, err := os.Stat(tool); err != nil {
		if p, err := exec.LookPath("minisign"); err == nil {
			return p, true
		}
		switch {
		case os.Getenv("CI") != "":
			t.Fatal("minisign is not installed (apt-get install minisign); it is required when CI is set")
		case required:
			t.Skip("minisign is not installed")
		}
		return "", false
	}
	return tool, true
}

// run runs the minisign tool with stdin and returns its combined output
// and exit code.
func run(t *testing.T, tool, stdin string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tool, args...)
	cmd.Stdin = strings.NewReader(stdin)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit) && ctx.Err() == nil:
		return string(out), exit.ExitCode()
	default:
		t.Fatalf("minisign %s: %v\n%s", strings.Join(args, " "), err, out)
		return "", -1
	}
}

// toolPublicKeyID reads the key ID from the comment of a public key file
// minisign wrote.
func toolPublicKeyID(t *testing.T, pub string) string {
	t.Helper()
	data, err := os.ReadFile(pub)
	if err != nil {
		t.Fatal(err)
	}
	first, _, _ := strings.Cut(string(data), "\n")
	id, ok := strings.CutPrefix(first, "untrusted comment: minisign public key ")
	if !ok {
		t.Fatalf("unexpected public key file:\n%s", data)
	}
	// minisign prints the ID as a number (%llX), without leading zeros: one
	// key in 16 has an ID that starts with 0, which the kiosk writes as 16
	// digits, as its signature comments do.
	return strings.Repeat("0", max(16-len(id), 0)) + id
}

func TestMinisignSignsWeVerify(t *testing.T) {
	tool, _ := minisignTool(t, true)
	dir := t.TempDir()
	sec, pub := filepath.Join(dir, "k.sec"), filepath.Join(dir, "k.pub")
	if out, code := run(t, tool, "", "-G", "-p", pub, "-s", sec, "-W"); code != 0 {
		t.Fatalf("minisign -G: exit %d\n%s", code, out)
	}
	toolID := toolPublicKeyID(t, pub)
	keys := mustKeys(t, pub)
	if keys[0].ID() != toolID {
		t.Errorf("key ID %s, minisign says %s", keys[0].ID(), toolID)
	}
	manifest := []byte(`{"format":1,"title":"Prisoners of conscience"}` + "\n")
	target := filepath.Join(dir, "pack.json")
	if err := os.WriteFile(target, manifest, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		args []string
		alg  uint16
	}{
		{"prehashed", nil, minisign.HashEdDSA},
		{"legacy", []string{"-l"}, minisign.EdDSA},
	} {
		t.Run(c.name, func(t *testing.T) {
			sigPath := filepath.Join(dir, c.name+".minisig")
			args := append([]string{"-S"}, c.args...)
			args = append(args, "-s", sec, "-x", sigPath, "-m", target)
			if out, code := run(t, tool, "", args...); code != 0 {
				t.Fatalf("minisign %v: exit %d\n%s", args, code, out)
			}
			sig, err := os.ReadFile(sigPath)
			if err != nil {
				t.Fatal(err)
			}
			if a := algorithm(t, sig); a != c.alg {
				t.Fatalf("minisign made algorithm %#x, want %#x", a, c.alg)
			}
			id, err := Verify(keys, manifest, sig)
			if err != nil || id != toolID {
				t.Fatalf("Verify = %q, %v; want %s", id, err, toolID)
			}
			changed := bytes.Replace(manifest, []byte("conscience"), []byte("Conscience"), 1)
			if _, err := Verify(keys, changed, sig); !errors.Is(err, ErrMismatch) {
				t.Errorf("changed manifest: err = %v", err)
			}
			_, err = Verify(mustKeys(t, goldenPub), manifest, sig)
			if !errors.Is(err, ErrUntrusted) || !strings.Contains(err.Error(), "key ID "+toolID+",") {
				t.Errorf("untrusted: err = %v, want one naming key ID %s", err, toolID)
			}
		})
	}

	// Our Sign with minisign's unencrypted key: minisign verifies.
	secData, _ := os.ReadFile(sec)
	sig, err := Sign(secData, "", manifest)
	if err != nil {
		t.Fatal(err)
	}
	sigPath := filepath.Join(dir, "ours.minisig")
	if err := os.WriteFile(sigPath, sig, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := run(t, tool, "", "-H", "-V", "-p", pub, "-x", sigPath, "-m", target); code != 0 {
		t.Errorf("minisign -V of Sign's signature: exit %d\n%s", code, out)
	}
}

// TestMinisignEncryptedKey uses minisign's key derivation (scrypt, 1 GiB)
// a few times, some seconds each.
func TestMinisignEncryptedKey(t *testing.T) {
	if testing.Short() {
		t.Skip("slow key derivation (scrypt, 1 GiB)")
	}
	t.Parallel()
	tool, _ := minisignTool(t, true)
	dir := t.TempDir()
	sec, pub := filepath.Join(dir, "k.sec"), filepath.Join(dir, "k.pub")
	// minisign reads the password, twice, from standard input.
	if out, code := run(t, tool, "s3cret\ns3cret\n", "-G", "-p", pub, "-s", sec); code != 0 {
		t.Fatalf("minisign -G: exit %d\n%s", code, out)
	}
	secData, err := os.ReadFile(sec)
	if err != nil {
		t.Fatal(err)
	}
	if !minisign.IsEncrypted(secData) {
		t.Fatal("minisign did not encrypt the key")
	}
	target := filepath.Join(dir, "pack.json")
	manifest := []byte("{}\n")
	if err := os.WriteFile(target, manifest, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := run(t, tool, "s3cret\n", "-Sm", target, "-s", sec); code != 0 {
		t.Fatalf("minisign -S: exit %d\n%s", code, out)
	}
	sig, _ := os.ReadFile(target + ".minisig")
	keys := mustKeys(t, pub)
	if id, err := Verify(keys, manifest, sig); err != nil || id != toolPublicKeyID(t, pub) {
		t.Fatalf("Verify = %q, %v", id, err)
	}
	if _, err := Sign(secData, "S3cret", manifest); !errors.Is(err, ErrWrongPassword) {
		t.Errorf("wrong password: err = %v", err)
	}
	// Our SignFile with minisign's encrypted key: minisign verifies.
	if err := os.Remove(target + ".minisig"); err != nil {
		t.Fatal(err)
	}
	if err := SignFile(sec, "s3cret", target); err != nil {
		t.Fatal(err)
	}
	if out, code := run(t, tool, "", "-Vm", target, "-p", pub); code != 0 {
		t.Errorf("minisign -V: exit %d\n%s", code, out)
	}
}

func TestWeSignMinisignVerifies(t *testing.T) {
	tool, _ := minisignTool(t, true)
	dir := t.TempDir()
	sec, pub := filepath.Join(dir, "k.sec"), filepath.Join(dir, "k.pub")
	pubKey, err := Keygen(sec, pub, "")
	if err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "pack.json")
	if err := os.WriteFile(target, []byte(`{"format":1}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := SignFile(sec, "", target); err != nil {
		t.Fatal(err)
	}
	const ok = "Signature and comment signature verified"
	out, code := run(t, tool, "", "-Vm", target, "-p", pub)
	if code != 0 || !strings.Contains(out, ok) || !strings.Contains(out, "file:pack.json\thashed") {
		t.Fatalf("minisign -Vm -p: exit %d\n%s", code, out)
	}
	// -H accepts only prehashed signatures: ours are.
	if out, code := run(t, tool, "", "-H", "-Vm", target, "-P", pubKey); code != 0 || !strings.Contains(out, ok) {
		t.Errorf("minisign -H -Vm -P: exit %d\n%s", code, out)
	}
	// minisign can sign with our unencrypted secret key.
	if out, code := run(t, tool, "", "-Sm", target, "-s", sec, "-x", target+".tool"); code != 0 {
		t.Errorf("minisign -S with our key: exit %d\n%s", code, out)
	}

	// A legacy signature, which we do not make by default, works too, and
	// is refused by -H, which shows the algorithms are told apart.
	secData, _ := os.ReadFile(sec)
	key, err := loadSecretKey(secData, "")
	if err != nil {
		t.Fatal(err)
	}
	manifest, _ := os.ReadFile(target)
	legacy := filepath.Join(dir, "legacy.minisig")
	if err := os.WriteFile(legacy, sign(key, manifest, "pack.json", false), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := run(t, tool, "", "-V", "-x", legacy, "-m", target, "-p", pub); code != 0 || !strings.Contains(out, ok) {
		t.Errorf("minisign -V of a legacy signature: exit %d\n%s", code, out)
	}
	if out, code := run(t, tool, "", "-H", "-V", "-x", legacy, "-m", target, "-p", pub); code == 0 {
		t.Errorf("minisign -H accepted a legacy signature\n%s", out)
	}

	// The tool fails on a changed file, so the checks above mean something.
	if err := os.WriteFile(target, []byte(`{"format":2}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := run(t, tool, "", "-Vm", target, "-p", pub); code == 0 || !strings.Contains(out, "Signature verification failed") {
		t.Errorf("minisign -V of a changed file: exit %d\n%s", code, out)
	}
}
