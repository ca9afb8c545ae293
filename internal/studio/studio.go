// Package studio is the organizer's desk without its window: it opens a
// spreadsheet with its photo folder (built into a pack in a temporary
// folder, as `kiosk pack build` builds it), a pack folder or a pack zip;
// lists every problem with its row or person and field, in the words of
// `kiosk pack build` and `kiosk pack verify`; gives the people for
// previews (drawn by internal/slides and internal/render, as the screen
// draws them); notices when the spreadsheet, a photo or the pack changes;
// exports, signs, copies and imports the pack; and writes its placards
// (internal/poster). It imports no Fyne: internal/ui draws its window.
package studio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/importer"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/sign"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// Kind is what was opened.
type Kind int

// The kinds of source the studio opens.
const (
	Spreadsheet Kind = iota // a CSV file with a photo folder
	Folder                  // a pack folder
	Zip                     // a pack .zip
)

// String names the kind for the organizer.
func (k Kind) String() string {
	switch k {
	case Spreadsheet:
		return "spreadsheet"
	case Folder:
		return "pack folder"
	default:
		return "pack zip"
	}
}

// Options configure a Studio.
type Options struct {
	// TempDir is where spreadsheets are built and working copies kept (a
	// built pack is as large as its photos); "" means DefaultTempDir.
	TempDir string
	// Trusted are the public keys whose signatures count, as in `kiosk
	// pack verify --trusted-key`; a signature by another key is a problem.
	Trusted sign.Keys
	Now     func() time.Time // nil means time.Now
	Logger  *slog.Logger     // nil means slog.Default()
}

