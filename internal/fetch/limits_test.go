package fetch_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/fetch"
)

// chunked serves size bytes (forever if size < 0) in chunks of chunk
// bytes without a Content-Length, flushing each, until the client hangs
// up; served counts what reached the connection.
func chunked(size, chunk int, served *atomic.Int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p := bytes.Repeat([]byte("c"), chunk)
		for sent := 0; size < 0 || sent < size; sent += len(p) {
			if size >= 0 {
				p = p[:min(chunk, size-sent)]
			}
			if _, err := w.Write(p); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			if served != nil {
				served.Add(int64(len(p)))
			}
		}
	}
}

func TestChunkedBodyStopsAtTheLimit(t *testing.T) {
	const limit = 1000
	tests := []struct {
		name        string
		size, chunk int
		wantErr     bool
	}{
		{"one byte over, one chunk", limit + 1, limit + 1, true},
		{"one byte over, byte by byte", limit + 1, 1, true},
		{"far over, small chunks", 50_000, 7, true},
		{"far over, large chunks", 50_000, 4096, true},
		{"endless", -1, 512, true},
		{"exactly the limit", limit, 333, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var served atomic.Int64
			srv := httptest.NewServer(chunked(tc.size, tc.chunk, &served))
			defer srv.Close()
			e := newEnv(t)
			e.opt.MaxBytes = limit

			res, err := fetch.CheckOnce(context.Background(), e.opt, srv.URL+"/pack.zip")
			if !tc.wantErr {
				if err != nil || res.State != fetch.StateImported || res.BodyBytes != limit {
					t.Fatalf("%+v, %v; want %d bytes imported", res, err, limit)
				}
				e.wantNothingLeft(t)
				return
			}
			if !errors.Is(err, fetch.ErrTooLarge) || !strings.Contains(err.Error(), "failed: pack too large: more than 1000 bytes") {
				t.Fatalf("err = %v, want ErrTooLarge", err)
			}
			if res.State != fetch.StateFailed || res.BodyBytes != limit+1 || e.im.count() != 0 {
				t.Errorf("result %+v, %d imports; want failed after %d bytes, no import", res, e.im.count(), limit+1)
			}
			// The client hangs up: the server cannot get much more than the
			// limit and its socket buffers onto the connection.
			if tc.size < 0 {
				waitFor(t, "the server to see the hang-up", func() bool {
					before := served.Load()
					time.Sleep(20 * time.Millisecond)
					return served.Load() == before
				})
			}
			e.wantNothingLeft(t)
		})
	}
}

// failing answers request i with the i-th kind of failure (the last one
// again once they have run out) and counts the requests.
type failing struct {
	kinds    []string
	requests atomic.Int64
}

func (f *failing) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	i := int(f.requests.Add(1)) - 1
	switch f.kinds[min(i, len(f.kinds)-1)] {
	case "too large":
		chunked(-1, 4096, nil)(w, r)
	case "announced too large":
		w.Header().Set("Content-Length", "5000")
		w.Write(bytes.Repeat([]byte("a"), 5000))
	case "not found":
		http.NotFound(w, r)
	case "truncated":
		w.Header().Set("Content-Length", "900")
		w.Write([]byte("only part"))
		panic(http.ErrAbortHandler) // the connection ends mid-body
	case "stalled":
		w.Header().Set("Content-Length", "900")
		w.Write([]byte("s"))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	case "refused by the import":
		fmt.Fprint(w, "not a pack")
	}
}

