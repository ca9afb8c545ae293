package importer

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/packbuild"
	"github.com/solidarity-kiosk/kiosk/internal/sign"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// signedFolder writes a pack folder signed with a new key and returns the
// folder and the key's public file.
func signedFolder(t *testing.T, dir string) string {
	t.Helper()
	enc := func(img *image.RGBA) ([]byte, error) {
		var b bytes.Buffer
		err := jpeg.Encode(&b, img, nil)
		return b.Bytes(), err
	}
	if err := testpack.Write(dir, testpack.Options{ID: "signed", People: 2, W: 160, H: 120, Encode: enc}); err != nil {
		t.Fatal(err)
	}
	keys := t.TempDir()
	pub, sec := filepath.Join(keys, "k.pub"), filepath.Join(keys, "k.key")
	if _, err := sign.Keygen(sec, pub, ""); err != nil {
		t.Fatal(err)
	}
	secret, err := os.ReadFile(sec)
	if err != nil {
		t.Fatal(err)
	}
	if err := packbuild.SignPack(context.Background(), dir, func(m []byte) ([]byte, error) { return sign.Sign(secret, "", m) }); err != nil {
		t.Fatal(err)
	}
	return pub
}

// TestSignaturePolicy imports signed, tampered and unsigned packs under a
// kiosk that trusts one key and requires signatures.
func TestSignaturePolicy(t *testing.T) {
	base := t.TempDir()
	good := filepath.Join(base, "good")
	pub := signedFolder(t, good)
	trusted, err := sign.LoadTrusted([]string{pub})
	if err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(base, "other")
	signedFolder(t, other) // signed by a key the kiosk does not know

	copyPack := func(name string, change func(dir string)) string {
		dir := filepath.Join(base, name)
		if err := os.CopyFS(dir, os.DirFS(good)); err != nil {
			t.Fatal(err)
		}
		change(dir)
		return dir
	}
	tamperedManifest := copyPack("manifest", func(dir string) {
		p := filepath.Join(dir, "pack.json")
		data, _ := os.ReadFile(p)
		_ = os.WriteFile(p, bytes.Replace(data, []byte("Test Person 1"), []byte("Test Person X"), 1), 0o644)
	})
	changedPhoto := copyPack("photo", func(dir string) {
		_ = os.WriteFile(filepath.Join(dir, "photos", "person-0001.jpg"), jpegBytes(t, 99), 0o644)
	})
	unsigned := copyPack("unsigned", func(dir string) { _ = os.Remove(filepath.Join(dir, "pack.json.minisig")) })

	cases := []struct {
		name, path string
		require    bool
		want       string // in the error; "" means imported
		signed     bool
	}{
		{"signed by a trusted key", good, true, "", true},
		{"pack.json changed after signing", tamperedManifest, true, "pack.json.minisig: signature does not match pack.json", false},
		{"a photo replaced", changedPhoto, true, "photos/person-0001.jpg: sha256 mismatch", false},
		{"signed by an unknown key", other, true, "not among the trusted keys", false},
		{"unsigned, signatures required", unsigned, true, "pack.json.minisig: missing: this kiosk accepts only signed packs", false},
		{"unsigned, signatures optional", unsigned, false, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := openWithGoodPack(t)
			opt := testOptions(t)
			opt.Trusted, opt.RequireSigned = trusted, tc.require
			before, err := os.ReadFile(st.Path())
			if err != nil {
				t.Fatal(err)
			}
			rep, err := Import(context.Background(), st, tc.path, opt)
			if tc.want == "" {
				if err != nil || rep.Signed != tc.signed {
					t.Fatalf("import: %v, signed=%v; want imported, signed=%v", err, rep.Signed, tc.signed)
				}
				rec, err := st.Pack("signed")
				if err != nil || rec.Signed != tc.signed {
					t.Fatalf("stored record signed=%v (%v)", rec.Signed, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error containing %q", err, tc.want)
			}
			if after, _ := os.ReadFile(st.Path()); !bytes.Equal(before, after) {
				t.Fatal("a refused pack changed the cache")
			}
		})
	}
	// With no trusted keys, a signature cannot be checked: required → refused.
	opt := testOptions(t)
	opt.RequireSigned = true
	if _, err := Verify(context.Background(), good, opt); err == nil || !strings.Contains(err.Error(), "no trusted public keys") {
		t.Fatalf("no trusted keys configured: %v", err)
	}
}
