package studio

import (
	"context"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// maxWatched bounds the files looked at for changes in a pack folder or a
// photo folder; past it, changes further down are not noticed.
const maxWatched = 20_000

// fingerprint sums the names, sizes and times of what a snapshot was made
// from: when it differs, the source changed on disk.
type fingerprint uint64

// fingerprintOf sums the spreadsheet and its photo folder's top level (what
// pack build reads), a pack folder's files, or a zip.
func fingerprintOf(s *Snapshot) fingerprint {
	h := fnv.New64a()
	add := func(path string, fi fs.FileInfo) {
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00%v\n", path, fi.Size(), fi.ModTime().UnixNano(), fi.IsDir())
	}
	stat := func(path string) {
		if fi, err := os.Stat(path); err == nil {
			add(path, fi)
		} else {
			fmt.Fprintf(h, "%s\x00missing\n", path)
		}
	}
	stat(s.Source)
	switch s.Kind {
	case Spreadsheet:
		stat(s.Photos)
		if entries, err := os.ReadDir(s.Photos); err == nil {
			for i, e := range entries {
				if i == maxWatched {
					break
				}
				if fi, err := e.Info(); err == nil {
					add(e.Name(), fi)
				}
			}
		}
	case Folder:
		n := 0
		_ = filepath.WalkDir(s.Source, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if n++; n > maxWatched {
				return filepath.SkipAll
			}
			if fi, err := d.Info(); err == nil {
				add(path, fi)
			}
			return nil
		})
	}
	return fingerprint(h.Sum64())
}

// Changed reports whether the open source changed on disk since it was
// opened (or last reloaded).
func (st *Studio) Changed() bool {
	st.mu.Lock()
	cur, was := st.cur, st.print
	st.mu.Unlock()
	return cur != nil && fingerprintOf(cur) != was
}

// Watch looks for changes to the open source every interval (a second
// is cheap: a stat per photo) until ctx is done. When something changed
// and has then stayed the same for one interval (a photo being copied in
// is not read half-written), it reloads and calls onReload with the new
// snapshot, or with the error. It runs on the caller's goroutine.
func (st *Studio) Watch(ctx context.Context, interval time.Duration, onReload func(*Snapshot, error)) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var pending fingerprint
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		st.mu.Lock()
		cur, was := st.cur, st.print
		st.mu.Unlock()
		if cur == nil {
			continue
		}
		now := fingerprintOf(cur)
		if now == was {
			pending = 0
			continue
		}
		if now != pending { // still changing: wait until it settles
			pending = now
			continue
		}
		pending = 0
		s, err := st.Reload(ctx)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			st.mu.Lock()
			st.print = now // reported once, not every second
			st.mu.Unlock()
		}
		onReload(s, err)
	}
}
