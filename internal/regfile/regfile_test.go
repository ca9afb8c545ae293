package regfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadBoundsARegularFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "kiosk.toml")
	if err := os.WriteFile(path, []byte("pace = 12\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := Read(path, 64); err != nil || string(got) != "pace = 12\n" {
		t.Fatalf("Read: %q, %v", got, err)
	}
	if _, err := Read(path, 4); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("a 10-byte file under a 4-byte bound: %v, want ErrTooLarge", err)
	}
	if _, err := Read(filepath.Join(dir, "missing"), 64); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("a missing file: %v, want fs.ErrNotExist", err)
	}
	if _, err := Read(dir, 64); !errors.Is(err, ErrNotRegular) || !strings.Contains(err.Error(), "a directory") {
		t.Fatalf("a directory: %v, want ErrNotRegular naming a directory", err)
	}
}
