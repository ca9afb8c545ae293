package intake

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/importer"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// TestRefusedPackIsNotRetriedAutomatically: a pack refused once is not
// tried again from a watched folder or --pack while it stays the same; a
// drop (an operator) tries it; once its file changes it is tried and, when
// it imports, forgotten.
func TestRefusedPackIsNotRetriedAutomatically(t *testing.T) {
	st := openStore(t)
	s := newService(t, st, &recorder{}, make(chan importer.Report, 4))
	dir := filepath.Join(t.TempDir(), "broken")
	writePack(t, dir, "broken", 2)
	photo := filepath.Join(dir, "photos", "person-0001.jpg")
	good, err := os.ReadFile(photo)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(photo, []byte("not a photo"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var nr *NotRetriedError
	if err := s.ImportAndWait(ctx, dir, "watch"); err == nil || errors.As(err, &nr) {
		t.Fatalf("first try: %v; want the pack's problem", err)
	}
	a, ok, err := st.LastAttempt(SourceKey(dir))
	if err != nil || !ok || a.Outcome != store.AttemptFailed || !strings.Contains(a.Reason, "person-0001.jpg") || a.Origin != "watch" {
		t.Fatalf("remembered attempt: %+v %v %v", a, ok, err)
	}
	for _, origin := range []string{"watch", "command line"} {
		err := s.ImportAndWait(ctx, dir, origin)
		if !errors.As(err, &nr) || nr.Attempt.Outcome != store.AttemptFailed {
			t.Fatalf("%s, unchanged: %v; want not retried", origin, err)
		}
	}
	status := s.Status()
	if status.NotRetried != 2 || status.Skipped != 3 || !strings.Contains(status.Recent[0].String(), "not retried: ") ||
		!strings.Contains(status.Recent[0].String(), "import it by hand to try again") {
		t.Fatalf("status %+v; recent %q", status, status.Recent[0].String())
	}
	if err := s.ImportAndWait(ctx, dir, "drop"); err == nil || errors.As(err, &nr) {
		t.Fatalf("dropped by an operator: %v; want it tried (and refused)", err)
	}
	// A new version of the photo: the folder's identity changes.
	if err := os.WriteFile(photo, good, 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(photo, later, later); err != nil {
		t.Fatal(err)
	}
	if err := s.ImportAndWait(ctx, dir, "watch"); err != nil {
		t.Fatalf("changed pack: %v; want it imported", err)
	}
	if _, ok, err := st.LastAttempt(SourceKey(dir)); ok || err != nil {
		t.Fatalf("a successful import leaves its attempt remembered: %v %v", ok, err)
	}
}

// TestPackAKioskDiedOnIsNotRetried: an "in progress" marker left by a
// process that died is a death; the next start skips that pack, and takes
// it again once its zip is replaced.
func TestPackAKioskDiedOnIsNotRetried(t *testing.T) {
	cache := filepath.Join(t.TempDir(), "cache.db")
	dir := filepath.Join(t.TempDir(), "fine")
	writePack(t, dir, "fine", 1)
	ident, err := Identity(dir)
	if err != nil {
		t.Fatal(err)
	}
	first, err := store.Open(cache, store.Options{Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	if err := first.BeginAttempt(SourceKey(dir), ident, "command line"); err != nil {
		t.Fatal(err)
	}
	_ = first.Close() // the process died here

	st, err := store.Open(cache, store.Options{Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	s := newService(t, st, &recorder{}, make(chan importer.Report, 4))
	var nr *NotRetriedError
	err = s.ImportAndWait(context.Background(), dir, "command line")
	if !errors.As(err, &nr) || nr.Attempt.Outcome != store.AttemptDied || !strings.Contains(err.Error(), "kiosk stopped during this import") {
		t.Fatalf("after a death: %v; want not retried", err)
	}
	if recs, _ := st.Packs(); len(recs) != 0 {
		t.Fatalf("imported anyway: %v", recs)
	}
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(filepath.Join(dir, "pack.json"), later, later); err != nil {
		t.Fatal(err)
	}
	if err := s.ImportAndWait(context.Background(), dir, "command line"); err != nil {
		t.Fatalf("changed pack: %v", err)
	}
}

// TestIdentityOfAZipIsItsSizeAndTime: one stat, no read.
func TestIdentityOfAZipIsItsSizeAndTime(t *testing.T) {
	p := filepath.Join(t.TempDir(), "p.zip")
	if err := os.WriteFile(p, []byte("PK"), 0o644); err != nil {
		t.Fatal(err)
	}
	a, err := Identity(p)
	if err != nil || !strings.HasPrefix(a, "size=2 mtime=") {
		t.Fatalf("identity %q %v", a, err)
	}
	later := time.Now().Add(time.Hour)
	_ = os.Chtimes(p, later, later)
	if b, _ := Identity(p); b == a {
		t.Fatal("a newer file has the same identity")
	}
}

// TestStoppedImportIsNotHeldAgainstThePack: the kiosk told to stop in the
// middle of an import (quit, SIGTERM) leaves no record, so the next start
// imports the pack as usual.
func TestStoppedImportIsNotHeldAgainstThePack(t *testing.T) {
	st := openStore(t)
	dir := filepath.Join(t.TempDir(), "long")
	writePack(t, dir, "long", 6)
	opt := importer.DefaultOptions()
	opt.SpoolTo = t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s := New(st, Options{Import: opt, Logger: quiet(), OnChange: func(s Status) {
		if s.Current != "" && s.Progress.PhotosDone > 0 {
			cancel()
		}
	}})
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	if err := s.Add(dir, "watch"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the import did not stop")
	}
	if recs, _ := st.Packs(); len(recs) != 0 {
		t.Skip("the import ended before it could be stopped")
	}
	if a, ok, err := st.LastAttempt(SourceKey(dir)); ok || err != nil {
		t.Fatalf("a stopped import is remembered: %+v %v", a, err)
	}
}

// TestURLPackRefusedIsNotRetriedUntilItsBytesChange: a download is named
// by its URL and a hash of its bytes (every download is a new file).
func TestURLPackRefusedIsNotRetriedUntilItsBytesChange(t *testing.T) {
	st := openStore(t)
	s := newService(t, st, &recorder{}, make(chan importer.Report, 4))
	const url = "https://example.org/rally.zip"
	download := func(body string) string {
		p := filepath.Join(t.TempDir(), "download.zip")
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ctx := context.Background()
	var nr *NotRetriedError
	if err := s.ImportDownload(ctx, url, download("not a zip")); err == nil || errors.As(err, &nr) {
		t.Fatalf("first download: %v", err)
	}
	err := s.ImportDownload(ctx, url, download("not a zip"))
	if !errors.As(err, &nr) || nr.Attempt.Source != url || !strings.Contains(err.Error(), "a new version at that address is tried") {
		t.Fatalf("same bytes again: %v; want not retried", err)
	}
	if err := s.ImportDownload(ctx, url, download("still not a zip")); err == nil || errors.As(err, &nr) {
		t.Fatalf("new bytes: %v; want them tried", err)
	}
}
