package fetch

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/atomicfile"
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

// loadState reads the state of u; a missing file is a fresh start.
func loadState(dir, u string) (urlState, error) {
	fresh := urlState{URL: u}
	data, err := os.ReadFile(statePath(dir, u))
	if errors.Is(err, fs.ErrNotExist) {
		return fresh, nil
	}
	if err != nil {
		return fresh, err
	}
	var s urlState
	if err := json.Unmarshal(data, &s); err != nil {
		return fresh, fmt.Errorf("%s: %w", statePath(dir, u), err)
	}
	if s.URL != u {
		return fresh, fmt.Errorf("%s: holds the state of %s", statePath(dir, u), s.URL)
	}
	return s, nil
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
