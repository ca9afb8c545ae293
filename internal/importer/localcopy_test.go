package importer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestLocalCopyRefusesWhatIsNotARegularFileOrTooLarge(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pack.zip")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	start := time.Now()
	if _, _, err := localCopy(context.Background(), fifo, t.TempDir(), 1<<20); err == nil || !strings.Contains(err.Error(), "not a pack") {
		t.Errorf("a pipe: %v", err)
	}
	if time.Since(start) > time.Second {
		t.Error("a pipe blocked the copy")
	}
	sparse := filepath.Join(dir, "big.zip")
	f, err := os.Create(sparse)
	if err != nil {
		t.Fatal(err)
	}
	_ = f.Truncate(100 << 30) // 100 GB, no blocks
	_ = f.Close()
	spool := t.TempDir()
	if _, _, err := localCopy(context.Background(), sparse, spool, 1<<20); err == nil || !strings.Contains(err.Error(), "a pack is at most") {
		t.Errorf("a 100 GB file: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	small := filepath.Join(dir, "small.zip")
	if err := os.WriteFile(small, make([]byte, 4096), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, err := localCopy(ctx, small, spool, 1<<20); err == nil {
		t.Error("a cancelled copy went on")
	}
	if left, _ := os.ReadDir(spool); len(left) != 0 {
		t.Errorf("left in the spool folder: %v", left)
	}
	got, cleanup, err := localCopy(context.Background(), small, spool, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if fi, _ := os.Stat(got); fi.Size() != 4096 {
		t.Errorf("copied %d bytes of 4096", fi.Size())
	}
	cleanup()
	if _, err := os.Stat(got); !os.IsNotExist(err) {
		t.Error("cleanup left the copy")
	}
}
