package cli

import (
	"archive/zip"
	"bytes"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// TestOrganizerFlow is the README's path for an organizer: a spreadsheet
// and a photo folder become a signed pack that a kiosk requiring
// signatures accepts, and refuses once the pack is tampered with.
func TestOrganizerFlow(t *testing.T) {
	dir := t.TempDir()
	photos := filepath.Join(dir, "photos")
	if err := os.MkdirAll(photos, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, name := range []string{"Hanna Ablab.jpg", "olga-smirnova.jpg"} {
		var b bytes.Buffer
		if err := jpeg.Encode(&b, testpack.Photo(120, 160, uint64(i)), nil); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(photos, name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	csv := filepath.Join(dir, "list.csv")
	sheet := "\ufeffid;name;name.be;country;status;arrested\n" +
		"hanna-ablab;Hanna Ablab;Ганна Аблаб;BY;in_custody;15.03.2022\n" +
		"olga-smirnova;Olga Smirnova;;BY;in_custody;2021-08-02\n" +
		"bad-row;Someone;;BY;jailed;2021-08-02\n"
	if err := os.WriteFile(csv, []byte(sheet), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "rally.zip")
	code, stdout, stderr := run(t, nil, "pack", "build", "--from", csv, "--photos", photos, "-o", out, "--title", "Rally")
	if code != ExitOK || !strings.Contains(stdout, "pack with 2 people and 2 photos") ||
		!strings.Contains(stdout, `row 4, column "status"`) {
		t.Fatalf("build: %d\n%s\n%s", code, stdout, stderr)
	}
	pub, sec := filepath.Join(dir, "k.pub"), filepath.Join(dir, "k.key")
	if code, stdout, stderr := run(t, nil, "pack", "keygen", "-s", sec, "-p", pub, "--no-password"); code != ExitOK {
		t.Fatalf("keygen: %d %s %s", code, stdout, stderr)
	}
	verify := func(path string) (int, string) {
		code, stdout, _ := run(t, nil, "pack", "verify", "--config", "", "--trusted-key", pub, "--require-signed", path)
		return code, stdout
	}
	if code, stdout := verify(out); code != ExitProblems || !strings.Contains(stdout, "accepts only signed packs") {
		t.Fatalf("the unsigned pack passed a kiosk requiring signatures: %d %s", code, stdout)
	}
	if err := os.Chmod(out, 0o644); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := run(t, nil, "pack", "sign", "-s", sec, out); code != ExitOK || !strings.Contains(stdout, "signed with") {
		t.Fatalf("sign: %d %s %s", code, stdout, stderr)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("signing changed the zip's mode to %v (%v), want 0644 as it was", fi.Mode().Perm(), err)
	}
	if code, stdout := verify(out); code != ExitOK {
		t.Fatalf("the signed pack was refused: %s", stdout)
	}
	cache := filepath.Join(dir, "cache.db")
	code, stdout, stderr = run(t, nil, "pack", "import", "--cache", cache, "--trusted-key", pub, "--require-signed", out)
	if code != ExitOK || !strings.Contains(stdout, `imported pack "rally"`) {
		t.Fatalf("import: %d %s %s", code, stdout, stderr)
	}
	if _, stdout, _ := run(t, nil, "pack", "list", "--cache", cache); !strings.Contains(stdout, "  yes  ") {
		t.Fatalf("list does not show the pack as signed: %s", stdout)
	}
	tampered := filepath.Join(dir, "tampered.zip")
	rewriteZip(t, out, tampered, "pack.json", func(b []byte) []byte {
		return bytes.Replace(b, []byte("Olga Smirnova"), []byte("Olga Smirnowa"), 1)
	})
	if code, stdout := verify(tampered); code != ExitProblems || !strings.Contains(stdout, "signature does not match pack.json") {
		t.Fatalf("a tampered pack.json: %d %s", code, stdout)
	}
}

// rewriteZip copies a zip, changing one entry.
func rewriteZip(t *testing.T, in, out, name string, change func([]byte) []byte) {
	t.Helper()
	zr, err := zip.OpenReader(in)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, e := range zr.File {
		rc, err := e.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		if e.Name == name {
			data = change(data)
		}
		w, _ := zw.Create(e.Name)
		_, _ = w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}
