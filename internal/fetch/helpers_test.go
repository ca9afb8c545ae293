package fetch_test

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/fetch"
)

// clock is the fixed time the tests run at.
var clock = time.Date(2026, 5, 20, 12, 0, 0, 0, time.UTC)

// importCall is one call of the Import callback.
type importCall struct {
	url, path string
	data      []byte
}

// importer records what Import is given and answers with err.
type importer struct {
	mu    sync.Mutex
	calls []importCall
	err   error
}

func (im *importer) Import(_ context.Context, url, path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	im.mu.Lock()
	defer im.mu.Unlock()
	im.calls = append(im.calls, importCall{url: url, path: path, data: data})
	return im.err
}

func (im *importer) count() int {
	im.mu.Lock()
	defer im.mu.Unlock()
	return len(im.calls)
}

func (im *importer) last(t *testing.T) importCall {
	t.Helper()
	im.mu.Lock()
	defer im.mu.Unlock()
	if len(im.calls) == 0 {
		t.Fatal("Import was never called")
	}
	return im.calls[len(im.calls)-1]
}

func (im *importer) setErr(err error) {
	im.mu.Lock()
	defer im.mu.Unlock()
	im.err = err
}

// recorder keeps every Status reported.
type recorder struct {
	mu   sync.Mutex
	seen []fetch.Status
}

func (r *recorder) OnStatus(s fetch.Status) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, s)
}

func (r *recorder) all() []fetch.Status {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]fetch.Status(nil), r.seen...)
}

// states lists the states reported, in order.
func (r *recorder) states() []fetch.State {
	var out []fetch.State
	for _, s := range r.all() {
		out = append(out, s.State)
	}
	return out
}

// finals are the statuses that end a check (they carry NextCheck in Run).
func (r *recorder) finals() []fetch.Status {
	var out []fetch.Status
	for _, s := range r.all() {
		if s.State != fetch.StateChecking && s.State != fetch.StateDownloading {
			out = append(out, s)
		}
	}
	return out
}

// sleeper records the delays asked for without waiting, and stops the run
// (cancels its context) after stopAfter of them.
type sleeper struct {
	mu        sync.Mutex
	delays    []time.Duration
	stopAfter int
	cancel    context.CancelFunc
}

func (s *sleeper) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.delays = append(s.delays, d)
	stop := len(s.delays) >= s.stopAfter
	s.mu.Unlock()
	if stop {
		s.cancel()
	}
	return ctx.Err()
}

func (s *sleeper) recorded() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.delays...)
}

// env is a Fetcher's surroundings in a test.
type env struct {
	dir string // Options.Dir
	tmp string // Options.TempDir
	im  *importer
	rec *recorder
	opt fetch.Options
}

// newEnv makes options for tests: a fresh Dir and TempDir, recorded
// imports and statuses, a fixed clock, http allowed (test servers are
// plain http).
func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{dir: t.TempDir(), tmp: t.TempDir(), im: &importer{}, rec: &recorder{}}
	e.opt = fetch.Options{
		Dir:       e.dir,
		TempDir:   e.tmp,
		AllowHTTP: true,
		Import:    e.im.Import,
		OnStatus:  e.rec.OnStatus,
		Now:       func() time.Time { return clock },
		Logger:    slog.New(slog.DiscardHandler),
		Sleep: func(context.Context, time.Duration) error {
			t.Error("unexpected Sleep")
			return nil
		},
	}
	return e
}

func (e *env) fetcher(t *testing.T) *fetch.Fetcher {
	t.Helper()
	f, err := fetch.New(e.opt)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// leftovers lists the files in Dir other than the state files, and every
// file in TempDir.
func (e *env) leftovers(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(e.dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, en := range entries {
		if !strings.HasPrefix(en.Name(), "state-") || !strings.HasSuffix(en.Name(), ".json") {
			out = append(out, en.Name())
		}
	}
	return append(out, e.downloads(t)...)
}

// downloads lists the files in TempDir.
func (e *env) downloads(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(e.tmp)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, en := range entries {
		out = append(out, filepath.Join("TempDir", en.Name()))
	}
	return out
}

// stateFiles lists the state files in Dir.
func (e *env) stateFiles(t *testing.T) []string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(e.dir, "state-*.json"))
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// wantNothingLeft fails when a download was left in Dir or TempDir.
func (e *env) wantNothingLeft(t *testing.T) {
	t.Helper()
	if left := e.leftovers(t); len(left) > 0 {
		t.Errorf("files left: %v", left)
	}
}

// writeFile writes text to dir/name.
func writeFile(dir, name, text string) error {
	return os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
}
