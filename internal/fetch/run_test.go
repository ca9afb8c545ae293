package fetch_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/fetch"
)

func constant(v float64) func() float64 { return func() float64 { return v } }

func TestBackoff(t *testing.T) {
	const base, limit = 5 * time.Second, time.Minute
	tests := []struct {
		failures int
		rnd      float64
		want     time.Duration
	}{
		{1, 0.5, 2500 * time.Millisecond},
		{2, 0.5, 5 * time.Second},
		{3, 0.5, 10 * time.Second},
		{4, 0.5, 20 * time.Second},
		{5, 0.5, 30 * time.Second}, // 80 s capped at a minute
		{50, 0.5, 30 * time.Second},
		{3, 0, 0},
		{1, 0.999, 4995 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprintf("%d failures rnd %v", tc.failures, tc.rnd), func(t *testing.T) {
			if got := fetch.Backoff(base, limit, tc.failures, constant(tc.rnd)); got != tc.want {
				t.Errorf("Backoff = %v, want %v", got, tc.want)
			}
		})
	}
	// An interval shorter than the base caps the very first retry.
	if got := fetch.Backoff(base, 2*time.Second, 1, constant(0.5)); got != time.Second {
		t.Errorf("Backoff under a 2 s interval = %v, want 1s", got)
	}
}

func TestBackoffJitterStaysUnderTheCeiling(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	const base, limit = 5 * time.Second, 15 * time.Minute
	ceiling := base
	for failures := 1; failures < 20; failures++ {
		var seen []time.Duration
		for range 200 {
			d := fetch.Backoff(base, limit, failures, r.Float64)
			if d < 0 || d >= ceiling {
				t.Fatalf("failures=%d: %v outside [0, %v)", failures, d, ceiling)
			}
			seen = append(seen, d)
		}
		// Full jitter spreads over the whole range, not a narrow band.
		if lo, hi := slices.Min(seen), slices.Max(seen); lo > ceiling/10 || hi < ceiling*9/10 {
			t.Errorf("failures=%d: delays span only [%v, %v] of [0, %v)", failures, lo, hi, ceiling)
		}
		ceiling = min(2*ceiling, limit)
	}
}

// scripted answers each request with the next status of its script (200
// serves a pack with an ETag, then 304 while it matches), and keeps the
// last one once the script has run out.
type scripted struct {
	mu     sync.Mutex
	script []int
}

func (s *scripted) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	code := s.script[0]
	if len(s.script) > 1 {
		s.script = s.script[1:]
	}
	s.mu.Unlock()
	if code == http.StatusOK || code == http.StatusNotModified {
		w.Header().Set("ETag", `"p"`)
	}
	if code == http.StatusNotModified && r.Header.Get("If-None-Match") != `"p"` {
		code = http.StatusOK // a 304 only makes sense for a conditional request
	}
	w.WriteHeader(code)
	if code == http.StatusOK {
		fmt.Fprint(w, "pack")
	}
}

func TestRunBacksOffAndResetsAfterSuccess(t *testing.T) {
	srv := httptest.NewServer(&scripted{script: []int{500, 503, 200, 304, 500, 500, 304}})
	defer srv.Close()
	e := newEnv(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sl := &sleeper{stopAfter: 7, cancel: cancel}
	e.opt.Sleep = sl.Sleep
	e.opt.Rand = constant(0.5)
	e.opt.Interval = time.Hour
	e.opt.URLs = []string{srv.URL + "/pack.zip", srv.URL + "/pack.zip"} // a repeat is checked once

	if err := fetch.Run(ctx, e.opt); err != nil {
		t.Fatal(err)
	}
	b := fetch.DefaultRetryBase / 2
	want := []time.Duration{b, 2 * b, time.Hour, time.Hour, b, 2 * b, time.Hour}
	if got := sl.recorded(); !slices.Equal(got, want) {
		t.Errorf("delays = %v, want %v", got, want)
	}
	wantStates := []fetch.State{"failed", "failed", "imported", "up to date", "failed", "failed", "up to date"}
	finals := e.rec.finals()
	var states []fetch.State
	for i, s := range finals {
		states = append(states, s.State)
		if i < len(want) && !s.NextCheck.Equal(clock.Add(want[i])) {
			t.Errorf("status %d: NextCheck = %v, want now + %v", i, s.NextCheck, want[i])
		}
	}
	if !slices.Equal(states, wantStates) {
		t.Errorf("states = %q, want %q", states, wantStates)
	}
	if e.im.count() != 1 {
		t.Errorf("%d imports, want 1", e.im.count())
	}
}

func TestRunRemovesStaleDownloads(t *testing.T) {
	srv := httptest.NewServer(&scripted{script: []int{304}})
	defer srv.Close()
	e := newEnv(t)
	stale := map[string][]string{
		e.tmp: {"download-456.zip"},
		// Dir held the downloads before TempDir; atomicfile's temporary
		// files and those of earlier versions.
		e.dir: {"download-123.zip", ".state-0011223344556677.json.789.tmp", "state-0011223344556677.json.tmp-9"},
	}
	for dir, names := range stale {
		for _, name := range names {
			if err := writeFile(dir, name, "left by a crash"); err != nil {
				t.Fatal(err)
			}
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	e.opt.Sleep = (&sleeper{stopAfter: 1, cancel: cancel}).Sleep
	e.opt.URLs = []string{srv.URL + "/pack.zip"}

	if err := fetch.Run(ctx, e.opt); err != nil {
		t.Fatal(err)
	}
	e.wantNothingLeft(t)
	if e.im.count() != 1 {
		t.Errorf("%d imports, want 1", e.im.count())
	}
}
