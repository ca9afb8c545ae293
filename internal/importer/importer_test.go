package importer

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"image/jpeg"
	"image/png"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/store"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// fixedNow is the "today" of every test, so "not in the future" is stable.
var fixedNow = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func testOptions(t *testing.T) Options {
	t.Helper()
	opt := DefaultOptions()
	opt.Prep.Display = imageprep.Size{W: 96, H: 54} // smaller than the 160x120 test photos

	opt.Prep.Master = imageprep.Size{W: 400, H: 400}
	opt.Now = func() time.Time { return fixedNow }
	opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	opt.SpoolTo = t.TempDir()
	opt.Workers = 2
	return opt
}

// jpegBytes is a small real JPEG photo.
func jpegBytes(t *testing.T, seed uint64) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testpack.Photo(160, 120, seed), &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func pngBytes(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, testpack.Photo(64, 48, 7)); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// forgeSize rewrites the frame header of a JPEG to claim w×h pixels.
func forgeSize(t *testing.T, data []byte, w, h int) []byte {
	t.Helper()
	out := append([]byte(nil), data...)
	for i := 0; i+8 < len(out); i++ {
		if out[i] == 0xFF && (out[i+1] == 0xC0 || out[i+1] == 0xC2) {
			out[i+5], out[i+6] = byte(h>>8), byte(h)
			out[i+7], out[i+8] = byte(w>>8), byte(w)
			return out
		}
	}
	t.Fatal("no SOF marker")
	return nil
}

// packFiles is a pack as a map from path to bytes.
type packFiles map[string][]byte

// goodPack is a valid two-person pack with photos and hashes.
func goodPack(t *testing.T) (map[string]any, packFiles) {
	t.Helper()
	files := packFiles{
		"photos/person-0000.jpg": jpegBytes(t, 1),
		"photos/person-0001.jpg": jpegBytes(t, 2),
	}
	names := []string{"photos/person-0000.jpg", "photos/person-0001.jpg"}
	m := testpack.Manifest("test-pack", names, hashes(files))
	return m, files
}

func hashes(files packFiles) map[string]string {
	out := map[string]string{}
	for name, data := range files {
		out[name] = store.HashOf(data)
	}
	return out
}

func person(m map[string]any, i int) map[string]any { return m["people"].([]map[string]any)[i] }

// writeDir writes a pack folder and returns its path.
func writeDir(t *testing.T, m map[string]any, files packFiles) string {
	t.Helper()
	dir := t.TempDir()
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := testpack.WriteFiles(dir, withManifest(files, raw)); err != nil {
		t.Fatal(err)
	}
	return dir
}

func withManifest(files packFiles, raw []byte) packFiles {
	out := packFiles{"pack.json": raw}
	for k, v := range files {
		out[k] = v
	}
	return out
}

// zipEntry is one entry of a hand-made zip.
type zipEntry struct {
	name string
	data []byte
	mode os.FileMode
}

func writeZip(t *testing.T, entries []zipEntry) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "pack.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, e := range entries {
		hdr := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.mode != 0 {
			hdr.SetMode(e.mode)
		}
		w, err := zw.CreateHeader(hdr)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func zipOf(t *testing.T, m map[string]any, files packFiles, extra ...zipEntry) string {
	t.Helper()
	raw, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var entries []zipEntry
	for name, data := range withManifest(files, raw) {
		entries = append(entries, zipEntry{name: name, data: data})
	}
	return writeZip(t, append(entries, extra...))
}

// openWithGoodPack returns a store already holding a good pack, as a kiosk
// in the field would have.
func openWithGoodPack(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "cache.db"), store.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	m, files := goodPack(t)
	m["id"] = "installed-pack"
	if _, err := Import(context.Background(), st, writeDir(t, m, files), testOptions(t)); err != nil {
		t.Fatalf("importing the good pack: %v", err)
	}
	return st
}

