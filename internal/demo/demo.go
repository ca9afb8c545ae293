// Package demo installs the built-in demo pack into an empty cache, so a
// kiosk started for the first time shows real content at once.
package demo

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/solidarity-kiosk/kiosk/assets"
	"github.com/solidarity-kiosk/kiosk/internal/importer"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// Install imports the embedded demo pack into st, marked as a demo.
func Install(ctx context.Context, st *store.Store, opt importer.Options) (importer.Report, error) {
	if opt.SpoolTo == "" {
		opt.SpoolTo = st.TempDir()
	}
	dir, err := os.MkdirTemp(opt.SpoolTo, "demo-pack-*")
	if err != nil {
		return importer.Report{}, fmt.Errorf("unpacking the demo pack: %w", err)
	}
	defer os.RemoveAll(dir)
	if err := os.CopyFS(dir, assets.DemoPack()); err != nil {
		return importer.Report{}, fmt.Errorf("unpacking the demo pack: %w", err)
	}
	opt.Demo = true
	opt.Source = "built-in demo pack"
	return importer.Import(ctx, st, dir, opt)
}

// InstallIfNew installs the demo pack when st was just created (a first
// start, or a damaged cache of which nothing could be kept).
func InstallIfNew(ctx context.Context, st *store.Store, opt importer.Options) error {
	if !st.Created() || st.ReadOnlyReason() != "" {
		return nil
	}
	_, err := Install(ctx, st, opt)
	return err
}

// Retire removes the demo pack once an organizer's own pack (imported, with
// id imported) is in, whichever way it came: the demo people are not to be
// mixed into a real exhibition.
func Retire(st *store.Store, imported string, log *slog.Logger) {
	recs, err := st.Packs()
	if err != nil {
		return
	}
	for _, r := range recs {
		if r.Demo && r.ID != imported {
			if err := st.Remove(r.ID); err != nil {
				log.Warn("removing the demo pack", "err", err)
				continue
			}
			log.Info("the demo pack was removed now that a pack of your own is installed", "pack", imported)
		}
	}
}
