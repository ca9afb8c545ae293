// Package demotest gives tests a cache holding the demo pack, and the
// fonts and words slides are drawn with.
package demotest

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/demo"
	"github.com/solidarity-kiosk/kiosk/internal/i18n"
	"github.com/solidarity-kiosk/kiosk/internal/importer"
	"github.com/solidarity-kiosk/kiosk/internal/render"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// Quiet is a logger that discards everything.
func Quiet() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// Cache opens a new cache in a temporary folder with the demo pack
// installed, closed when the test ends.
func Cache(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "cache.db"), store.Options{Logger: Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	opt := importer.DefaultOptions()
	opt.Logger = Quiet()
	if err := demo.InstallIfNew(context.Background(), st, opt); err != nil {
		t.Fatal(err)
	}
	return st
}

// Drawing loads the embedded fonts and the kiosk's words.
func Drawing(t testing.TB) (*render.Fonts, *i18n.Catalog) {
	t.Helper()
	fonts, err := render.LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	words, err := i18n.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return fonts, words
}
