package cli

import (
	"fmt"
	"log/slog"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/fetch"
	"github.com/solidarity-kiosk/kiosk/internal/intake"
)

// startURLs keeps URL packs up to date in the background: each is fetched
// with conditional requests, imported through the queue when it changed,
// and its state is shown on the operator panel (and only there: a kiosk
// without network goes on showing its cache).
func (s *sources) startURLs(urls []string, cacheDir, tempDir string, in *intake.Service, opts *ShowOptions, log *slog.Logger) error {
	if len(urls) == 0 {
		return nil
	}
	st := &urlStates{m: map[string]fetch.Status{}}
	f, err := fetch.New(fetch.Options{
		URLs: urls, Dir: filepath.Join(cacheDir, "downloads"), TempDir: tempDir, Interval: s.recheck, AllowHTTP: s.allowHTTP,
		Import: in.ImportDownload, Logger: log, OnStatus: st.set,
	})
	if err != nil {
		return fmt.Errorf("--pack: %w", err)
	}
	opts.Background = append(opts.Background, f.Run)
	opts.Notes = appendNotes(opts.Notes, st.lines)
	return nil
}

// urlStates keeps the latest status of each URL pack for the panel.
type urlStates struct {
	mu sync.Mutex
	m  map[string]fetch.Status
}

func (u *urlStates) set(s fetch.Status) {
	u.mu.Lock()
	defer u.mu.Unlock()
	u.m[s.URL] = s
}

// lines describes each URL pack: its state, when it last worked, when it
// is checked next.
func (u *urlStates) lines() []string {
	u.mu.Lock()
	defer u.mu.Unlock()
	var out []string
	for url, s := range u.m {
		line := fmt.Sprintf("%s: %s", url, s.State)
		if p := s.Progress(); p != "" {
			line = url + ": " + p
		}
		if s.State.Failure() {
			line += " — the show goes on with the cached pack"
			if s.Err != nil {
				line += " (" + s.Err.Error() + ")"
			}
		}
		if !s.LastSuccess.IsZero() {
			line += ", last reached " + s.LastSuccess.Local().Format("2006-01-02 15:04")
		}
		if !s.NextCheck.IsZero() {
			line += ", next check " + s.NextCheck.Local().Format(time.TimeOnly)
		}
		out = append(out, line)
	}
	sort.Strings(out)
	return out
}

// appendNotes adds more lines to the operator panel's notes.
func appendNotes(notes, more func() []string) func() []string {
	if notes == nil {
		return more
	}
	return func() []string { return append(notes(), more()...) }
}
