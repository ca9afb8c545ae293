// Package intake imports packs while the show runs: packs dropped on the
// window, found in a watched folder (a USB stick under /media) or fetched
// from a URL. Imports run one at a time on the show's open cache, with one
// core fewer than the machine has so the show keeps its pace; progress and
// results are reported for the operator panel. It does not import Fyne.
package intake

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/demo"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/importer"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// Result is the outcome of one import.
type Result struct {
	Path   string
	Origin string // "drop", "watch", "url", "command line"
	Report importer.Report
	Err    error
	At     time.Time
}

// String is the line the operator reads.
func (r Result) String() string {
	if r.Err != nil {
		first, _, _ := strings.Cut(r.Err.Error(), "\n")
		n := strings.Count(strings.TrimRight(r.Err.Error(), "\n"), "\n") + 1
		more := ""
		if n > 1 {
			more = fmt.Sprintf(" (and %d more problem(s); `kiosk pack verify %s` lists them all)", n-1, r.Path)
		}
		return fmt.Sprintf("skipped %s (%s): %s%s", r.Path, r.Origin, first, more)
	}
	return fmt.Sprintf("imported %q version %q from %s: %d people, %d photos, %d with the silhouette",
		r.Report.PackID, r.Report.Version, r.Path, r.Report.People, r.Report.Photos, r.Report.Silhouettes)
}

// Status is what the operator panel shows.
type Status struct {
	Current  string            // the pack being imported, "" when idle
	Progress importer.Progress // of the current import
	Queued   int               // waiting after it
	Recent   []Result          // the latest results, newest first
	Imported int               // packs imported since the kiosk started
	Skipped  int               // packs refused or not retried since the kiosk started
	// NotRetried counts the automatic imports left out (and counted in
	// Skipped) because the same pack failed or took the kiosk down before.
	NotRetried int
}

// Options configure a Service.
type Options struct {
	Import importer.Options
	// OnChange is called with every new status (progress included), from
	// the service's goroutine; it must not block.
	OnChange func(Status)
	// OnImported is called after each successful import, so the show can
	// take the new people into its playlist.
	OnImported func(importer.Report)
	Logger     *slog.Logger
}

// Listen sets the callbacks of Options after New (the show window that
// listens exists only after the service is made). Call it before Run.
func (s *Service) Listen(onChange func(Status), onImported func(importer.Report)) {
	s.opt.OnChange, s.opt.OnImported = onChange, onImported
}

type job struct {
	path, origin string
	source       string          // recorded as where the pack came from; default path
	refit        *imageprep.Size // not an import: re-fit the stored photos to this box
	done         chan error      // nil when nobody waits
}

// Service imports packs one at a time into a store.
type Service struct {
	st   *store.Store
	opt  Options
	jobs chan job

	mu     sync.Mutex
	status Status
}

// maxRecent is how many results the status keeps.
const maxRecent = 8

// New makes a service importing into st; Run starts it.
func New(st *store.Store, opt Options) *Service {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.Import.Workers == 0 {
		opt.Import.Workers = max(1, runtime.NumCPU()-1) // the show keeps a core
	}
	opt.Import.Logger = opt.Logger
	return &Service{st: st, opt: opt, jobs: make(chan job, 64)}
}

// ErrQueueFull is returned when too many imports are waiting.
var ErrQueueFull = errors.New("too many imports waiting; try again when the current ones are done")

// Add queues the pack at path for import and returns at once.
func (s *Service) Add(path, origin string) error {
	return s.enqueue(job{path: path, origin: origin})
}

// ImportAndWait queues the pack at path and waits for its import to end.
func (s *Service) ImportAndWait(ctx context.Context, path, origin string) error {
	return s.importAndWait(ctx, job{path: path, origin: origin, done: make(chan error, 1)})
}

func (s *Service) importAndWait(ctx context.Context, j job) error {
	if err := s.enqueue(j); err != nil {
		return err
	}
	select {
	case err := <-j.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ImportDownload imports a pack downloaded from url (saved at path) and
// waits for the result; the cache records the URL as its source.
func (s *Service) ImportDownload(ctx context.Context, url, path string) error {
	return s.importAndWait(ctx, job{path: path, origin: "url", source: url, done: make(chan error, 1)})
}

func (s *Service) enqueue(j job) error {
	select {
	case s.jobs <- j:
		s.update(func(st *Status) { st.Queued++ })
		s.opt.Logger.Info("pack queued for import", "path", j.path, "from", j.origin)
		return nil
	default:
		s.opt.Logger.Warn("pack not queued: the import queue is full", "path", j.path, "from", j.origin)
		return ErrQueueFull
	}
}

// Status returns the current status.
func (s *Service) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.status
	st.Recent = append([]Result(nil), st.Recent...)
	return st
}

func (s *Service) update(fn func(*Status)) {
	s.mu.Lock()
	fn(&s.status)
	st := s.status
	st.Recent = append([]Result(nil), st.Recent...)
	s.mu.Unlock()
	if s.opt.OnChange != nil {
		s.opt.OnChange(st)
	}
}

// Run imports queued packs until ctx ends.
func (s *Service) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-s.jobs:
			s.run(ctx, j)
		}
	}
}

// Refit queues re-making the display images of every installed pack for
// a photo box of size box (the kiosk is on another screen size than the
// packs were imported for), from the masters the cache keeps. Nothing is
// queued when every pack already fits box.
func (s *Service) Refit(box imageprep.Size) {
	recs, err := s.st.Packs()
	if err != nil {
		return
	}
	for _, r := range recs {
		if len(r.Photos) > 0 && (r.DisplayW != box.W || r.DisplayH != box.H) {
			_ = s.enqueue(job{path: fmt.Sprintf("photos for a %dx%d photo box", box.W, box.H), origin: "screen size", refit: &box})
			return
		}
	}
}

