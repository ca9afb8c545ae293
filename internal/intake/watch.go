package intake

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

// watchDepth is how deep under the watched folder packs are looked for:
// /media/USER/STICK/pack.zip is two levels below /media.
const watchDepth = 3

// Watch polls dir every interval and queues each pack that appears under
// it: a .zip, or a folder holding pack.json. A pack is queued once it has
// stopped changing between two polls (a copy still being written is left
// alone), and only once for as long as it stays the same; a pack the cache
// already holds from that path, imported after its last change, is not
// imported again when the kiosk restarts.
func (s *Service) Watch(ctx context.Context, dir string, interval time.Duration) {
	w := newWatcher()
	s.opt.Logger.Info("watching for packs", "dir", dir, "every", interval)
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		for _, c := range w.poll(dir) {
			if s.alreadyImported(c) {
				continue
			}
			_ = s.Add(c.path, "watch")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// alreadyImported reports whether the cache holds a pack imported from
// c's path after c last changed.
func (s *Service) alreadyImported(c candidate) bool {
	recs, err := s.st.Packs()
	if err != nil {
		return false
	}
	for _, r := range recs {
		if r.Source == c.path && r.ImportedAt.After(c.modTime) {
			return true
		}
	}
	return false
}

// candidate is a pack found under the watched folder.
type candidate struct {
	path    string
	print   string    // changes whenever any of its files does
	modTime time.Time // its newest file
}

// watcher remembers what the previous poll saw.
type watcher struct {
	last   map[string]string // path → fingerprint at the previous poll
	queued map[string]string // path → fingerprint when it was queued
}

func newWatcher() *watcher {
	return &watcher{last: map[string]string{}, queued: map[string]string{}}
}

// poll returns the packs ready to be queued: seen unchanged since the
// previous poll and not queued with this fingerprint before.
func (w *watcher) poll(dir string) []candidate {
	now := map[string]string{}
	var ready []candidate
	for _, c := range findPacks(dir) {
		now[c.path] = c.print
		if w.last[c.path] == c.print && w.queued[c.path] != c.print {
			w.queued[c.path] = c.print
			ready = append(ready, c)
		}
	}
	w.last = now
	for p := range w.queued {
		if _, ok := now[p]; !ok {
			delete(w.queued, p) // the stick was pulled: queue it again when it returns changed
		}
	}
	return ready
}

// findPacks lists the packs under dir, sorted by path.
func findPacks(dir string) []candidate {
	var out []candidate
	root := filepath.Clean(dir)
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable: skip, a stick may be half-mounted
		}
		depth := strings.Count(strings.TrimPrefix(path, root), string(filepath.Separator))
		if path != root && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case d.IsDir() && isPackDir(path):
			if c, ok := fingerprint(path); ok {
				out = append(out, c)
			}
			return filepath.SkipDir
		case d.IsDir() && depth >= watchDepth:
			return filepath.SkipDir
		case d.Type().IsRegular() && strings.EqualFold(filepath.Ext(path), ".zip"):
			if c, ok := fingerprint(path); ok {
				out = append(out, c)
			}
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].path < out[j].path })
	return out
}

func isPackDir(path string) bool {
	fi, err := os.Stat(filepath.Join(path, pack.ManifestFile))
	return err == nil && fi.Mode().IsRegular()
}

// fingerprint sums the names, sizes and times of a pack's files.
func fingerprint(path string) (candidate, bool) {
	c := candidate{path: path}
	h := sha256.New()
	err := filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00%d\n", p, fi.Size(), fi.ModTime().UnixNano())
		if fi.ModTime().After(c.modTime) {
			c.modTime = fi.ModTime()
		}
		return nil
	})
	if err != nil {
		return c, false
	}
	c.print = hex.EncodeToString(h.Sum(nil))
	return c, true
}
