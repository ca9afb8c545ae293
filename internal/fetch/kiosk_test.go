package fetch_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/fetch"
	kimport "github.com/solidarity-kiosk/kiosk/internal/importer"
	"github.com/solidarity-kiosk/kiosk/internal/intake"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// TestURLPackIntoTheCache wires the fetcher to the kiosk's import queue
// and a real cache, as `kiosk --pack URL` does, against nginx: the first
// check installs the pack, an unchanged one leaves the cache alone, a new
// version replaces it, and with the server gone the cache keeps the last
// good pack.
func TestURLPackIntoTheCache(t *testing.T) {
	n := startNginx(t)
	st, err := store.Open(filepath.Join(t.TempDir(), "cache.db"), store.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	iopt := kimport.DefaultOptions()
	iopt.SpoolTo = t.TempDir()
	in := intake.New(st, intake.Options{Import: iopt, Logger: slog.New(slog.DiscardHandler)})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go in.Run(ctx)
	u := n.url + "/pack.zip"
	f, err := fetch.New(fetch.Options{
		URLs: []string{u}, Dir: t.TempDir(), AllowHTTP: true, Import: in.ImportDownload,
		Logger: slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	people := func() (int, string) {
		rec, err := st.Pack("rally")
		if err != nil {
			return 0, ""
		}
		return rec.People, rec.Source
	}

	n.publish(t, packZip(t, "rally", 3), time.Now().Add(-time.Hour).Truncate(time.Second))
	if res, err := f.Check(ctx, u); err != nil || res.State != fetch.StateImported {
		t.Fatalf("first check: %+v, %v", res, err)
	}
	if p, src := people(); p != 3 || src != u {
		t.Fatalf("after the first check the cache has %d people from %q; want 3 from %s", p, src, u)
	}
	before, _ := st.Pack("rally")
	if res, err := f.Check(ctx, u); err != nil || res.State != fetch.StateUpToDate {
		t.Fatalf("unchanged re-check: %+v, %v", res, err)
	}
	if after, _ := st.Pack("rally"); !after.ImportedAt.Equal(before.ImportedAt) {
		t.Fatal("an unchanged pack was imported again")
	}
	n.publish(t, packZip(t, "rally", 5), time.Now().Truncate(time.Second))
	if res, err := f.Check(ctx, u); err != nil || res.State != fetch.StateImported {
		t.Fatalf("new version: %+v, %v", res, err)
	}
	if p, _ := people(); p != 5 {
		t.Fatalf("after the new version the cache has %d people, want 5", p)
	}
	n.stop()
	if res, err := f.Check(ctx, u); err == nil || res.State != fetch.StateOffline {
		t.Fatalf("server gone: %+v, %v; want offline", res, err)
	}
	if p, _ := people(); p != 5 {
		t.Fatalf("with the server gone the cache has %d people, want the last good 5", p)
	}
}
