package intake

import (
	"archive/zip"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/importer"
)

func paths(cs []candidate) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.path)
	}
	return out
}

// TestWatcherQueuesAPackOnceItIsComplete follows a USB stick: mounted under
// the watched folder, a pack folder appears and a zip is still being copied.
func TestWatcherQueuesAPackOnceItIsComplete(t *testing.T) {
	media := t.TempDir()
	stick := filepath.Join(media, "volunteer", "STICK")
	folder := filepath.Join(stick, "rally-pack")
	writePack(t, folder, "rally", 2)
	if err := os.MkdirAll(filepath.Join(stick, ".Trashes", "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	writePack(t, filepath.Join(stick, ".Trashes", "x", "old"), "old", 1) // hidden: ignored
	zipPath := filepath.Join(stick, "second.zip")
	if err := os.WriteFile(zipPath, []byte("PK\x03\x04 half a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	w := newWatcher()
	if got := w.poll(media); len(got) != 0 {
		t.Fatalf("first sight queued %v: a pack is queued only once it stops changing", paths(got))
	}
	// The copy of the zip goes on between the polls.
	f, err := os.OpenFile(zipPath, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString(" more bytes")
	_ = f.Close()
	got := w.poll(media)
	if len(got) != 1 || got[0].path != folder {
		t.Fatalf("second poll queued %v, want only %s (the zip is still growing)", paths(got), folder)
	}
	got = w.poll(media)
	if len(got) != 1 || got[0].path != zipPath {
		t.Fatalf("third poll queued %v, want only the finished zip", paths(got))
	}
	if got := w.poll(media); len(got) != 0 {
		t.Fatalf("unchanged packs queued again: %v", paths(got))
	}
	// A new version of the folder's pack replaces a photo.
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(filepath.Join(folder, "pack.json"), later, later); err != nil {
		t.Fatal(err)
	}
	if got := w.poll(media); len(got) != 0 {
		t.Fatalf("a changed pack was queued before it settled: %v", paths(got))
	}
	if got := w.poll(media); len(got) != 1 || got[0].path != folder {
		t.Fatalf("the changed pack was not queued once settled: %v", paths(got))
	}
}

// TestWatchImportsFromTheFolderAndNotAgainAfterARestart runs the real
// watch loop over a folder with a zip pack.
func TestWatchImportsFromTheFolderAndNotAgainAfterARestart(t *testing.T) {
	st := openStore(t)
	imported := make(chan importer.Report, 4)
	s := newService(t, st, &recorder{}, imported)
	media := t.TempDir()
	src := filepath.Join(t.TempDir(), "pack")
	writePack(t, src, "usb", 3)
	zipPath := filepath.Join(media, "STICK", "usb.zip")
	zipFolder(t, src, zipPath)
	old := time.Now().Add(-time.Hour) // copied to the stick before the kiosk started
	if err := os.Chtimes(zipPath, old, old); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Watch(ctx, media, 20*time.Millisecond)
	select {
	case r := <-imported:
		if r.PackID != "usb" {
			t.Fatalf("imported %+v", r)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the pack on the stick was not imported")
	}
	// A restarted kiosk sees the same stick: the cache already has it.
	c, ok := fingerprint(zipPath)
	if !ok || !s.alreadyImported(c) {
		t.Fatal("a pack imported from this path after its last change would be imported again")
	}
}

func zipFolder(t *testing.T, dir, out string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	err = filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
