package fetch_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/fetch"
)

func TestValidateURL(t *testing.T) {
	tests := []struct {
		name      string
		url       string
		allowHTTP bool
		wantErr   string
	}{
		{"https", "https://example.org/pack.zip", false, ""},
		{"https with port", "https://example.org:8443/p/pack.zip", false, ""},
		{"upper-case scheme", "HTTPS://example.org/pack.zip", false, ""},
		{"http refused", "http://192.168.1.5/pack.zip", false, "http://192.168.1.5/pack.zip is not encrypted; use https or start the kiosk with --allow-http for a server on your own network"},
		{"http allowed", "http://192.168.1.5/pack.zip", true, ""},
		{"ftp", "ftp://example.org/pack.zip", true, `scheme "ftp" not supported`},
		{"no scheme", "example.org/pack.zip", false, "no scheme"},
		{"empty", "", false, "no scheme"},
		{"no host", "https:///pack.zip", false, "no host"},
		{"opaque", "https:example.org", false, "no host"},
		{"port only", "https://:443/pack.zip", false, "no host"},
		{"bad escape", "https://example.org/%zz", false, "invalid URL escape"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := fetch.ValidateURL(tc.url, tc.allowHTTP)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("ValidateURL(%q) = %v, want nil", tc.url, err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("ValidateURL(%q) = %v, want an error containing %q", tc.url, err, tc.wantErr)
			}
		})
	}
}

// countRequests serves body and counts the requests it gets.
func countRequests(body string) (http.Handler, *atomic.Int64) {
	var n atomic.Int64
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		fmt.Fprint(w, body)
	}), &n
}

func TestHTTPRefusedWithoutAllowHTTP(t *testing.T) {
	h, requests := countRequests("pack")
	srv := httptest.NewServer(h)
	defer srv.Close()
	e := newEnv(t)
	e.opt.AllowHTTP = false
	u := srv.URL + "/pack.zip"

	res, err := fetch.CheckOnce(context.Background(), e.opt, u)
	if !errors.Is(err, fetch.ErrNotEncrypted) {
		t.Fatalf("err = %v, want ErrNotEncrypted", err)
	}
	if want := u + " is not encrypted; use https or start the kiosk with --allow-http"; !strings.Contains(err.Error(), want) {
		t.Errorf("err = %q, want it to say %q", err, want)
	}
	if res.State != fetch.StateFailed {
		t.Errorf("state = %q, want %q", res.State, fetch.StateFailed)
	}
	if requests.Load() != 0 || e.im.count() != 0 {
		t.Errorf("%d requests, %d imports; want none", requests.Load(), e.im.count())
	}
	// Run refuses the URL before doing anything.
	e.opt.URLs = []string{u}
	if err := fetch.Run(context.Background(), e.opt); !errors.Is(err, fetch.ErrNotEncrypted) {
		t.Errorf("Run = %v, want ErrNotEncrypted", err)
	}
}

func TestRedirectToHTTPRefused(t *testing.T) {
	h, plainRequests := countRequests("pack")
	plain := httptest.NewServer(h)
	defer plain.Close()
	tlsSrv := httptest.NewTLSServer(http.RedirectHandler(plain.URL+"/pack.zip", http.StatusFound))
	defer tlsSrv.Close()
	e := newEnv(t)
	e.opt.AllowHTTP = false
	e.opt.TLSConfig = tlsSrv.Client().Transport.(*http.Transport).TLSClientConfig

	res, err := fetch.CheckOnce(context.Background(), e.opt, tlsSrv.URL+"/pack.zip")
	if !errors.Is(err, fetch.ErrNotEncrypted) {
		t.Fatalf("err = %v, want ErrNotEncrypted", err)
	}
	if plainRequests.Load() != 0 || e.im.count() != 0 {
		t.Errorf("%d requests to the http server, %d imports; want none", plainRequests.Load(), e.im.count())
	}
	if !res.Counted || res.WireRead == 0 || res.WireWritten == 0 {
		t.Errorf("TLS bytes not counted: %+v", res)
	}
}

// validators serves the pack body with an ETag and a Last-Modified, answers
// matching conditional requests with 304, and records the headers it got.
type validators struct {
	mu      sync.Mutex
	body    []byte
	etag    string
	headers []http.Header
}

func (v *validators) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	v.mu.Lock()
	v.headers = append(v.headers, r.Header.Clone())
	body, etag := v.body, v.etag
	v.mu.Unlock()
	w.Header().Set("ETag", etag)
	http.ServeContent(w, r, "pack.zip", clock.Add(-time.Hour), bytes.NewReader(body))
}

func (v *validators) set(body, etag string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.body, v.etag = []byte(body), etag
}

func (v *validators) lastHeader(t *testing.T) http.Header {
	t.Helper()
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.headers) == 0 {
		t.Fatal("no request")
	}
	return v.headers[len(v.headers)-1]
}

