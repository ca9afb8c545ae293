package fetch

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
	"unicode/utf8"

	"github.com/solidarity-kiosk/kiosk/internal/atomicfile"
)

const (
	// maxStateBytes is the largest state file read; ours are a few hundred
	// bytes.
	maxStateBytes = 64 << 10
	// maxValidator is the longest ETag or Last-Modified remembered: a
	// longer one is not sent back, the next check asks unconditionally.
	maxValidator = 1 << 10
)

// urlState is what is remembered about one URL between checks and restarts.
// ETag and LastModified belong to the last download that was imported.
type urlState struct {
	URL          string    `json:"url"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	LastSuccess  time.Time `json:"last_success,omitzero"`
	LastImport   time.Time `json:"last_import,omitzero"`
}

// statePath is the state file of u under dir: one small file per URL, so
// URLs checked at the same time never write the same file.
func statePath(dir, u string) string {
	sum := sha256.Sum256([]byte(u))
	return filepath.Join(dir, "state-"+hex.EncodeToString(sum[:8])+".json")
}

// loadState reads the state of u; a missing file is a fresh start, and so
// is a damaged one (with the error saying what is wrong with it). The file
// is left alone: the next successful check replaces it.
func loadState(dir, u string) (urlState, error) {
	fresh := urlState{URL: u}
	path := statePath(dir, u)
	data, err := readSmall(path, maxStateBytes)
	if errors.Is(err, fs.ErrNotExist) {
		return fresh, nil
	}
	if err != nil {
		return fresh, err
	}
	s, err := parseState(data, u)
	if err != nil {
		return fresh, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}

// readSmall reads the regular file at path, refusing one larger than
// limit bytes (and anything else: a folder, a pipe, a link) before
// reading it.
func readSmall(path string, limit int64) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("%s: not a regular file (%v)", path, fi.Mode().Type())
	}
	if fi.Size() > limit {
		return nil, fmt.Errorf("%s: %d bytes, more than the %d a state file may hold", path, fi.Size(), limit)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err == nil && int64(len(data)) > limit {
		err = fmt.Errorf("%s: more than the %d bytes a state file may hold", path, limit)
	}
	return data, err
}

// parseState decodes the state file of u.
func parseState(data []byte, u string) (urlState, error) {
	var s urlState
	if err := json.Unmarshal(data, &s); err != nil {
		return urlState{URL: u}, err
	}
	if s.URL != u {
		return urlState{URL: u}, fmt.Errorf("holds the state of %q", printable(s.URL, maxStatusText))
	}
	for _, v := range []string{s.ETag, s.LastModified} {
		if !validValidator(v) {
			return urlState{URL: u}, fmt.Errorf("validator %q cannot be sent back", printable(v, maxStatusText))
		}
	}
	return s, nil
}

// validValidator says whether v (an ETag or a Last-Modified) can be
// remembered and sent back: at most maxValidator bytes of UTF-8 that a
// header value may hold (no control characters but tab).
func validValidator(v string) bool {
	if len(v) > maxValidator || !utf8.ValidString(v) {
		return false
	}
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// saveState writes the state of s.URL through a temporary file and a
// rename, so a crash leaves the old state or the new one, never half.
func saveState(dir string, s urlState) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(statePath(dir, s.URL), append(data, '\n'), 0o600)
}