// TestEveryFailureBacksOff runs a URL's loop through every kind of failure
// in a row: each one is retried only after the backoff, which doubles from
// one failure to the next, whatever the kind.
func TestEveryFailureBacksOff(t *testing.T) {
	kinds := []string{"too large", "announced too large", "not found", "truncated", "stalled", "refused by the import"}
	srv := &failing{kinds: kinds}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	e := newEnv(t)
	e.im.setErr(errors.New("pack.json: missing"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sl := &sleeper{stopAfter: len(kinds), cancel: cancel}
	e.opt.Sleep, e.opt.Rand = sl.Sleep, constant(0.5)
	e.opt.Interval, e.opt.RetryBase = time.Hour, 4*time.Second
	e.opt.MaxBytes, e.opt.StallTimeout = 1000, 300*time.Millisecond

	e.fetcher(t).Keep(ctx, ts.URL+"/pack.zip")

	want := []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 32 * time.Second, 64 * time.Second}
	if got := sl.recorded(); !slices.Equal(got, want) {
		t.Errorf("delays = %v, want %v", got, want)
	}
	if n := srv.requests.Load(); n != int64(len(kinds)) {
		t.Errorf("%d requests for %d scheduled retries: a failure was retried without waiting", n, len(kinds))
	}
	wantStates := []fetch.State{"failed", "failed", "failed", "offline", "stalled", "failed"}
	var states []fetch.State
	for i, s := range e.rec.finals() {
		states = append(states, s.State)
		if s.Err == nil || !s.NextCheck.Equal(clock.Add(want[min(i, len(want)-1)])) {
			t.Errorf("%s: status %+v", kinds[min(i, len(kinds)-1)], s)
		}
	}
	if !slices.Equal(states, wantStates) {
		t.Errorf("states = %q, want %q", states, wantStates)
	}
	e.wantNothingLeft(t)
}

// drip sends n bytes one at a time, gap apart (with a Content-Length of
// n when announce is set), then holds the connection for hold.
func drip(n int, gap time.Duration, announce bool, hold time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if announce {
			w.Header().Set("Content-Length", strconv.Itoa(n))
		}
		w.WriteHeader(http.StatusOK)
		w.(http.Flusher).Flush()
		for range n {
			select {
			case <-time.After(gap):
			case <-r.Context().Done():
				return
			}
			w.Write([]byte("d"))
			w.(http.Flusher).Flush()
		}
		select {
		case <-time.After(hold):
		case <-r.Context().Done():
		}
	}
}

func TestStalledDownload(t *testing.T) {
	for _, own := range []bool{true, false} {
		t.Run(fmt.Sprintf("own client %v", own), func(t *testing.T) {
			// Five bytes 10 ms apart, then nothing.
			srv := httptest.NewServer(drip(5, 10*time.Millisecond, false, 5*time.Second))
			defer srv.Close()
			e := newEnv(t)
			e.opt.StallTimeout = 200 * time.Millisecond
			if !own {
				e.opt.Client = srv.Client()
			}
			start := time.Now()

			res, err := fetch.CheckOnce(context.Background(), e.opt, srv.URL+"/pack.zip")
			took := time.Since(start)
			if !errors.Is(err, fetch.ErrStalled) || err.Error() != srv.URL+"/pack.zip: stalled: no data for 200 ms" {
				t.Fatalf("err = %v, want stalled", err)
			}
			if res.State != fetch.StateStalled || res.BodyBytes != 5 || e.im.count() != 0 {
				t.Errorf("result %+v, %d imports", res, e.im.count())
			}
			if took < 250*time.Millisecond || took > 2*time.Second {
				t.Errorf("stopped after %v, want 50 ms of drip plus the 200 ms stall", took)
			}
			finals := e.rec.finals()
			if len(finals) != 1 || finals[0].State != fetch.StateStalled || finals[0].Received != 5 ||
				!strings.HasSuffix(finals[0].Err.Error(), "stalled: no data for 200 ms") {
				t.Errorf("final statuses = %+v", finals)
			}
			e.wantNothingLeft(t)
		})
	}
}

func TestStallBeforeTheHeaders(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(5 * time.Second):
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	e := newEnv(t)
	e.opt.StallTimeout = 100 * time.Millisecond

	res, err := fetch.CheckOnce(context.Background(), e.opt, srv.URL+"/pack.zip")
	if !errors.Is(err, fetch.ErrStalled) || res.State != fetch.StateStalled || res.StatusCode != 0 {
		t.Fatalf("%+v, %v; want stalled before any answer", res, err)
	}
}

func TestSlowButSteadyDownloadDoesNotStall(t *testing.T) {
	for _, own := range []bool{true, false} {
		t.Run(fmt.Sprintf("own client %v", own), func(t *testing.T) {
			// 16 bytes 30 ms apart: half a second in all, more than the
			// stall timeout, but never 300 ms without a byte.
			srv := httptest.NewServer(drip(16, 30*time.Millisecond, true, 0))
			defer srv.Close()
			e := newEnv(t)
			e.opt.StallTimeout = 300 * time.Millisecond
			if !own {
				e.opt.Client = srv.Client()
			}
			res, err := fetch.CheckOnce(context.Background(), e.opt, srv.URL+"/pack.zip")
			if err != nil || res.State != fetch.StateImported || string(e.im.last(t).data) != strings.Repeat("d", 16) {
				t.Fatalf("%+v, %v; want the pack imported", res, err)
			}
			e.wantNothingLeft(t)
		})
	}
}
