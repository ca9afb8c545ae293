package intake

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// No crash loop.
//
// Every import is recorded in the cache as it starts and as it ends (see
// store.Attempt), under its source: the pack's absolute path, or the URL it
// was downloaded from. An automatic import (a watched folder, a --pack given
// at start, a URL re-check) is skipped when the last attempt for that source
// failed, was refused or took the process down, and the source's content
// is the same: a pack that kills the kiosk is tried once, not at every
// restart. It is tried again when its file changes, or when an operator
// asks: a pack dropped on the window, imported from the studio or with
// `kiosk pack import` is always tried.

// automatic reports whether imports from origin are started by the kiosk
// itself rather than by an operator.
func automatic(origin string) bool {
	switch origin {
	case "watch", "command line", "url":
		return true
	}
	return false
}

// SourceKey is the name under which the cache remembers the import attempts
// of a pack at path: its absolute, cleaned path.
func SourceKey(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return filepath.Clean(path)
}

// Identity names the content of the pack at path cheaply enough for a USB
// stick: a .zip by its size and modification time (one stat), a folder by a
// hash of its files' names, sizes and times (no file is read).
func Identity(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if fi.IsDir() {
		c, ok := fingerprint(path)
		if !ok {
			return "", fmt.Errorf("%s: cannot list its files", path)
		}
		return "files:" + c.print, nil
	}
	return fmt.Sprintf("size=%d mtime=%d", fi.Size(), fi.ModTime().UnixNano()), nil
}

// contentHash names a downloaded pack by the SHA-256 of its bytes (a fresh
// download has a fresh modification time, so only its content tells).
func contentHash(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// NotRetriedError is the result of an automatic import skipped because the
// last attempt at the same content failed or took the kiosk down.
type NotRetriedError struct {
	Attempt store.Attempt
}

// Error says why, when and how to try again.
func (e *NotRetriedError) Error() string { return e.Attempt.NotRetried() }