func TestFirstCheckImportsCompleteFileAndReports(t *testing.T) {
	v := &validators{}
	v.set("the pack bytes", `"v1"`)
	srv := httptest.NewServer(v)
	defer srv.Close()
	e := newEnv(t)
	u := srv.URL + "/pack.zip"

	res, err := e.fetcher(t).Check(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	if res.State != fetch.StateImported || res.StatusCode != 200 || res.ETag != `"v1"` || res.BodyBytes != 14 {
		t.Errorf("result = %+v", res)
	}
	got := e.im.last(t)
	if got.url != u || string(got.data) != "the pack bytes" {
		t.Errorf("Import(%q, %q) with %q", got.url, got.path, got.data)
	}
	if filepath.Dir(got.path) != e.tmp || filepath.Ext(got.path) != ".zip" {
		t.Errorf("Import got %s, want a .zip in TempDir %s", got.path, e.tmp)
	}
	e.wantNothingLeft(t)
	want := []fetch.State{fetch.StateChecking, fetch.StateDownloading, fetch.StateImported}
	if got := e.rec.states(); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("states = %q, want %q", got, want)
	}
	last := e.rec.finals()[0]
	if !last.LastSuccess.Equal(clock) || last.Err != nil || last.BytesRead != res.WireRead || last.BytesRead <= 14 {
		t.Errorf("final status = %+v (result %+v)", last, res)
	}
}

func TestStatePersistsAcrossFetchers(t *testing.T) {
	v := &validators{}
	v.set("pack v1", `"v1"`)
	srv := httptest.NewServer(v)
	defer srv.Close()
	u := srv.URL + "/pack.zip"
	e := newEnv(t)

	if _, err := e.fetcher(t).Check(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	if h := v.lastHeader(t); h.Get("If-None-Match") != "" || h.Get("If-Modified-Since") != "" {
		t.Errorf("first request was conditional: %v", h)
	}
	// A restart: a new Fetcher on the same Dir.
	res, err := e.fetcher(t).Check(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	h := v.lastHeader(t)
	if h.Get("If-None-Match") != `"v1"` || h.Get("If-Modified-Since") != clock.Add(-time.Hour).Format(http.TimeFormat) {
		t.Errorf("second request headers = %v, want the validators of the first", h)
	}
	if res.State != fetch.StateUpToDate || res.StatusCode != http.StatusNotModified || e.im.count() != 1 {
		t.Errorf("result %+v, %d imports; want 304 and 1 import", res, e.im.count())
	}
	if n := len(e.stateFiles(t)); n != 1 {
		t.Errorf("%d state files, want 1", n)
	}
}

func TestImportFailureKeepsOldState(t *testing.T) {
	v := &validators{}
	v.set("pack v1", `"v1"`)
	srv := httptest.NewServer(v)
	defer srv.Close()
	u := srv.URL + "/pack.zip"
	e := newEnv(t)
	f := e.fetcher(t)

	// v1 imports, then v2 is refused twice (and asked for unconditionally
	// with v1's validators each time), then accepted.
	if _, err := f.Check(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	v.set("pack v2", `"v2"`)
	e.im.setErr(errors.New("pack.json: people[0].name: missing"))
	for i := range 2 {
		res, err := f.Check(context.Background(), u)
		if !errors.Is(err, fetch.ErrImport) || !strings.Contains(err.Error(), "people[0].name") {
			t.Fatalf("check %d: err = %v, want ErrImport with the importer's message", i, err)
		}
		if res.State != fetch.StateFailed || !res.LastSuccess.Equal(clock) {
			t.Errorf("check %d: %+v", i, res)
		}
		if got := v.lastHeader(t).Get("If-None-Match"); got != `"v1"` {
			t.Errorf("check %d: If-None-Match = %q, want v1's", i, got)
		}
		e.wantNothingLeft(t)
	}
	e.im.setErr(nil)
	if res, err := f.Check(context.Background(), u); err != nil || res.State != fetch.StateImported {
		t.Fatalf("after the fix: %+v, %v", res, err)
	}
	if res, err := f.Check(context.Background(), u); err != nil || res.State != fetch.StateUpToDate {
		t.Fatalf("re-check: %+v, %v", res, err)
	}
	if got := v.lastHeader(t).Get("If-None-Match"); got != `"v2"` {
		t.Errorf("If-None-Match = %q, want v2's", got)
	}
	if n := e.im.count(); n != 4 {
		t.Errorf("%d imports, want 4 (v1, v2 refused twice, v2)", n)
	}
}

func TestImportFailureOnFirstDownloadSavesNoState(t *testing.T) {
	v := &validators{}
	v.set("pack", `"v1"`)
	srv := httptest.NewServer(v)
	defer srv.Close()
	e := newEnv(t)
	e.im.setErr(errors.New("broken"))

	if _, err := e.fetcher(t).Check(context.Background(), srv.URL+"/pack.zip"); !errors.Is(err, fetch.ErrImport) {
		t.Fatalf("err = %v, want ErrImport", err)
	}
	if files := e.stateFiles(t); len(files) != 0 {
		t.Errorf("state saved after a failed import: %v", files)
	}
	e.wantNothingLeft(t)
}

func TestSizeLimitFromContentLength(t *testing.T) {
	body := strings.Repeat("x", 2000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		fmt.Fprint(w, body)
	}))
	defer srv.Close()
	e := newEnv(t)
	e.opt.MaxBytes = 1000

	res, err := fetch.CheckOnce(context.Background(), e.opt, srv.URL+"/pack.zip")
	if !errors.Is(err, fetch.ErrTooLarge) || !strings.Contains(err.Error(), "announces 2000 bytes, the limit is 1000") {
		t.Fatalf("err = %v, want ErrTooLarge naming both sizes", err)
	}
	if res.BodyBytes != 0 || res.State != fetch.StateFailed || e.im.count() != 0 {
		t.Errorf("result %+v, %d imports; want nothing read or imported", res, e.im.count())
	}
	e.wantNothingLeft(t)
}

func TestSizeLimitWithoutContentLength(t *testing.T) {
	var served atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chunk := bytes.Repeat([]byte("y"), 32<<10)
		for range 320 { // 10 MiB, chunked, unless the client hangs up
			if _, err := w.Write(chunk); err != nil {
				return
			}
			served.Add(int64(len(chunk)))
			w.(http.Flusher).Flush()
		}
	}))
	defer srv.Close()
	e := newEnv(t)
	e.opt.MaxBytes = 100_000

	res, err := fetch.CheckOnce(context.Background(), e.opt, srv.URL+"/pack.zip")
	if !errors.Is(err, fetch.ErrTooLarge) {
		t.Fatalf("err = %v, want ErrTooLarge", err)
	}
	if res.BodyBytes != e.opt.MaxBytes+1 || e.im.count() != 0 {
		t.Errorf("read %d bytes, %d imports; want to stop at %d, no import", res.BodyBytes, e.im.count(), e.opt.MaxBytes+1)
	}
	if res.WireRead > 4<<20 {
		t.Errorf("read %d bytes from the wire; the download did not stop", res.WireRead)
	}
	e.wantNothingLeft(t)
}

