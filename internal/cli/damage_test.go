package cli

import (
	"bytes"
	"encoding/json"
	"errors"
	"image"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/store"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// photoPack writes a pack of three people with photos and returns its folder.
func photoPack(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "pack")
	err := testpack.Write(dir, testpack.Options{ID: "photos", People: 3, W: 320, H: 400, Encode: func(img *image.RGBA) ([]byte, error) {
		var b bytes.Buffer
		err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85})
		return b.Bytes(), err
	}})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// flipEvery flips one bit at offset at of every occurrence of marker in the
// file (freed pages may still hold older copies).
func flipEvery(t *testing.T, path string, marker []byte, at int) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i := 0; ; {
		j := bytes.Index(data[i:], marker)
		if j < 0 {
			break
		}
		data[i+j+at] ^= 0x02
		i += j + len(marker)
		n++
	}
	if n == 0 {
		t.Fatalf("%q not found in %s", marker, path)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestListAndCheckReportDamageAndReimportRepairs damages a real cache file
// (an image's bytes, then the pack record) and runs the commands.
func TestListAndCheckReportDamageAndReimportRepairs(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "cache.db")
	pk := photoPack(t)
	if code, out, errs := run(t, nil, "pack", "import", "--cache", cache, "--config", "", pk); code != ExitOK {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	st, err := store.Open(cache, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := st.Pack("photos")
	if err != nil {
		t.Fatal(err)
	}
	var person, hash string
	for id, ph := range rec.Photos {
		if person == "" || id < person {
			person, hash = id, ph.Display.Hash
		}
	}
	img, err := st.Blob(hash)
	_ = st.Close()
	if err != nil {
		t.Fatal(err)
	}
	flipEvery(t, cache, img[len(img)/2:len(img)/2+64], 10)

	code, out, _ := run(t, nil, "pack", "list", "--cache", cache, "--config", "")
	if code != ExitProblems || !strings.Contains(out, "1 pack(s), 1 of them DAMAGED") ||
		!strings.Contains(out, `DAMAGED pack "photos": damaged: `) || !strings.Contains(out, person+` display`) {
		t.Fatalf("list of a cache with a damaged image: exit %d\n%s", code, out)
	}
	code, out, _ = run(t, nil, "pack", "check", "--cache", cache, "--config", "")
	if code != ExitProblems || !strings.Contains(out, `person "`+person+`", display image `+hash) {
		t.Fatalf("check: exit %d\n%s", code, out)
	}
	if code, out, errs := run(t, nil, "pack", "import", "--cache", cache, "--config", "", pk); code != ExitOK {
		t.Fatalf("re-import: %d %s %s", code, out, errs)
	}
	code, out, _ = run(t, nil, "pack", "check", "--cache", cache, "--config", "")
	if code != ExitOK || !strings.Contains(out, "no damage found") {
		t.Fatalf("check after the re-import: exit %d\n%s", code, out)
	}

	flipEvery(t, cache, []byte(`"imported_at"`), 3)
	code, out, _ = run(t, nil, "pack", "list", "--cache", cache, "--config", "")
	if code != ExitProblems || !strings.Contains(out, "1 pack(s), 1 of them DAMAGED") ||
		!strings.Contains(out, `DAMAGED pack "photos": damaged: its record cannot be read (checksum mismatch`) {
		t.Fatalf("list of a cache with a damaged record: exit %d\n%s", code, out)
	}
	if code, out, errs := run(t, nil, "pack", "import", "--cache", cache, "--config", "", pk); code != ExitOK {
		t.Fatalf("re-import: %d %s %s", code, out, errs)
	}
	code, out, _ = run(t, nil, "pack", "list", "--cache", cache, "--config", "")
	if code != ExitOK || !strings.Contains(out, "1 pack(s), ") || strings.Contains(out, "DAMAGED") {
		t.Fatalf("list after the second re-import: exit %d\n%s", code, out)
	}
}

// TestOperatorNotesNameDamagedPacks: the show reads a damaged image, and the
// operator panel's cache notes then name the pack, person and image.
func TestOperatorNotesNameDamagedPacks(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "cache.db")
	if code, out, errs := run(t, nil, "pack", "import", "--cache", cache, "--config", "", photoPack(t)); code != ExitOK {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	st, err := store.Open(cache, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := st.Pack("photos")
	if err != nil {
		t.Fatal(err)
	}
	ph := rec.Photos["person-0001"]
	img, err := st.Blob(ph.Master.Hash)
	if err != nil {
		t.Fatal(err)
	}
	_ = st.Close()
	flipEvery(t, cache, img[len(img)/2:len(img)/2+64], 5)
	st, err = store.Open(cache, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	notes := cacheNotes(st)
	if lines := notes(); len(lines) != 0 {
		t.Fatalf("notes before the damage was read: %q", lines)
	}
	if _, err := st.Blob(ph.Master.Hash); !errors.Is(err, store.ErrCorrupt) {
		t.Fatalf("reading the damaged image: %v", err)
	}
	lines := strings.Join(notes(), "\n")
	if !strings.Contains(lines, `Pack "photos" is damaged: `) || !strings.Contains(lines, "person-0001 master") || strings.Contains(lines, "person-0000") {
		t.Errorf("operator notes after the show met the damage: %q", lines)
	}
}

// TestKioskChild is the kiosk command line in a process of its own: it runs
// only when started by runKiosk, with the arguments in KIOSK_CHILD_ARGS.
func TestKioskChild(t *testing.T) {
	raw := os.Getenv("KIOSK_CHILD_ARGS")
	if raw == "" {
		t.Skip("started by runKiosk only")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		t.Fatal(err)
	}
	os.Exit(Run(args, Env{Stdout: os.Stdout, Stderr: os.Stderr, Lang: "en"}))
}

// runKiosk runs the command line in a separate process (this test binary)
// and returns its exit status and standard output.
func runKiosk(t *testing.T, args ...string) (int, string) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestKioskChild$", "-test.count=1")
	raw, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Env = append(os.Environ(), "KIOSK_CHILD_ARGS="+string(raw))
	var out bytes.Buffer
	cmd.Stdout = &out
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode(), out.String()
	case err != nil:
		t.Fatal(err)
	}
	return 0, out.String()
}

// TestDamagedCacheInRealProcesses: pack list and pack check, each in a
// process of its own, exit 1 and name the damage in a cache file whose pack
// record and one image have flipped bits; a re-import in another process
// repairs it and both then exit 0.
func TestDamagedCacheInRealProcesses(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "cache.db")
	pk := photoPack(t)
	if code, out := runKiosk(t, "pack", "import", "--cache", cache, "--config", "", pk); code != ExitOK {
		t.Fatalf("import: exit %d\n%s", code, out)
	}
	st, err := store.Open(cache, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := st.Pack("photos")
	if err != nil {
		t.Fatal(err)
	}
	img, err := st.Blob(rec.Photos["person-0002"].Master.Hash)
	_ = st.Close()
	if err != nil {
		t.Fatal(err)
	}
	flipEvery(t, cache, img[len(img)/2:len(img)/2+64], 3)
	code, out := runKiosk(t, "pack", "check", "--cache", cache, "--config", "")
	if code != ExitProblems || !strings.Contains(out, `person "person-0002"`) {
		t.Fatalf("check of a damaged image: exit %d\n%s", code, out)
	}
	flipEvery(t, cache, []byte(`"imported_at"`), 2)
	code, out = runKiosk(t, "pack", "list", "--cache", cache, "--config", "")
	if code != ExitProblems || !strings.Contains(out, "1 pack(s), 1 of them DAMAGED") || !strings.Contains(out, `DAMAGED pack "photos"`) {
		t.Fatalf("list of a damaged record: exit %d\n%s", code, out)
	}
	if code, out := runKiosk(t, "pack", "import", "--cache", cache, "--config", "", pk); code != ExitOK {
		t.Fatalf("re-import: exit %d\n%s", code, out)
	}
	for _, cmd := range []string{"list", "check"} {
		if code, out := runKiosk(t, "pack", cmd, "--cache", cache, "--config", ""); code != ExitOK || strings.Contains(out, "DAMAGED") {
			t.Errorf("pack %s after the re-import: exit %d\n%s", cmd, code, out)
		}
	}
}
