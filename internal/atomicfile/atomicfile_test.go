package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteReplacesAndLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "state.json")
	for _, content := range []string{"first", "second, longer"} {
		if err := Write(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(path)
		if err != nil || string(got) != content {
			t.Fatalf("read %q, %v; want %q", got, err, content)
		}
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v", fi.Mode())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("%d files left in the folder, want 1", len(entries))
	}
	if err := Write(filepath.Join(dir, "missing", "x"), []byte("x"), 0o600); err == nil {
		t.Fatal("a write into a missing folder succeeded")
	}
}

// A stream that fails halfway leaves the earlier file whole and nothing
// else in the folder; one that succeeds replaces it.
func TestStreamFailingKeepsTheEarlierFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "placards.pdf")
	if err := Write(path, []byte("earlier"), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := errors.New("the writer failed")
	err := Stream(path, 0o644, func(f *os.File) error {
		_, _ = f.WriteString("half of a new")
		return broken
	})
	if !errors.Is(err, broken) {
		t.Fatalf("err %v, want the writer's", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "earlier" {
		t.Fatalf("after a failed stream the file reads %q", got)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("%d files left in the folder, want 1", len(entries))
	}
	if err := Stream(path, 0o640, func(f *os.File) error { _, err := f.WriteString("new"); return err }); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "new" {
		t.Fatalf("read %q, want new", got)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Fatalf("mode %v, want 0640", fi.Mode())
	}
}

// The leftovers of a killed write (its PID gone) are removed by the next
// write of the same file; a running write's file and other files stay.
func TestStreamRemovesLeftoversOfKilledWrites(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "rally.pdf")
	dead := deadPID(t)
	leftover := filepath.Join(dir, tempPrefix("rally.pdf", dead)+"123456.tmp")
	running := filepath.Join(dir, tempPrefix("rally.pdf", os.Getppid())+"654321.tmp")
	other := filepath.Join(dir, tempPrefix("other.pdf", dead)+"1.tmp")
	for _, f := range []string{leftover, running, other} {
		if err := os.WriteFile(f, []byte("half"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := Write(path, []byte("pdf"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(leftover); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the leftover of PID %d is still there (%v)", dead, err)
	}
	for _, f := range []string{running, other} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(f), err)
		}
	}
}

// RemovePending removes the temporary file of a write in progress, as a
// signal's handler does before the process ends.
func TestRemovePendingDuringAWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "big.zip")
	err := Stream(path, 0o644, func(f *os.File) error {
		if _, err := os.Stat(f.Name()); err != nil {
			t.Fatalf("the temporary file is not there: %v", err)
		}
		RemovePending()
		if _, err := os.Stat(f.Name()); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("RemovePending left %s (%v)", f.Name(), err)
		}
		return errors.New("signalled")
	})
	if err == nil {
		t.Fatal("the stream succeeded")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Fatalf("%d files left", len(entries))
	}
}
