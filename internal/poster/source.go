package poster

import (
	"context"
	"fmt"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// FromPack opens a pack folder or zip, checks it as `kiosk pack verify`
// does, and returns its people; a pack with problems is refused with all
// of them (pack.Problems: file, person and field). Photos are read from
// the pack as they are printed: call the returned close when done.
func FromPack(ctx context.Context, path string, now time.Time) ([]Person, func() error, error) {
	p, err := pack.OpenContext(ctx, path, pack.DefaultLimits())
	if err != nil {
		return nil, nil, err
	}
	m := p.Manifest
	photos := map[string]bool{}
	for _, per := range m.People {
		if per.Photo != "" {
			photos[per.Photo] = true
		}
	}
	if err := p.Check(now, photos).Err(); err != nil {
		_ = p.Close()
		return nil, nil, err // pack.Problems, one a line
	}
	people := make([]Person, len(m.People))
	for i := range m.People {
		per := &m.People[i]
		e := show.Entry{PackID: m.ID, Manifest: m, Person: per, Weight: per.EffectiveWeight()}
		out := Person{Entry: e}
		if per.Photo != "" && per.Consent.PhotoAllowed() {
			name := per.Photo
			// Entry.Photo only says that there is a photo (the slide's
			// notices look at it); the bytes come from the pack.
			out.Entry.Photo = &store.Photo{}
			out.Photo = func() (string, []byte, error) {
				data, err := p.ReadFile(name)
				return name, data, err
			}
		}
		people[i] = out
	}
	return people, p.Close, nil
}

// FromStore returns the people of every pack installed in the cache, with
// the master images the cache keeps (JPEG, up to 1920 pixels: embedded as
// they are). Consent was applied when the packs were imported.
func FromStore(st *store.Store) ([]Person, error) {
	recs, err := st.Packs()
	if err != nil {
		return nil, err
	}
	entries, err := show.Entries(recs)
	if err != nil {
		return nil, err
	}
	people := make([]Person, len(entries))
	for i, e := range entries {
		people[i] = Person{Entry: e}
		if e.Photo == nil || e.Photo.Master.Hash == "" {
			continue
		}
		hash := e.Photo.Master.Hash
		people[i].Photo = func() (string, []byte, error) {
			data, err := st.Blob(hash)
			if err != nil {
				return "", nil, fmt.Errorf("cache image %s: %w", hash, err)
			}
			return "master.jpg", data, nil
		}
	}
	return people, nil
}