func TestImportGoodPack(t *testing.T) {
	st := openWithGoodPack(t)
	m, files := goodPack(t)
	person(m, 1)["consent"] = map[string]bool{"photo": false}
	delete(person(m, 1), "photo")
	rep, err := Import(context.Background(), st, zipOf(t, m, files), testOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if rep.People != 2 || rep.Photos != 1 || rep.Silhouettes != 1 {
		t.Fatalf("report %+v: want 2 people, 1 photo, 1 silhouette", rep)
	}
	rec, err := st.Pack("test-pack")
	if err != nil {
		t.Fatal(err)
	}
	ph, ok := rec.Photos["person-0000"]
	if !ok {
		t.Fatalf("no photo stored for person-0000: %+v", rec.Photos)
	}
	if _, ok := rec.Photos["person-0001"]; ok {
		t.Fatal("a photo without consent was stored")
	}
	if ph.Display.W != 72 || ph.Display.H != 54 {
		t.Fatalf("display image %dx%d, want the 160x120 photo fitted into 96x54: 72x54", ph.Display.W, ph.Display.H)
	}
	if ph.Master.W != 160 || ph.Master.H != 120 {
		t.Fatalf("master %dx%d, want the whole 160x120 photo", ph.Master.W, ph.Master.H)
	}
	if ph.Thumb.Hash == "" || ph.Thumb.W > 72 || ph.Thumb.H > 54 {
		t.Fatalf("thumbnail %+v: want one made at import, no larger than the display image", ph.Thumb)
	}
	if data, err := st.Blob(ph.Thumb.Hash); err != nil || len(data) == 0 {
		t.Fatalf("the thumbnail blob: %v", err)
	}
	if _, err := st.Blob(ph.Display.Hash); err != nil {
		t.Fatal(err)
	}
	if probs := checkProblems(t, st); len(probs) > 0 {
		t.Fatal(probs)
	}
}

func TestAddressWithoutConsentIsNeverStored(t *testing.T) {
	st := openWithGoodPack(t)
	m, files := goodPack(t)
	person(m, 0)["facility"] = map[string]any{"name": map[string]string{"ru": "ИК №4"}, "address": "ул. Антошкина, 3, Гомель"}
	person(m, 0)["consent"] = map[string]bool{"address": false}
	if _, err := Import(context.Background(), st, writeDir(t, m, files), testOptions(t)); err != nil {
		t.Fatal(err)
	}
	rec, err := st.Pack("test-pack")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(rec.Manifest), "Антошкина") {
		t.Fatal("an address without consent was stored")
	}
	if !strings.Contains(string(rec.Manifest), "ИК №4") {
		t.Fatal("the facility name should still be stored")
	}
}

