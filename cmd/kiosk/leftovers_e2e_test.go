package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// TestRealWindowSIGTERMLeavesNoTemporaryFiles runs the show under Xvfb
// while a URL pack downloads from a server that drips a byte at a time with
// no Content-Length, stops it with SIGTERM as a service manager does, and
// checks that it ends within a second and leaves nothing in the cache's
// temporary folder; what an earlier version left beside the cache is
// removed at start.
func TestRealWindowSIGTERMLeavesNoTemporaryFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Xvfb and the kiosk")
	}
	tools := testpack.NeedTools(t, "Xvfb")
	dir := t.TempDir()
	bin := buildKiosk(t, dir)
	cache := filepath.Join(dir, "cache.db")
	legacy := filepath.Join(dir, "incoming-123.zip")
	if err := os.WriteFile(legacy, []byte("left by a killed import"), 0o600); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/zip")
		w.WriteHeader(http.StatusOK)
		for {
			select {
			case <-stop:
				return
			case <-r.Context().Done():
				return
			case <-time.After(50 * time.Millisecond):
				if _, err := w.Write([]byte("PK")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
			}
		}
	}))
	defer srv.Close()
	defer close(stop)

	display := startXvfb(t, tools)
	kiosk := exec.Command(bin, "--config", "", "--cache", cache, "--windowed", "--allow-http", "--pack", srv.URL+"/pack.zip")
	kiosk.Env = append(os.Environ(), "DISPLAY="+display, "LANG=en_US.UTF-8")
	logPath := filepath.Join(dir, "kiosk.log")
	logf, _ := os.Create(logPath)
	kiosk.Stdout, kiosk.Stderr = logf, logf
	if err := kiosk.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- kiosk.Wait() }()
	t.Cleanup(func() { _ = kiosk.Process.Kill() })

	tmp := cache + ".tmp"
	deadline := time.Now().Add(30 * time.Second)
	for {
		entries, _ := os.ReadDir(tmp)
		if len(entries) > 0 {
			break
		}
		if time.Now().After(deadline) {
			data, _ := os.ReadFile(logPath)
			t.Fatalf("no download appeared in %s:\n%s", tmp, data)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if _, err := os.Stat(legacy); !os.IsNotExist(err) {
		t.Error("a leftover of an earlier version beside the cache was not removed at start")
	}
	time.Sleep(500 * time.Millisecond)
	sent := time.Now()
	if err := kiosk.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
	case <-time.After(5 * time.Second):
		t.Fatal("the kiosk did not end within 5 s of SIGTERM")
	}
	took := time.Since(sent)
	t.Logf("the show ended %v after SIGTERM", took.Round(time.Millisecond))
	if took > 1500*time.Millisecond {
		t.Errorf("the show took %v to end after SIGTERM; want about a second at most", took)
	}
	entries, _ := os.ReadDir(tmp)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if len(left) > 0 {
		t.Errorf("left in %s after SIGTERM: %s", tmp, strings.Join(left, ", "))
	}
	data, _ := os.ReadFile(logPath)
	if !strings.Contains(string(data), "stopping the show on a signal") {
		t.Errorf("the log does not say the show stopped on a signal:\n%s", data)
	}
}

// TestNoDisplayIsOneLine: with no X display (DISPLAY unset, or X not up
// yet when a service starts the kiosk) the kiosk says so in one line and
// exits non-zero, instead of a Go panic from the toolkit.
func TestNoDisplayIsOneLine(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the kiosk")
	}
	dir := t.TempDir()
	bin := buildKiosk(t, dir)
	for _, display := range []string{"", ":97"} {
		cmd := exec.Command(bin, "--config", "", "--cache", filepath.Join(dir, "cache.db"))
		cmd.Env = append(os.Environ(), "DISPLAY="+display, "LANG=en_US.UTF-8")
		out, err := cmd.CombinedOutput()
		if err == nil {
			t.Fatalf("DISPLAY=%q: the kiosk exited 0", display)
		}
		text := string(out)
		if strings.Contains(text, "panic") || strings.Contains(text, "goroutine ") {
			t.Errorf("DISPLAY=%q: a panic instead of a line:\n%s", display, text)
		}
		var lines []string
		for _, l := range strings.Split(text, "\n") {
			if strings.HasPrefix(l, "kiosk: ") {
				lines = append(lines, l)
			}
		}
		if len(lines) != 1 || !strings.Contains(lines[0], "display") {
			t.Errorf("DISPLAY=%q: want one line about the display, got:\n%s", display, text)
		}
	}
}
