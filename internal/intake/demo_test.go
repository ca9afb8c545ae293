package intake

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/demo"
	"github.com/solidarity-kiosk/kiosk/internal/importer"
)

// TestTheDemoStepsAsideWhicheverWayAPackArrives: dropped on the window, found
// in the watched folder or fetched from a URL, a pack of one's own sends the
// demo pack away (the command line's import is tested in internal/cli).
func TestTheDemoStepsAsideWhicheverWayAPackArrives(t *testing.T) {
	ways := []struct {
		name   string
		arrive func(ctx context.Context, s *Service, zip string) error
	}{
		{"dropped", func(_ context.Context, s *Service, zip string) error { return s.Add(zip, "dropped") }},
		{"watched folder", func(ctx context.Context, s *Service, zip string) error {
			go s.Watch(ctx, filepath.Dir(filepath.Dir(zip)), 20*time.Millisecond)
			return nil
		}},
		{"url", func(ctx context.Context, s *Service, zip string) error {
			go func() { _ = s.ImportDownload(ctx, "https://example.org/own.zip", zip) }()
			return nil
		}},
	}
	for _, way := range ways {
		t.Run(way.name, func(t *testing.T) {
			st := openStore(t)
			opt := importer.DefaultOptions()
			opt.SpoolTo = t.TempDir()
			opt.Logger = quiet()
			if err := demo.InstallIfNew(context.Background(), st, opt); err != nil {
				t.Fatal(err)
			}
			imported := make(chan importer.Report, 1)
			s := newService(t, st, &recorder{}, imported)
			src := filepath.Join(t.TempDir(), "own")
			writePack(t, src, "own", 2)
			zip := filepath.Join(t.TempDir(), "media", "STICK", "own.zip")
			zipFolder(t, src, zip)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if err := way.arrive(ctx, s, zip); err != nil {
				t.Fatal(err)
			}
			select {
			case <-imported:
			case <-time.After(20 * time.Second):
				t.Fatal("the pack was not imported")
			}
			recs, err := st.Packs()
			if err != nil || len(recs) != 1 || recs[0].ID != "own" {
				t.Fatalf("packs: %v, %v; want only \"own\"", recs, err)
			}
		})
	}
}