// TestBadInputLeavesStoreUnchanged feeds every kind of bad pack to Import and
// checks the message names the file, the person and the field, and that the
// cache file is byte-for-byte what it was.
func TestBadInputLeavesStoreUnchanged(t *testing.T) {
	jpg := jpegBytes(t, 3)
	cases := []struct {
		name string
		make func(t *testing.T) string // returns the pack path
		want []string                  // substrings of the error
	}{
		{"zip entry escaping the pack", func(t *testing.T) string {
			m, f := goodPack(t)
			return zipOf(t, m, f, zipEntry{name: "../../evil", data: []byte("x")})
		}, []string{"../../evil"}},
		{"absolute path in zip", func(t *testing.T) string {
			m, f := goodPack(t)
			return zipOf(t, m, f, zipEntry{name: "/etc/evil", data: []byte("x")})
		}, []string{"/etc/evil"}},
		{"symlink entry", func(t *testing.T) string {
			m, f := goodPack(t)
			return zipOf(t, m, f, zipEntry{name: "photos/link.jpg", data: []byte("/etc/passwd"), mode: os.ModeSymlink | 0o777})
		}, []string{"photos/link.jpg", "symlink"}},
		{"zip bomb", func(t *testing.T) string {
			m, f := goodPack(t)
			f["photos/person-0000.jpg"] = make([]byte, 65<<20) // 65 MiB of zeros, deflates to ~64 KiB
			m["files"] = hashes(f)
			return zipOf(t, m, f)
		}, []string{"photos/person-0000.jpg"}},
		{"header claiming 50000x50000", func(t *testing.T) string {
			m, f := goodPack(t)
			f["photos/person-0000.jpg"] = forgeSize(t, jpg, 50000, 50000)
			m["files"] = hashes(f)
			return writeDir(t, m, f)
		}, []string{"photos/person-0000.jpg", `"person-0000"`, "photo", "50000"}},
		{"truncated JPEG", func(t *testing.T) string {
			m, f := goodPack(t)
			f["photos/person-0001.jpg"] = jpg[:len(jpg)/2]
			m["files"] = hashes(f)
			return writeDir(t, m, f)
		}, []string{"photos/person-0001.jpg", `"person-0001"`, "photo"}},
		{"PNG renamed .jpg", func(t *testing.T) string {
			m, f := goodPack(t)
			f["photos/person-0000.jpg"] = pngBytes(t)
			m["files"] = hashes(f)
			return writeDir(t, m, f)
		}, []string{"photos/person-0000.jpg", `"person-0000"`, "PNG"}},
		{"photo listed but missing", func(t *testing.T) string {
			m, f := goodPack(t)
			delete(f, "photos/person-0001.jpg")
			return writeDir(t, m, f)
		}, []string{"photos/person-0001.jpg", `"person-0001"`}},
		{"hash mismatch", func(t *testing.T) string {
			m, f := goodPack(t)
			f["photos/person-0000.jpg"] = jpegBytes(t, 99)
			return writeDir(t, m, f)
		}, []string{"photos/person-0000.jpg", "sha256"}},
		{"duplicate person ids", func(t *testing.T) string {
			m, f := goodPack(t)
			person(m, 1)["id"] = "person-0000"
			return writeDir(t, m, f)
		}, []string{"pack.json", `"person-0000"`, "id"}},
		{"invalid UTF-8 in a name", func(t *testing.T) string {
			m, f := goodPack(t)
			raw, _ := json.Marshal(m)
			raw = bytes.Replace(raw, []byte("Test Person 1"), []byte("Test Pers\xff\xfen 1"), 1)
			dir := writeDir(t, m, f)
			if err := os.WriteFile(filepath.Join(dir, "pack.json"), raw, 0o644); err != nil {
				t.Fatal(err)
			}
			return dir
		}, []string{"pack.json", `"person-0001"`, "name", "UTF-8"}},
		{"10,000-character bio", func(t *testing.T) string {
			m, f := goodPack(t)
			person(m, 0)["bio"] = map[string]string{"en": strings.Repeat("a", 10000)}
			return writeDir(t, m, f)
		}, []string{"pack.json", `"person-0000"`, "bio", "2000"}},
		{"javascript: link", func(t *testing.T) string {
			m, f := goodPack(t)
			person(m, 0)["links"] = []map[string]string{{"kind": "letter", "url": "javascript:alert(1)"}}
			return writeDir(t, m, f)
		}, []string{"pack.json", `"person-0000"`, "links[0]", "https"}},
		{"http:// link", func(t *testing.T) string {
			m, f := goodPack(t)
			person(m, 1)["links"] = []map[string]string{{"kind": "petition", "url": "http://example.org/p"}}
			return writeDir(t, m, f)
		}, []string{"pack.json", `"person-0001"`, "links[0]", "https"}},
		{"link host outside allowed_link_hosts", func(t *testing.T) string {
			m, f := goodPack(t)
			person(m, 1)["links"] = []map[string]string{{"kind": "letter", "url": "https://evil.example.com/x"}}
			return writeDir(t, m, f)
		}, []string{"pack.json", `"person-0001"`, "links[0]", "evil.example.com", "allowed_link_hosts"}},
		{"date in the future", func(t *testing.T) string {
			m, f := goodPack(t)
			person(m, 0)["arrested"] = "2031-01-01"
			return writeDir(t, m, f)
		}, []string{"pack.json", `"person-0000"`, "arrested", "future"}},
		{"format 2", func(t *testing.T) string {
			m, f := goodPack(t)
			m["format"] = 2
			return writeDir(t, m, f)
		}, []string{"pack.json", "unsupported pack format 2"}},
		{"empty pack.json", func(t *testing.T) string {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "pack.json"), nil, 0o644); err != nil {
				t.Fatal(err)
			}
			return dir
		}, []string{"pack.json", "empty"}},
		{"empty photo file", func(t *testing.T) string {
			m, f := goodPack(t)
			f["photos/person-0001.jpg"] = []byte{}
			m["files"] = hashes(f)
			return writeDir(t, m, f)
		}, []string{"photos/person-0001.jpg", `"person-0001"`, "photo", "empty"}},
		{"empty zip file", func(t *testing.T) string {
			p := filepath.Join(t.TempDir(), "pack.zip")
			if err := os.WriteFile(p, nil, 0o644); err != nil {
				t.Fatal(err)
			}
			return p
		}, []string{"pack.zip", "not a readable zip file"}},
		{"pack.json that is not JSON", func(t *testing.T) string {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "pack.json"), []byte("name,status\nHanna,active\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			return dir
		}, []string{"pack.json", "JSON"}},
	}
	st := openWithGoodPack(t)
	before, err := os.ReadFile(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Import(context.Background(), st, tc.make(t), testOptions(t))
			if err == nil {
				t.Fatal("bad pack was imported")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error does not mention %q:\n%v", w, err)
				}
			}
			after, rerr := os.ReadFile(st.Path())
			if rerr != nil {
				t.Fatal(rerr)
			}
			if !bytes.Equal(before, after) {
				t.Error("the refused import changed the cache file")
			}
		})
	}
}

