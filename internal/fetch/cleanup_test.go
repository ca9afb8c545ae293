package fetch_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/fetch"
)

// halfway sends part of a 100,000-byte pack, says so on sent, and then
// holds the connection until the client hangs up.
func halfway(sent chan<- struct{}) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100000")
		w.Write([]byte(strings.Repeat("h", 1000)))
		w.(http.Flusher).Flush()
		sent <- struct{}{}
		<-r.Context().Done()
	}))
}

// waitFor polls cond for up to two seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(2 * time.Second); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// runUntilCancelled runs the Fetcher on one URL and returns a function
// that cancels it (as SIGTERM does) and waits for Run to return.
func runUntilCancelled(t *testing.T, e *env, u string) (stop func()) {
	t.Helper()
	e.opt.URLs = []string{u}
	f := e.fetcher(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		f.Run(ctx)
	}()
	return func() {
		cancel()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Fatal("Run did not return within 2 s of its context's end")
		}
	}
}

func TestCancelMidDownloadLeavesNothing(t *testing.T) {
	sent := make(chan struct{}, 1)
	srv := halfway(sent)
	defer srv.Close()
	e := newEnv(t)
	stop := runUntilCancelled(t, e, srv.URL+"/pack.zip")

	<-sent
	waitFor(t, "the download in TempDir", func() bool { return len(e.downloads(t)) == 1 })
	stop()
	e.wantNothingLeft(t)
	if e.im.count() != 0 {
		t.Errorf("a cancelled download was imported")
	}
	if files := e.stateFiles(t); len(files) != 0 {
		t.Errorf("state saved: %v", files)
	}
}

func TestCancelMidImportLeavesNothing(t *testing.T) {
	for _, tc := range []struct {
		name string
		// linger is how long Import goes on after ctx ends.
		linger time.Duration
	}{
		{"import stops at once", 0},
		{"import takes a while to stop", 100 * time.Millisecond},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(&scripted{script: []int{200}})
			defer srv.Close()
			e := newEnv(t)
			importing := make(chan string, 1)
			e.opt.Import = func(ctx context.Context, _, path string) error {
				importing <- path
				<-ctx.Done()
				time.Sleep(tc.linger)
				return ctx.Err()
			}
			stop := runUntilCancelled(t, e, srv.URL+"/pack.zip")

			path := <-importing
			if left := e.downloads(t); len(left) != 1 || !strings.HasSuffix(path, strings.TrimPrefix(left[0], "TempDir")) {
				t.Fatalf("while importing %s, TempDir holds %v", path, left)
			}
			stop()
			e.wantNothingLeft(t)
			if files := e.stateFiles(t); len(files) != 0 {
				t.Errorf("state saved for a cancelled import: %v", files)
			}
		})
	}
}

func TestPanicInImportIsAFailure(t *testing.T) {
	srv := httptest.NewServer(&scripted{script: []int{200}})
	defer srv.Close()
	e := newEnv(t)
	panics := true
	e.opt.Import = func(ctx context.Context, u, path string) error {
		if panics {
			panics = false
			panic("index out of range")
		}
		return e.im.Import(ctx, u, path)
	}
	f := e.fetcher(t)
	u := srv.URL + "/pack.zip"

	res, err := f.Check(context.Background(), u)
	if !errors.Is(err, fetch.ErrImport) || !strings.Contains(err.Error(), "panic: index out of range") {
		t.Fatalf("err = %v, want ErrImport naming the panic", err)
	}
	if res.State != fetch.StateFailed {
		t.Errorf("state = %q, want failed", res.State)
	}
	e.wantNothingLeft(t)
	// The next import gets its turn.
	if res, err := f.Check(context.Background(), u); err != nil || res.State != fetch.StateImported {
		t.Fatalf("after the panic: %+v, %v", res, err)
	}
	e.wantNothingLeft(t)
}

func TestCancelWhileWaitingForAnotherImport(t *testing.T) {
	srv := httptest.NewServer(&scripted{script: []int{200}})
	defer srv.Close()
	e := newEnv(t)
	entered, release := make(chan struct{}), make(chan struct{})
	e.opt.Import = func(ctx context.Context, _, _ string) error {
		entered <- struct{}{}
		<-release
		return nil
	}
	f := e.fetcher(t)
	first := make(chan error, 1)
	go func() {
		_, err := f.Check(context.Background(), srv.URL+"/a.zip")
		first <- err
	}()
	<-entered

	// A second URL's download waits for the import slot; cancelling it
	// ends the check at once and removes its download.
	ctx, cancel := context.WithCancel(context.Background())
	second := make(chan error, 1)
	go func() {
		_, err := f.Check(ctx, srv.URL+"/b.zip")
		second <- err
	}()
	waitFor(t, "both downloads in TempDir", func() bool { return len(e.downloads(t)) == 2 })
	cancel()
	select {
	case err := <-second:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("second check: %v, want cancelled", err)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a cancelled check waited for another URL's import")
	}
	if left := e.downloads(t); len(left) != 1 {
		t.Errorf("TempDir holds %v, want only the first import's download", left)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	e.wantNothingLeft(t)
}
