package intake

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/demo"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/importer"
	"github.com/solidarity-kiosk/kiosk/internal/store"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

func encode(img *image.RGBA) ([]byte, error) {
	var b bytes.Buffer
	err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 80})
	return b.Bytes(), err
}

func writePack(t *testing.T, dir, id string, people int) {
	t.Helper()
	if err := testpack.Write(dir, testpack.Options{ID: id, People: people, W: 120, H: 160, Encode: encode}); err != nil {
		t.Fatal(err)
	}
}

func quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "cache.db"), store.Options{Logger: quiet()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// recorder keeps every status the service reports.
type recorder struct {
	mu       sync.Mutex
	statuses []Status
}

func (r *recorder) add(s Status) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.statuses = append(r.statuses, s)
}

func newService(t *testing.T, st *store.Store, rec *recorder, imported chan importer.Report) *Service {
	t.Helper()
	opt := importer.DefaultOptions()
	opt.SpoolTo = t.TempDir()
	s := New(st, Options{Import: opt, Logger: quiet(), OnChange: rec.add, OnImported: func(r importer.Report) { imported <- r }})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.Run(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	return s
}

// TestDroppedPackIsImportedWithProgressAndResult is what dropping a pack
// folder on the window does: the UI calls Add.
func TestDroppedPackIsImportedWithProgressAndResult(t *testing.T) {
	st := openStore(t)
	rec := &recorder{}
	imported := make(chan importer.Report, 4)
	s := newService(t, st, rec, imported)
	dir := filepath.Join(t.TempDir(), "rally")
	writePack(t, dir, "rally", 5)
	if err := s.Add(dir, "drop"); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-imported:
		if r.PackID != "rally" || r.People != 5 {
			t.Fatalf("imported %+v", r)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the dropped pack was not imported")
	}
	recs, err := st.Packs()
	if err != nil || len(recs) != 1 || recs[0].ID != "rally" || recs[0].Source != dir {
		t.Fatalf("store after the drop: %v, %v", recs, err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	sawHalf := false
	for _, st := range rec.statuses {
		p := st.Progress
		if st.Current == dir && p.Photos == 5 && p.PhotosDone > 0 && p.PhotosDone < 5 {
			sawHalf = true
		}
	}
	last := rec.statuses[len(rec.statuses)-1]
	if !sawHalf || last.Current != "" || last.Imported != 1 || len(last.Recent) != 1 ||
		!strings.Contains(last.Recent[0].String(), `imported "rally"`) {
		t.Fatalf("progress seen mid-way: %v; final status %+v", sawHalf, last)
	}
}

// TestBadPackIsSkippedWithTheReason leaves the cache as it was and says why.
func TestBadPackIsSkippedWithTheReason(t *testing.T) {
	st := openStore(t)
	rec := &recorder{}
	s := newService(t, st, rec, make(chan importer.Report, 1))
	dir := filepath.Join(t.TempDir(), "broken")
	writePack(t, dir, "broken", 2)
	if err := os.WriteFile(filepath.Join(dir, "photos", "person-0001.jpg"), []byte("not a photo"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := s.ImportAndWait(context.Background(), dir, "drop")
	if err == nil {
		t.Fatal("a pack with a broken photo was imported")
	}
	status := s.Status()
	if status.Skipped != 1 || len(status.Recent) != 1 {
		t.Fatalf("status %+v", status)
	}
	line := status.Recent[0].String()
	if !strings.Contains(line, "skipped "+dir) || !strings.Contains(line, "photos/person-0001.jpg") {
		t.Fatalf("the operator reads %q: want the pack and the file named", line)
	}
	if recs, _ := st.Packs(); len(recs) != 0 {
		t.Fatalf("the cache holds %d packs after a refused import", len(recs))
	}
}

// TestTheDemoStepsAsideForARealPack: a kiosk first started on the demo
// shows only the organizer's people once their pack is imported.
func TestTheDemoStepsAsideForARealPack(t *testing.T) {
	st := openStore(t)
	opt := importer.DefaultOptions()
	opt.SpoolTo = t.TempDir()
	opt.Logger = quiet()
	if err := demo.InstallIfNew(context.Background(), st, opt); err != nil {
		t.Fatal(err)
	}
	s := newService(t, st, &recorder{}, make(chan importer.Report, 1))
	dir := filepath.Join(t.TempDir(), "own")
	writePack(t, dir, "own", 1)
	if err := s.ImportAndWait(context.Background(), dir, "command line"); err != nil {
		t.Fatal(err)
	}
	recs, err := st.Packs()
	if err != nil || len(recs) != 1 || recs[0].ID != "own" {
		t.Fatalf("packs after importing our own: %v, %v; want only \"own\"", recs, err)
	}
}

// TestRefitForAnotherScreen: a kiosk on a screen other than the one its
// packs were imported for gets display images fitted to its photo box,
// from the stored masters, and the show is told to reload.
func TestRefitForAnotherScreen(t *testing.T) {
	st := openStore(t)
	imported := make(chan importer.Report, 4)
	s := newService(t, st, &recorder{}, imported)
	dir := filepath.Join(t.TempDir(), "p")
	writePack(t, dir, "p", 2)
	if err := s.ImportAndWait(context.Background(), dir, "command line"); err != nil {
		t.Fatal(err)
	}
	<-imported
	box := imageprep.Size{W: 60, H: 50}
	s.Refit(box)
	select {
	case <-imported:
	case <-time.After(20 * time.Second):
		t.Fatal("no reload after the refit")
	}
	rec, err := st.Pack("p")
	if err != nil || rec.DisplayW != 60 || rec.DisplayH != 50 {
		t.Fatalf("record after the refit: %dx%d, %v", rec.DisplayW, rec.DisplayH, err)
	}
	for id, ph := range rec.Photos {
		if ph.Display.W > 60 || ph.Display.H > 50 {
			t.Fatalf("%s: display %dx%d does not fit 60x50", id, ph.Display.W, ph.Display.H)
		}
	}
	s.Refit(box) // already fitted: nothing queued
	if st := s.Status(); st.Queued != 0 {
		t.Fatalf("a second refit for the same box was queued: %+v", st)
	}
}
