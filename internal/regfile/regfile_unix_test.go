//go:build unix

package regfile

import (
	"errors"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A FIFO and a device are refused at once, by what they are, and never
// read: /dev/zero would give bytes without end, a FIFO would block.
func TestReadRefusesSpecialFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "cache.db.position")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	start := time.Now()
	_, err := Read(fifo, 1<<20)
	if !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "named pipe") || time.Since(start) > time.Second {
		t.Fatalf("a FIFO: %v after %v, want ErrNotRegular at once", err, time.Since(start))
	}
	zero := filepath.Join(dir, "zero")
	if err := syscall.Mknod(zero, syscall.S_IFCHR|0o666, int(1<<8|5)); err != nil {
		t.Skipf("cannot make a device node here: %v", err)
	}
	if _, err := Read(zero, 1<<20); !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "character device") {
		t.Fatalf("a character device: %v, want ErrNotRegular naming it", err)
	}
	link := filepath.Join(dir, "link")
	if err := syscall.Symlink(zero, link); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(link, 1<<20); !errors.Is(err, ErrNotRegular) {
		t.Fatalf("a link to a device: %v, want ErrNotRegular", err)
	}
}
