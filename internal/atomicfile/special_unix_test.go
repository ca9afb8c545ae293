//go:build unix

package atomicfile

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// mknodNull makes a character device like /dev/null (1, 3) inside dir; it
// skips where the test may not make device nodes (not root).
func mknodNull(t *testing.T, dir string) string {
	t.Helper()
	node := filepath.Join(dir, "null")
	if err := syscall.Mknod(node, syscall.S_IFCHR|0o666, int(1<<8|3)); err != nil {
		t.Skipf("cannot make a device node here: %v", err)
	}
	return node
}

// An output that is a character device is written through: the node stays
// the same device with the same mode, and no file is left beside it.
func TestStreamIntoADeviceWritesThrough(t *testing.T) {
	dir := t.TempDir()
	node := mknodNull(t, dir)
	before, err := os.Stat(node)
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(node, []byte("a whole PDF"), 0o600); err != nil {
		t.Fatalf("writing into %s: %v", node, err)
	}
	after, err := os.Lstat(node)
	if err != nil {
		t.Fatal(err)
	}
	if after.Mode() != before.Mode() || after.Sys().(*syscall.Stat_t).Rdev != before.Sys().(*syscall.Stat_t).Rdev {
		t.Fatalf("the device node became %v (was %v)", after.Mode(), before.Mode())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("%d entries in the folder, want the node alone", len(entries))
	}
}

// A FIFO with a reader gets the stream; one without is refused at once,
// not waited on; either way it stays a FIFO.
func TestStreamIntoAFIFO(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	start := time.Now()
	err := Write(fifo, []byte("nobody reads"), 0o600)
	if err == nil || time.Since(start) > 2*time.Second {
		t.Fatalf("a FIFO nobody reads: %v after %v, want a refusal at once", err, time.Since(start))
	}
	got := make(chan string, 1)
	go func() {
		f, err := os.Open(fifo) // blocks until the writer opens
		if err != nil {
			got <- err.Error()
			return
		}
		defer f.Close()
		data, _ := io.ReadAll(f)
		got <- string(data)
	}()
	deadline := time.Now().Add(5 * time.Second)
	for {
		err = Write(fifo, []byte("the placards"), 0o600)
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond) // the reader has not opened yet
	}
	if err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != "the placards" {
		t.Fatalf("the reader got %q", s)
	}
	if fi, _ := os.Lstat(fifo); fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("the FIFO became %v", fi.Mode())
	}
}

// A directory is refused by name and left as it was; a symbolic link to a
// file keeps the link and replaces the file.
func TestStreamRefusesADirectoryAndKeepsALink(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "photos")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(sub, "p1.jpg"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := Write(sub, []byte("pdf"), 0o644)
	if !errors.Is(err, ErrNotRegular) {
		t.Fatalf("a directory as the output: %v, want ErrNotRegular", err)
	}
	if fi, err := os.Lstat(sub); err != nil || !fi.IsDir() {
		t.Fatalf("the directory is now %v, %v", fi, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Fatalf("%d entries, want the directory alone", len(entries))
	}
	target := filepath.Join(dir, "real.pdf")
	link := filepath.Join(dir, "link.pdf")
	if err := os.WriteFile(target, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := Write(link, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Fatalf("the link became %v", fi.Mode())
	}
	if got, _ := os.ReadFile(target); string(got) != "new" {
		t.Fatalf("the linked file reads %q", got)
	}
}