func (o *Options) fill() {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// Problem is one thing the organizer should fix.
type Problem struct {
	// Text is the line as `kiosk pack build` or `kiosk pack verify` prints it.
	Text   string
	Row    int    // the spreadsheet line, 0 when not about a row
	Person string // the person's id when known, "" otherwise
	Field  string // the column or the manifest field, "" for the whole file
	// Note marks what is not an error but worth a look (a photo that
	// matched nobody, a person shown with the silhouette).
	Note bool
}

// Person is one person to preview.
type Person struct {
	Entry show.Entry
	Row   int // the spreadsheet line the person came from, 0 for a pack
	// LeftOut marks a spreadsheet row the pack leaves out for a problem
	// with its photo: previewed with the silhouette, to be fixed.
	LeftOut bool
}

// Snapshot is one opening or reloading of the source: read-only once
// made, safe to read from any goroutine. Its Pack stays readable until the
// Studio replaces or closes it.
type Snapshot struct {
	Source   string // what the organizer opened
	Kind     Kind
	Photos   string // the photo folder of a spreadsheet
	PackPath string // the pack previews read: the built zip, or the source
	Manifest *pack.Manifest
	People   []Person
	Problems []Problem
	Signed   bool // the pack carries a signature by a trusted key
	// Opened is how long opening took (building, reading, checking).
	Opened time.Duration

	rec  store.PackRecord
	pk   *pack.Pack
	base string   // the file name of the pack in problems ("pack.zip")
	tmp  []string // the studio's folders this snapshot uses, removed when it is retired (guarded by Studio.mu)
}

// Entries are the people in the pack, as the show lists them.
func (s *Snapshot) Entries() []show.Entry {
	out := make([]show.Entry, 0, len(s.People))
	for _, p := range s.People {
		if !p.LeftOut {
			out = append(out, p.Entry)
		}
	}
	return out
}

// Find is the index in People of the person with id, -1 if none.
func (s *Snapshot) Find(id string) int {
	for i, p := range s.People {
		if p.Entry.Person.ID == id {
			return i
		}
	}
	return -1
}

// HasPack reports whether a pack could be made (a spreadsheet with no
// usable row makes none).
func (s *Snapshot) HasPack() bool { return s != nil && s.pk != nil }

// Studio holds what is open. Its methods are safe for concurrent use;
// Open, Reload, Sign and the others take turns.
type Studio struct {
	opt  Options
	work string // the studio's own temporary folder

	op sync.Mutex // one operation at a time

	mu       sync.Mutex
	cur      *Snapshot
	print    fingerprint
	photos   string // the photo folder asked for ("" to find it)
	zip      string // the working zip: built, copied or made from the folder
	exported []string
	old      []*Snapshot // replaced snapshots a preview may still be reading; at most keepOld
	n        int
}

// DefaultTempDir is the studio's folder beside the kiosk's cache (on disk,
// where the system's temporary folder may be memory), else the system's
// temporary folder.
func DefaultTempDir() string {
	if dir, err := os.UserCacheDir(); err == nil {
		studio := filepath.Join(dir, "solidarity-kiosk", "studio")
		if os.MkdirAll(studio, 0o700) == nil {
			return studio
		}
	}
	return os.TempDir()
}

// staleAfter is when a studio folder left by a studio that did not close
// (a crash, a power cut) is removed by the next studio.
const staleAfter = 24 * time.Hour

// New makes a studio with nothing open.
func New(opt Options) (*Studio, error) {
	opt.fill()
	if opt.TempDir == "" {
		opt.TempDir = DefaultTempDir()
		removeStale(opt.TempDir, opt.Now())
	}
	work, err := os.MkdirTemp(opt.TempDir, "kiosk-studio-*")
	if err != nil {
		return nil, fmt.Errorf("studio: making its temporary folder: %w", err)
	}
	return &Studio{opt: opt, work: work}, nil
}

// removeStale removes the folders of studios that did not close, a day on.
func removeStale(dir string, now time.Time) {
	old, _ := filepath.Glob(filepath.Join(dir, "kiosk-studio-*"))
	for _, d := range old {
		if fi, err := os.Stat(d); err == nil && fi.IsDir() && now.Sub(fi.ModTime()) > staleAfter {
			_ = os.RemoveAll(d)
		}
	}
}

// Close releases the open pack and removes the studio's temporary files.
func (st *Studio) Close() error {
	st.op.Lock()
	defer st.op.Unlock()
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.cur != nil {
		st.cur.release()
	}
	for _, s := range st.old {
		s.release()
	}
	st.cur, st.old = nil, nil
	return os.RemoveAll(st.work)
}

// keepOld is how many replaced snapshots stay readable: a preview being
// drawn may still read the one just replaced. Older ones are closed and
// their temporary folders (a built zip: as large as the photos) removed,
// so reloading does not fill the disk.
const keepOld = 1

// retire replaces s by a newer snapshot (Studio.mu held).
func (st *Studio) retire(s *Snapshot) {
	if s == nil {
		return
	}
	st.old = append(st.old, s)
	for len(st.old) > keepOld {
		st.old[0].release()
		st.old = st.old[1:]
	}
}

// release closes the snapshot's pack and removes its temporary folders.
func (s *Snapshot) release() {
	if s.pk != nil {
		_ = s.pk.Close()
	}
	for _, d := range s.tmp {
		_ = os.RemoveAll(d)
	}
	s.tmp = nil
}

// Current is what is open, nil before anything was.
func (st *Studio) Current() *Snapshot {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.cur
}

// Open opens path: a .csv spreadsheet (photos is its photo folder; ""
// finds one: a "photos" folder beside it, else the spreadsheet's own
// folder), a pack folder or a pack zip. A source that cannot be read at
// all is an error; everything wrong inside it is in the Snapshot's
// Problems.
func (st *Studio) Open(ctx context.Context, path, photos string) (*Snapshot, error) {
	st.op.Lock()
	defer st.op.Unlock()
	return st.open(ctx, path, photos)
}

// Reload opens the current source again.
func (st *Studio) Reload(ctx context.Context) (*Snapshot, error) {
	st.op.Lock()
	defer st.op.Unlock()
	cur := st.Current()
	if cur == nil {
		return nil, errors.New("studio: nothing is open")
	}
	st.mu.Lock()
	photos := st.photos
	st.mu.Unlock()
	return st.open(ctx, cur.Source, photos)
}

func (st *Studio) open(ctx context.Context, path, photos string) (*Snapshot, error) {
	start := time.Now()
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	st.n++
	n := st.n
	st.mu.Unlock()
	kind := Zip
	switch {
	case fi.IsDir():
		kind = Folder
	case strings.EqualFold(filepath.Ext(path), ".csv"):
		kind = Spreadsheet
		if photos == "" {
			photos = PhotoFolder(path)
		}
	}
	// Taken before reading, so a change while reading is noticed after.
	fp := fingerprintOf(&Snapshot{Source: path, Kind: kind, Photos: photos})
	var s *Snapshot
	if kind == Spreadsheet {
		s, err = st.openSheet(ctx, path, photos, n)
	} else {
		s, err = st.openPack(ctx, path, kind)
	}
	if err != nil {
		return nil, err
	}
	s.Opened = time.Since(start)
	st.mu.Lock()
	st.retire(st.cur)
	st.cur, st.print, st.photos, st.exported = s, fp, photos, nil
	st.zip = ""
	st.mu.Unlock()
	st.opt.Logger.Info("studio opened", "source", path, "kind", s.Kind.String(), "people", len(s.People),
		"problems", len(s.Problems), "took", s.Opened.Round(time.Millisecond))
	return s, nil
}

// openPack opens a pack folder or zip and lists its problems as `kiosk
// pack verify` words them, but for the photos' pixels (Verify decodes them).
func (st *Studio) openPack(ctx context.Context, path string, kind Kind) (*Snapshot, error) {
	p, err := pack.OpenContext(context.WithoutCancel(ctx), path, pack.DefaultLimits())
	if err != nil {
		return nil, err
	}
	s := &Snapshot{Source: path, Kind: kind, PackPath: path, pk: p, Manifest: p.Manifest, base: filepath.Base(path)}
	probs := p.Check(st.opt.Now(), photoPaths(p.Manifest))
	s.Signed, probs = st.signature(p, probs)
	s.Problems = fromPack(probs)
	if err := s.people(); err != nil {
		_ = p.Close()
		return nil, err
	}
	return s, nil
}

// signature checks the pack's signature against the trusted keys.
func (st *Studio) signature(p *pack.Pack, probs pack.Problems) (bool, pack.Problems) {
	if p.Signature == nil || len(st.opt.Trusted) == 0 {
		return false, probs
	}
	if _, err := sign.Verify(st.opt.Trusted, p.ManifestBytes, p.Signature); err != nil {
		return false, append(probs, pack.Problem{File: pack.SignatureFile, Index: -1, Msg: err.Error()})
	}
	return true, probs
}

// photoPaths are the photos whose hashes Check leaves to the preview and to
// Verify (reading 400 photos before the first preview would keep the
// organizer waiting).
func photoPaths(m *pack.Manifest) map[string]bool {
	out := map[string]bool{}
	for _, p := range m.People {
		if p.Photo != "" {
			out[p.Photo] = true
		}
	}
	return out
}

// fromPack turns the pack's problems into the studio's.
func fromPack(probs pack.Problems) []Problem {
	out := make([]Problem, 0, len(probs))
	for _, p := range probs {
		out = append(out, Problem{Text: p.String(), Person: p.PersonID, Field: p.Field})
	}
	return out
}

// people lists the pack's people as the kiosk would store them (what
// consent forbids removed).
func (s *Snapshot) people() error {
	rec, err := recordOf(s.Manifest)
	if err != nil {
		return err
	}
	s.rec = rec
	entries, err := show.Entries([]store.PackRecord{rec})
	if err != nil {
		return err
	}
	for _, e := range entries {
		s.People = append(s.People, Person{Entry: e})
	}
	return nil
}

// photoRef marks a stored photo that is a file of the open pack.
const photoRef = "pack:"

// recordOf is the record an import would store for m, with the pack's own
// photo files standing for the prepared images.
func recordOf(m *pack.Manifest) (store.PackRecord, error) {
	shown := *m
	shown.People = append([]pack.Person(nil), m.People...)
	rec := store.PackRecord{ID: m.ID, Version: m.Version, People: len(m.People), Photos: map[string]store.Photo{}}
	for i := range shown.People {
		p := &shown.People[i]
		if !p.Consent.PhotoAllowed() {
			p.Photo = ""
		}
		if !p.Consent.AddressAllowed() && p.Facility != nil {
			f := *p.Facility
			f.Address = ""
			p.Facility = &f
		}
		if p.Photo != "" {
			ref := store.ImageRef{Hash: photoRef + p.Photo}
			rec.Photos[p.ID] = store.Photo{Display: ref, Master: ref, Thumb: ref}
		}
	}
	raw, err := json.Marshal(&shown)
	if err != nil {
		return store.PackRecord{}, fmt.Errorf("studio: encoding the manifest of %q: %w", m.ID, err)
	}
	rec.Manifest = raw
	return rec, nil
}

// Blob reads a photo of the open pack (slides.Photos), checked against
// its hash in files.
func (s *Snapshot) Blob(hash string) ([]byte, error) {
	name, ok := strings.CutPrefix(hash, photoRef)
	if !ok || s.pk == nil {
		return nil, fmt.Errorf("studio: no image %q in the open pack", hash)
	}
	return s.pk.ReadFile(name)
}

// Pack is the open pack's record (slides.Photos).
func (s *Snapshot) Pack(id string) (store.PackRecord, error) {
	if id != s.rec.ID {
		return store.PackRecord{}, fmt.Errorf("studio: pack %q is not open", id)
	}
	return s.rec, nil
}

// Verify checks the pack as `kiosk pack verify` does, decoding every photo,
// and returns its problems in the same words (none: nil). It reads the
// pack's path, so it may take a while on a large pack.
func (st *Studio) Verify(ctx context.Context, s *Snapshot) ([]Problem, error) {
	if !s.HasPack() {
		return nil, errors.New("studio: no pack to verify")
	}
	opt := importer.DefaultOptions()
	opt.Now, opt.Logger, opt.Trusted = st.opt.Now, discard(), st.opt.Trusted
	opt.Workers = max(1, runtime.NumCPU()-1) // the window keeps a core
	_, err := importer.Verify(ctx, s.PackPath, opt)
	if err == nil {
		return nil, nil
	}
	var probs pack.Problems
	if !errors.As(err, &probs) {
		return nil, err
	}
	return fromPack(probs), nil
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
