package atomicfile

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A temporary file is named .BASE.PID.RANDOM.tmp beside its target, so
// that the next write of the same target can tell a leftover of a process
// that was killed (its PID is gone) from the file of a write still running,
// and remove it.

// staleAge is how old a temporary file of the earlier naming
// (.BASE.RANDOM.tmp, no PID) or of a process whose liveness cannot be
// checked must be before it is taken for a leftover.
const staleAge = time.Hour

func tempPrefix(base string, pid int) string {
	return "." + base + "." + strconv.Itoa(pid) + "."
}

// sweep removes the leftovers of earlier writes of dir/base.
func sweep(dir, base string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		mid, ok := strings.CutPrefix(name, "."+base+".")
		if !ok || !strings.HasSuffix(mid, ".tmp") || !e.Type().IsRegular() {
			continue
		}
		if path := filepath.Join(dir, name); leftover(path, mid, e) {
			_ = os.Remove(path)
		}
	}
}

// leftover says whether the temporary file at path (mid is its name after
// ".BASE.") belongs to no running write.
func leftover(path, mid string, e os.DirEntry) bool {
	pidField, rest, ok := strings.Cut(mid, ".")
	pid, err := strconv.Atoi(pidField)
	if ok && err == nil && pid > 0 && strings.HasSuffix(rest, ".tmp") {
		if pid == os.Getpid() {
			return !pending.has(path)
		}
		if alive, known := processAlive(pid); known {
			return !alive
		}
	}
	return old(e)
}

func old(e os.DirEntry) bool {
	fi, err := e.Info()
	return err == nil && time.Since(fi.ModTime()) > staleAge
}

// pending holds the temporary files of the writes in progress in this
// process, for RemovePending. It is process-wide on purpose: a signal ends
// the process, whoever started the write.
var pending = &tempSet{names: map[string]bool{}}

type tempSet struct {
	mu    sync.Mutex
	names map[string]bool
}

func (t *tempSet) has(path string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.names[path]
}

func track(name string) {
	pending.mu.Lock()
	pending.names[name] = true
	pending.mu.Unlock()
}

func untrack(name string) {
	pending.mu.Lock()
	delete(pending.names, name)
	pending.mu.Unlock()
}

// RemovePending removes the temporary files of every write in progress.
// A command calls it when a signal ends the process before its writes
// could wind down, so no temporary file outlives it.
func RemovePending() {
	pending.mu.Lock()
	defer pending.mu.Unlock()
	for name := range pending.names {
		_ = os.Remove(name)
		delete(pending.names, name)
	}
}
