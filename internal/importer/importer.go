// Package importer takes a pack from a folder or zip into the store: it
// checks the pack, prepares every photo on all cores, and only when every
// check and every photo has passed does it touch the store, in one atomic
// switch-over. Every problem names the file, the person and the field.
package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/ctxio"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/regfile"
	"github.com/solidarity-kiosk/kiosk/internal/sign"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// Options configure a verification or an import.
type Options struct {
	Prep    imageprep.Options
	Limits  pack.Limits
	Workers int              // photo workers; 0 means every core
	Now     func() time.Time // for "not in the future" checks; nil means time.Now
	Logger  *slog.Logger
	Demo    bool // mark the pack as the built-in demo
	// Trusted are the public keys whose signatures the kiosk accepts.
	Trusted sign.Keys
	// RequireSigned refuses packs without a signature by a trusted key.
	RequireSigned bool
	Source        string // recorded as where the pack came from; default the path
	SpoolTo       string // directory for local copies and the prepared-image spool; default the cache's TempDir (Verify: the OS temp dir)
	// OnProgress is called as photos are prepared, from one goroutine at a time.
	OnProgress func(Progress)
	OnLog      func(msg string, args ...any) // optional extra sink for the summary
}

// Progress counts what an import has done so far. A person is done once
// their photo is prepared, or at once when they are shown with the silhouette.
type Progress struct {
	People, PeopleDone int
	Photos, PhotosDone int
}

// DefaultOptions prepare photos for a 1920×1080 screen.
func DefaultOptions() Options {
	return Options{Prep: imageprep.DefaultOptions(), Limits: pack.DefaultLimits()}
}

