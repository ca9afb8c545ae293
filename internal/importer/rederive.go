package importer

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// Rederive re-makes the display images of every installed pack for a new
// screen size from the masters the store keeps, without the original packs.
// Each pack switches over atomically; a pack already at that size is left
// alone. A person whose master fails its checksum keeps the display image
// they have; everyone else is re-made.
func Rederive(ctx context.Context, st *store.Store, display imageprep.Size, opt Options) error {
	opt.fill()
	recs, err := st.Packs()
	if err != nil {
		return err
	}
	for _, rec := range recs {
		if rec.DisplayW == display.W && rec.DisplayH == display.H {
			continue
		}
		if err := rederivePack(ctx, st, rec, display, opt); err != nil {
			return fmt.Errorf("pack %q: %w", rec.ID, err)
		}
		opt.Logger.Info("re-derived display images", "pack", rec.ID, "photos", len(rec.Photos), "size", fmt.Sprintf("%dx%d", display.W, display.H))
	}
	return nil
}

func rederivePack(ctx context.Context, st *store.Store, rec store.PackRecord, display imageprep.Size, opt Options) error {
	jobs := make([]imageprep.Job, 0, len(rec.Photos))
	for id, ph := range rec.Photos {
		jobs = append(jobs, imageprep.Job{Key: id, Name: id + ".jpg", Load: func() ([]byte, error) { return st.Blob(ph.Master.Hash) }})
	}
	var (
		mu    sync.Mutex
		blobs []store.Blob
		first error
	)
	prep := opt.Prep
	prep.Display = display
	prep.Master = display // the master is not re-made; only the display fit matters
	imageprep.Run(ctx, jobs, prep, opt.Workers, func(r imageprep.Result) {
		mu.Lock()
		defer mu.Unlock()
		if r.Err != nil && errors.Is(r.Err, store.ErrCorrupt) {
			// A damaged master costs only that person's new fit: the
			// display image they have stays (the store has logged and
			// marked the damage; importing the pack again repairs it).
			opt.Logger.Warn("master image damaged; keeping this person's display image as it is",
				"pack", rec.ID, "person", r.Job.Key, "err", r.Err)
			return
		}
		if r.Err != nil {
			if first == nil {
				first = fmt.Errorf("person %q: %w", r.Job.Key, r.Err)
			}
			return
		}
		b := store.NewBlob(r.Prepared.Display.JPEG)
		blobs = append(blobs, b)
		ph := rec.Photos[r.Job.Key]
		ph.Display = store.ImageRef{Hash: b.Hash, W: r.Prepared.Display.W, H: r.Prepared.Display.H}
		if th := r.Prepared.Thumb; len(th.JPEG) > 0 {
			tb := store.NewBlob(th.JPEG)
			blobs = append(blobs, tb)
			ph.Thumb = store.ImageRef{Hash: tb.Hash, W: th.W, H: th.H}
		}
		rec.Photos[r.Job.Key] = ph
	})
	if first != nil {
		return first
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	rec.DisplayW, rec.DisplayH = display.W, display.H
	return st.Import(rec, blobs)
}
