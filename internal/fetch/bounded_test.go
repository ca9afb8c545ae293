package fetch_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/fetch"
)

func TestHugeResponseHeadersRefused(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Padding", strings.Repeat("p", 100<<10))
		fmt.Fprint(w, "pack")
	}))
	defer srv.Close()
	e := newEnv(t)

	res, err := fetch.CheckOnce(context.Background(), e.opt, srv.URL+"/pack.zip")
	if err == nil || !strings.Contains(err.Error(), "response headers exceeded 65536 bytes") {
		t.Fatalf("err = %v, want the header limit", err)
	}
	if res.State != fetch.StateFailed || e.im.count() != 0 {
		t.Errorf("result %+v, %d imports", res, e.im.count())
	}
	e.wantNothingLeft(t)
}

func TestStatusTextIsMadePrintable(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		fmt.Fprintf(buf, "HTTP/1.1 503 Busy\x1b[2J\x07%s\r\nContent-Length: 0\r\n\r\n", strings.Repeat("x", 300))
		buf.Flush()
	}))
	defer srv.Close()
	e := newEnv(t)

	_, err := fetch.CheckOnce(context.Background(), e.opt, srv.URL+"/pack.zip")
	want := "server answered 503 Busy\uFFFD[2J\uFFFD" + strings.Repeat("x", 87) + "…" // 100 characters in all
	if err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Fatalf("err = %q, want it to end in %q", err, want)
	}
}

// logBuffer collects what a slog.Logger writes.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// statePathOf is where a Fetcher keeps the state of u under dir.
func statePathOf(dir, u string) string {
	sum := sha256.Sum256([]byte(u))
	return filepath.Join(dir, "state-"+hex.EncodeToString(sum[:8])+".json")
}

// damagedStates make the state file of u unusable in several ways.
var damagedStates = map[string]func(t *testing.T, path, u string){
	"not JSON": func(t *testing.T, path, _ string) { writeState(t, path, "\x00\x01 garbage {") },
	"cut short": func(t *testing.T, path, u string) {
		writeState(t, path, fmt.Sprintf(`{"url": %q, "etag": "\"v0\"", "last_suc`, u))
	},
	"too large": func(t *testing.T, path, u string) {
		writeState(t, path, fmt.Sprintf(`{"url": %q, "etag": "\"v0\""%s}`, u, strings.Repeat(" ", 100<<10)))
	},
	"another URL's": func(t *testing.T, path, _ string) {
		writeState(t, path, `{"url": "https://elsewhere.example/pack.zip", "etag": "\"v0\""}`)
	},
	"a validator that would split the request": func(t *testing.T, path, u string) {
		writeState(t, path, fmt.Sprintf(`{"url": %q, "etag": "\"v0\"\r\nX-Injected: 1"}`, u))
	},
	"a folder": func(t *testing.T, path, _ string) {
		if err := os.Mkdir(path, 0o700); err != nil {
			t.Fatal(err)
		}
	},
}

func writeState(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestDamagedStateIsIgnored: a state file that cannot be used is logged
// and ignored, the pack is fetched unconditionally and imported, and the
// next check of the same Fetcher is a conditional one even when the state
// cannot be written.
func TestDamagedStateIsIgnored(t *testing.T) {
	for name, damage := range damagedStates {
		t.Run(name, func(t *testing.T) {
			checkDamagedState(t, damage)
		})
	}
}

func checkDamagedState(t *testing.T, damage func(t *testing.T, path, u string)) {
	t.Helper()
	v := &validators{}
	v.set("pack v1", `"v1"`)
	srv := httptest.NewServer(v)
	defer srv.Close()
	u := srv.URL + "/pack.zip"
	e := newEnv(t)
	logs := &logBuffer{}
	e.opt.Logger = slog.New(slog.NewTextHandler(logs, nil))
	path := statePathOf(e.dir, u)
	damage(t, path, u)
	f := e.fetcher(t)

	res, err := f.Check(context.Background(), u)
	if err != nil || res.State != fetch.StateImported {
		t.Fatalf("%+v, %v; want the pack imported", res, err)
	}
	if h := v.lastHeader(t); h.Get("If-None-Match") != "" || h.Get("If-Modified-Since") != "" || h.Get("X-Injected") != "" {
		t.Errorf("request headers %v, want an unconditional request", h)
	}
	if !strings.Contains(logs.String(), "ignoring pack URL state") {
		t.Errorf("nothing logged about the damaged state:\n%s", logs)
	}
	res, err = f.Check(context.Background(), u)
	if err != nil || res.State != fetch.StateUpToDate || e.im.count() != 1 {
		t.Fatalf("second check: %+v, %v, %d imports; want up to date", res, err, e.im.count())
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() {
		// A file was replaced by the good state: a restart asks conditionally.
		if res, err := e.fetcher(t).Check(context.Background(), u); err != nil || res.State != fetch.StateUpToDate {
			t.Errorf("after a restart: %+v, %v", res, err)
		}
	}
	e.wantNothingLeft(t)
}

func TestValidatorsThatCannotBeSentBackAreNotRemembered(t *testing.T) {
	v := &validators{}
	v.set("pack", "\"v\xff1\"") // not UTF-8: JSON would not keep it as it is
	srv := httptest.NewServer(v)
	defer srv.Close()
	u := srv.URL + "/pack.zip"
	e := newEnv(t)
	f := e.fetcher(t)

	for i := range 2 {
		res, err := f.Check(context.Background(), u)
		if err != nil || res.State != fetch.StateImported {
			t.Fatalf("check %d: %+v, %v", i, res, err)
		}
		if h := v.lastHeader(t); h.Get("If-None-Match") != "" || h.Get("If-Modified-Since") != "" {
			t.Errorf("check %d: conditional request %v", i, h)
		}
	}
}
