//go:build unix

package sign

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestKeyFilesThatNeverEnd: a device never ends, a pipe blocks whoever
// opens it; neither may hang the kiosk.
func TestKeyFilesThatNeverEnd(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "key.pub")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no named pipes:", err)
	}
	for _, p := range []string{"/dev/zero", fifo} {
		if _, err := LoadTrusted([]string{p}); err == nil || !strings.Contains(err.Error(), "not a regular file (want a minisign key file)") {
			t.Errorf("%s: %v", p, err)
		}
		if _, err := ReadKeyFile(p); err == nil {
			t.Errorf("ReadKeyFile(%s) read it", p)
		}
	}
}