// truncating announces a Content-Length larger than what it sends, then
// closes the connection.
func truncating(t *testing.T) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			t.Error(err)
			return
		}
		defer conn.Close()
		fmt.Fprint(buf, "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nETag: \"cut\"\r\n\r\n")
		buf.Write(bytes.Repeat([]byte("z"), 3000))
		buf.Flush()
	}))
}

func TestTruncatedDownloadIsNeverImported(t *testing.T) {
	srv := truncating(t)
	defer srv.Close()
	e := newEnv(t)

	res, err := fetch.CheckOnce(context.Background(), e.opt, srv.URL+"/pack.zip")
	if !errors.Is(err, fetch.ErrTruncated) {
		t.Fatalf("err = %v, want ErrTruncated", err)
	}
	if res.State != fetch.StateOffline || res.BodyBytes != 3000 {
		t.Errorf("result = %+v, want offline after 3000 bytes", res)
	}
	if e.im.count() != 0 {
		t.Errorf("a truncated download was imported")
	}
	if files := e.stateFiles(t); len(files) != 0 {
		t.Errorf("state saved: %v", files)
	}
	e.wantNothingLeft(t)
	finals := e.rec.finals()
	if len(finals) != 1 || finals[0].State != fetch.StateOffline || !errors.Is(finals[0].Err, fetch.ErrTruncated) {
		t.Errorf("final statuses = %+v", finals)
	}
}

func TestServerErrorFails(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	defer srv.Close()
	e := newEnv(t)

	res, err := fetch.CheckOnce(context.Background(), e.opt, srv.URL+"/pack.zip")
	var se *fetch.StatusError
	if !errors.As(err, &se) || se.Code != 404 || !strings.Contains(err.Error(), "/pack.zip: failed: server answered 404 Not Found") {
		t.Fatalf("err = %v, want a 404 StatusError", err)
	}
	if res.State != fetch.StateFailed || e.im.count() != 0 {
		t.Errorf("result %+v, %d imports", res, e.im.count())
	}
}

func TestTotalTimeout(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "1000")
		w.Write([]byte("partial"))
		w.(http.Flusher).Flush()
		select { // a server that stalls mid-body
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	e := newEnv(t)
	e.opt.TotalTimeout = 100 * time.Millisecond

	res, err := fetch.CheckOnce(context.Background(), e.opt, srv.URL+"/pack.zip")
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, fetch.ErrTruncated) {
		t.Fatalf("err = %v, want a truncated download past the deadline", err)
	}
	if res.State != fetch.StateOffline || e.im.count() != 0 {
		t.Errorf("result %+v, %d imports", res, e.im.count())
	}
	e.wantNothingLeft(t)
}

func TestNewRefusesBadOptions(t *testing.T) {
	e := newEnv(t)
	bad := map[string]func(o *fetch.Options){
		"no Dir":    func(o *fetch.Options) { o.Dir = "" },
		"no Import": func(o *fetch.Options) { o.Import = nil },
		"bad URL":   func(o *fetch.Options) { o.URLs = []string{"https://ok.example/p.zip", "ftp://x/p.zip"} },
	}
	for name, change := range bad {
		o := e.opt
		change(&o)
		if _, err := fetch.New(o); err == nil {
			t.Errorf("%s: New accepted the options", name)
		}
	}
}