func (o *Options) fill() {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// Report says what an import or verification did.
type Report struct {
	PackID, Version string
	People          int  // people in the pack
	Photos          int  // photos prepared
	Silhouettes     int  // people shown with the silhouette (no photo, or no consent)
	Signed          bool // signed by a trusted key
	Duration        time.Duration
	// Warnings say what the pack holds that the kiosk cannot show as
	// meant (characters no font of the kiosk draws); Verify fills it.
	Warnings []string
}

// Verify checks the pack at path as an import would, including decoding every
// photo, without touching any store. It returns every problem found.
func Verify(ctx context.Context, path string, opt Options) (Report, error) {
	opt.fill()
	start := time.Now()
	p, err := pack.OpenContext(ctx, path, opt.Limits)
	if err != nil {
		return Report{}, err
	}
	defer p.Close()
	m := p.Manifest
	rep := Report{PackID: m.ID, Version: m.Version, People: len(m.People), Warnings: m.GlyphWarnings()}
	probs := p.Check(opt.Now(), photoPaths(m, false))
	signed, sigProbs := checkSignature(p, opt)
	probs = append(probs, sigProbs...)
	rep.Signed = signed
	photos, photoProbs := preparePhotos(ctx, p, m, opt, nil, reported(probs))
	probs = append(probs, photoProbs...)
	rep.Photos, rep.Silhouettes = len(photos.byPath), len(m.People)-photos.people
	rep.Duration = time.Since(start)
	return rep, probs.Err()
}

// Import checks the pack at path, prepares its photos and installs it in st,
// replacing any pack with the same id. On any problem the store is left
// exactly as it was.
func Import(ctx context.Context, st *store.Store, path string, opt Options) (Report, error) {
	opt.fill()
	start := time.Now()
	if opt.Source == "" {
		opt.Source = path
	}
	if opt.SpoolTo == "" {
		opt.SpoolTo = st.TempDir()
	}
	local, cleanup, err := localCopy(ctx, path, opt.SpoolTo, opt.Limits.MaxTotalBytes+pack.ZipSlack)
	if err != nil {
		return Report{}, err
	}
	defer cleanup()

	p, err := pack.OpenContext(ctx, local, opt.Limits)
	if err != nil {
		return Report{}, relabel(err, local, path)
	}
	defer p.Close()
	m := p.Manifest
	probs := p.Check(opt.Now(), photoPaths(m, true))
	signed, sigProbs := checkSignature(p, opt)
	probs = append(probs, sigProbs...)
	stripWithoutConsent(m)

	sp, err := newSpool(opt.SpoolTo)
	if err != nil {
		return Report{}, err
	}
	defer sp.Close()
	photos, photoProbs := preparePhotos(ctx, p, m, opt, sp, reported(probs))
	if err := append(probs, photoProbs...).Err(); err != nil {
		return Report{}, relabel(err, local, path)
	}
	rec, blobs, err := record(m, photos, sp, opt)
	if err != nil {
		return Report{}, err
	}
	rec.Signed = signed
	if err := st.Import(rec, blobs); err != nil {
		return Report{}, err
	}
	rep := Report{
		PackID: m.ID, Version: m.Version, People: len(m.People),
		Photos: len(photos.byPath), Silhouettes: len(m.People) - photos.people,
		Duration: time.Since(start), Signed: signed,
	}
	opt.Logger.Info("imported pack", "pack", rep.PackID, "version", rep.Version, "signed", signed, "people", rep.People,
		"photos", rep.Photos, "silhouettes", rep.Silhouettes, "source", opt.Source, "took", rep.Duration.Round(time.Millisecond))
	return rep, nil
}

// photoPaths lists the photos that will be read and prepared (with
// consentOnly, only those whose people consent to being shown).
func photoPaths(m *pack.Manifest, consentOnly bool) map[string]bool {
	out := map[string]bool{}
	for _, p := range m.People {
		if p.Photo != "" && (!consentOnly || p.Consent.PhotoAllowed()) {
			out[p.Photo] = true
		}
	}
	return out
}

// reported lists the files the pack check already found wrong, so the photo
// pass does not report them twice.
func reported(probs pack.Problems) map[string]bool {
	out := map[string]bool{}
	for _, p := range probs {
		out[p.File] = true
	}
	return out
}

// stripWithoutConsent removes what consent forbids before anything is stored:
// a photo without consent is never decoded or kept, an address never kept.
func stripWithoutConsent(m *pack.Manifest) {
	for i := range m.People {
		p := &m.People[i]
		if !p.Consent.PhotoAllowed() {
			p.Photo = ""
		}
		if !p.Consent.AddressAllowed() && p.Facility != nil {
			p.Facility.Address = ""
		}
	}
}

// record builds the store record and the blobs it needs.
func record(m *pack.Manifest, ph *photoSet, sp *spool, opt Options) (store.PackRecord, []store.Blob, error) {
	raw, err := json.Marshal(m)
	if err != nil {
		return store.PackRecord{}, nil, fmt.Errorf("encoding the manifest of %q: %w", m.ID, err)
	}
	rec := store.PackRecord{
		ID: m.ID, Version: m.Version, Manifest: raw, Source: opt.Source,
		ImportedAt: opt.Now().UTC(), Demo: opt.Demo, People: len(m.People), Photos: map[string]store.Photo{},
		DisplayW: opt.Prep.Display.W, DisplayH: opt.Prep.Display.H,
	}
	var blobs []store.Blob
	for path, prep := range ph.byPath {
		blobs = append(blobs, sp.blob(prep.display), sp.blob(prep.master))
		photo := store.Photo{
			Display: store.ImageRef{Hash: prep.display.hash, W: prep.display.w, H: prep.display.h},
			Master:  store.ImageRef{Hash: prep.master.hash, W: prep.master.w, H: prep.master.h},
		}
		if prep.thumb.hash != "" {
			blobs = append(blobs, sp.blob(prep.thumb))
			photo.Thumb = store.ImageRef{Hash: prep.thumb.hash, W: prep.thumb.w, H: prep.thumb.h}
		}
		for _, i := range ph.owners[path] {
			rec.Photos[m.People[i].ID] = photo
		}
	}
	return rec, blobs, nil
}

// localCopy copies a zip to local disk first: a USB stick pulled mid-read
// must not leave a half-read pack. Folders are read where they are. Only a
// regular file of at most limit bytes is copied (a pipe would block, a
// device never end), and the copy stops when ctx is cancelled.
func localCopy(ctx context.Context, path, dir string, limit int64) (string, func(), error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", path, err)
	}
	if fi.IsDir() {
		return path, func() {}, nil
	}
	if !fi.Mode().IsRegular() {
		return "", nil, fmt.Errorf("%s: not a pack: neither a folder nor a regular file", path)
	}
	if fi.Size() > limit {
		return "", nil, fmt.Errorf("%s: the file is %d bytes; a pack is at most %d", path, fi.Size(), limit)
	}
	src, err := regfile.Open(path) // checked again once open: a swap is refused too
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", path, err)
	}
	defer src.Close()
	dst, err := os.CreateTemp(dir, "incoming-*.zip")
	if err != nil {
		return "", nil, fmt.Errorf("copying %s to local disk: %w", path, err)
	}
	cleanup := func() { _ = os.Remove(dst.Name()) }
	_, err = io.Copy(dst, ctxio.Reader(ctx, io.LimitReader(src, limit+1)))
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		if fi2, serr := os.Stat(dst.Name()); serr == nil && fi2.Size() > limit {
			err = fmt.Errorf("the file grew past %d bytes while being copied", limit)
		}
	}
	if err != nil {
		cleanup()
		return "", nil, fmt.Errorf("copying %s to local disk: %w", path, err)
	}
	return dst.Name(), cleanup, nil
}

// relabel makes messages about the local copy name the file the operator gave.
func relabel(err error, local, orig string) error {
	if local == orig {
		return err
	}
	msg := strings.ReplaceAll(err.Error(), local, orig)
	msg = strings.ReplaceAll(msg, filepath.Base(local), filepath.Base(orig))
	return relabelled{msg: msg, err: err}
}

type relabelled struct {
	msg string
	err error
}

// Error is the message with the operator's file name.
func (r relabelled) Error() string { return r.msg }

// Unwrap gives the original error, for errors.Is and errors.As.
func (r relabelled) Unwrap() error { return r.err }