func (s *Service) run(ctx context.Context, j job) {
	if j.refit != nil {
		s.runRefit(ctx, j)
		return
	}
	s.update(func(st *Status) {
		st.Queued--
		st.Current, st.Progress = j.path, importer.Progress{}
	})
	opt := s.opt.Import
	opt.Source = j.path
	if j.source != "" {
		opt.Source = j.source
	}
	key, ident := s.attemptOf(j)
	if a, ok := s.blockedBy(j, key, ident); ok {
		s.finish(j, Result{Path: opt.Source, Origin: j.origin, Err: &NotRetriedError{Attempt: a}, At: time.Now()})
		return
	}
	record := s.st.ReadOnlyReason() == "" // a read-only cache refuses the import anyway
	if err := s.st.BeginAttempt(key, ident, j.origin); record && err != nil {
		s.opt.Logger.Warn("cannot record the start of an import in the cache", "source", key, "err", err)
	}
	opt.OnProgress = func(p importer.Progress) { s.update(func(st *Status) { st.Progress = p }) }
	// The kiosk told to stop (quit, SIGTERM) may end before a long decode
	// returns: the marker goes at once, as that stop is not the pack's doing.
	unwatch := context.AfterFunc(ctx, func() {
		if record {
			_ = s.st.ClearAttempt(key)
		}
	})
	rep, err := importer.Import(ctx, s.st, j.path, opt)
	unwatch()
	res := Result{Path: opt.Source, Origin: j.origin, Report: rep, Err: err, At: time.Now()}
	if err != nil {
		s.opt.Logger.Warn("pack skipped", "path", j.path, "from", j.origin, "problems", err.Error())
	}
	var endErr error
	if err != nil && ctx.Err() != nil {
		endErr = s.st.ClearAttempt(key) // stopped on purpose: not the pack's fault
	} else {
		endErr = s.st.EndAttempt(key, err)
	}
	if record && endErr != nil {
		s.opt.Logger.Warn("cannot record the end of an import in the cache", "source", key, "err", endErr)
	}
	s.finish(j, res)
	if err == nil {
		demo.Retire(s.st, rep.PackID, s.opt.Logger)
		if s.opt.OnImported != nil {
			s.opt.OnImported(rep)
		}
	}
	if j.done != nil {
		j.done <- err
	}
}

// attemptOf names the job's source and the identity of its content for the
// cache's attempt records.
func (s *Service) attemptOf(j job) (key, ident string) {
	var err error
	if j.source != "" { // a download: the URL, and a hash of what came
		key = j.source
		ident, err = contentHash(j.path)
	} else {
		key = SourceKey(j.path)
		ident, err = Identity(j.path)
	}
	if err != nil {
		s.opt.Logger.Debug("cannot identify the pack's content", "path", j.path, "err", err)
	}
	return key, ident
}

// blockedBy returns the remembered attempt that keeps an automatic import
// of the job from being tried again.
func (s *Service) blockedBy(j job, key, ident string) (store.Attempt, bool) {
	if !automatic(j.origin) {
		return store.Attempt{}, false
	}
	a, ok, err := s.st.LastAttempt(key)
	switch {
	case err != nil:
		s.opt.Logger.Warn("cannot read the pack's earlier import attempts; importing it", "source", key, "err", err)
		return a, false
	case !ok || a.Damage != "":
		return a, false
	case a.Blocks(ident):
		s.opt.Logger.Warn("pack not retried: its last import failed or took the kiosk down, and it has not changed since; import it by hand to try again",
			"source", key, "from", j.origin, "outcome", a.Outcome, "why", firstLine(a.Reason), "at", a.When())
		return a, true
	case a.Outcome == store.AttemptFailed || a.Outcome == store.AttemptDied:
		s.opt.Logger.Info("retrying a pack whose last import failed: it has changed since", "source", key, "from", j.origin, "outcome", a.Outcome)
	}
	return a, false
}

func firstLine(s string) string {
	first, _, _ := strings.Cut(s, "\n")
	return first
}

// finish records a result in the status.
func (s *Service) finish(j job, res Result) {
	_, notRetried := res.Err.(*NotRetriedError)
	s.update(func(st *Status) {
		st.Current = ""
		st.Recent = append([]Result{res}, st.Recent...)
		if len(st.Recent) > maxRecent {
			st.Recent = st.Recent[:maxRecent]
		}
		switch {
		case notRetried:
			st.Skipped++
			st.NotRetried++
		case res.Err != nil:
			st.Skipped++
		default:
			st.Imported++
		}
	})
	if notRetried && j.done != nil {
		j.done <- res.Err
	}
}

// runRefit re-fits the stored photos; the show then reloads its playlist,
// since the display images have new hashes.
func (s *Service) runRefit(ctx context.Context, j job) {
	s.update(func(st *Status) { st.Queued--; st.Current = j.path })
	start := time.Now()
	err := importer.Rederive(ctx, s.st, *j.refit, s.opt.Import)
	s.update(func(st *Status) { st.Current = "" })
	if err != nil {
		s.opt.Logger.Error("re-fitting the photos for this screen", "err", err)
	} else {
		s.opt.Logger.Info("photos re-fitted for this screen", "box", fmt.Sprintf("%dx%d", j.refit.W, j.refit.H), "took", time.Since(start).Round(time.Millisecond))
		if s.opt.OnImported != nil {
			s.opt.OnImported(importer.Report{})
		}
	}
	if j.done != nil {
		j.done <- err
	}
}