func TestVerifyReportsEveryProblemAtOnce(t *testing.T) {
	m, f := goodPack(t)
	person(m, 0)["arrested"] = "2022-13-01"
	person(m, 1)["status"] = "missing"
	f["photos/person-0001.jpg"] = jpegBytes(t, 1)[:300]
	m["files"] = hashes(f)
	_, err := Verify(context.Background(), writeDir(t, m, f), testOptions(t))
	if err == nil {
		t.Fatal("verify passed a bad pack")
	}
	msg := err.Error()
	for _, w := range []string{`people[0] "person-0000": arrested: "2022-13-01" is not a date`, `"person-0001"`, "status"} {
		if !strings.Contains(msg, w) {
			t.Errorf("verify output lacks %q:\n%s", w, msg)
		}
	}
}

func TestRederiveForAnotherScreenWithoutThePack(t *testing.T) {
	st := openWithGoodPack(t)
	before, err := st.Pack("installed-pack")
	if err != nil {
		t.Fatal(err)
	}
	portrait := imageprep.Size{W: 90, H: 160}
	if err := Rederive(context.Background(), st, portrait, testOptions(t)); err != nil {
		t.Fatal(err)
	}
	after, err := st.Pack("installed-pack")
	if err != nil {
		t.Fatal(err)
	}
	if after.DisplayW != 90 || after.DisplayH != 160 {
		t.Fatalf("record says display %dx%d", after.DisplayW, after.DisplayH)
	}
	for id, ph := range after.Photos {
		if ph.Display.W > 90 || ph.Display.H > 160 || ph.Display.W != 90 {
			t.Errorf("%s: display %dx%d does not fill the width of a 90x160 screen", id, ph.Display.W, ph.Display.H)
		}
		if ph.Master != before.Photos[id].Master {
			t.Errorf("%s: master changed", id)
		}
		if _, err := st.Blob(before.Photos[id].Display.Hash); err == nil {
			t.Errorf("%s: old display image not freed", id)
		}
	}
	if probs := checkProblems(t, st); len(probs) > 0 {
		t.Fatal(probs)
	}
}

func TestReimportingTheSamePackDoesNotGrowTheCache(t *testing.T) {
	st := openWithGoodPack(t)
	m, files := goodPack(t)
	dir := writeDir(t, m, files)
	var sizes []int64
	for i := 0; i < 10; i++ {
		if _, err := Import(context.Background(), st, dir, testOptions(t)); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(st.Path())
		if err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, fi.Size())
	}
	if sizes[len(sizes)-1] > sizes[1] {
		t.Fatalf("cache grew over identical re-imports: %v", sizes)
	}
	stats, err := st.Stats()
	if err != nil {
		t.Fatal(err)
	}
	// Both installed packs use the same two photos: one display and one master each, shared.
	if stats.Blobs != 4 {
		t.Fatalf("%d images stored, want 4 (content-addressed, shared between packs)", stats.Blobs)
	}
}

// checkProblems runs the cache check and returns what it found.
func checkProblems(t *testing.T, st *store.Store) []error {
	t.Helper()
	rep, err := st.Check(context.Background())
	if err != nil {
		t.Errorf("Check: %v", err)
	}
	return rep.Problems()
}

// TestRederiveSkipsOnlyADamagedMaster damages one person's master image in
// the cache file: re-fitting for another screen re-makes everyone else and
// leaves that person's display image as it was.
func TestRederiveSkipsOnlyADamagedMaster(t *testing.T) {
	st := openWithGoodPack(t)
	path := st.Path()
	before, err := st.Pack("installed-pack")
	if err != nil {
		t.Fatal(err)
	}
	var damaged string
	for id := range before.Photos {
		if damaged == "" || id < damaged {
			damaged = id
		}
	}
	master, err := st.Blob(before.Photos[damaged].Master.Hash)
	if err != nil {
		t.Fatal(err)
	}
	_ = st.Close()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(data, master[len(master)/2:len(master)/2+64])
	if at < 0 {
		t.Fatal("the master's bytes are not in the cache file")
	}
	data[at+7] ^= 0x10
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err = store.Open(path, store.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := Rederive(context.Background(), st, imageprep.Size{W: 90, H: 160}, testOptions(t)); err != nil {
		t.Fatalf("one damaged master stopped the re-fit: %v", err)
	}
	after, err := st.Pack("installed-pack")
	if err != nil {
		t.Fatal(err)
	}
	for id, ph := range after.Photos {
		switch {
		case id == damaged && ph.Display != before.Photos[id].Display:
			t.Errorf("%s (damaged master): display changed to %+v", id, ph.Display)
		case id != damaged && ph.Display.W != 90:
			t.Errorf("%s: display %dx%d, not re-fitted", id, ph.Display.W, ph.Display.H)
		}
	}
}
