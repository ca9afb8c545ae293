package fetch_test

import (
	"context"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/fetch"
)

func TestProgressWording(t *testing.T) {
	start := clock
	tests := []struct {
		name string
		s    fetch.Status
		want string
	}{
		{
			"announced size",
			fetch.Status{State: fetch.StateDownloading, Received: 12_400_000, Total: 80_000_000, Started: start, At: start.Add(10 * time.Second)},
			"downloading 12.4 MB of 80.0 MB, 1.2 MB/s, 10 s",
		},
		{
			"no length, a byte a second",
			fetch.Status{State: fetch.StateDownloading, Received: 40, Started: start, At: start.Add(40 * time.Second)},
			"downloading 40 B, 1 B/s, 40 s",
		},
		{
			"first second: no rate yet",
			fetch.Status{State: fetch.StateDownloading, Received: 0, Total: 80_000_000, Started: start, At: start.Add(200 * time.Millisecond)},
			"downloading 0 B of 80.0 MB, 200 ms",
		},
		{
			"kilobytes, minutes",
			fetch.Status{State: fetch.StateDownloading, Received: 512_000, Total: 2_000_000, Started: start, At: start.Add(125 * time.Second)},
			"downloading 512.0 kB of 2.0 MB, 4.1 kB/s, 2 min 5 s",
		},
		{
			"rounding up to the next unit",
			fetch.Status{State: fetch.StateDownloading, Received: 999_960, Total: 4 << 30, Started: start, At: start.Add(time.Hour + 90*time.Second)},
			"downloading 1.0 MB of 4.3 GB, 270 B/s, 1 h 1 min",
		},
		{
			"no times",
			fetch.Status{State: fetch.StateDownloading, Received: 5},
			"downloading 5 B",
		},
		{
			"not downloading",
			fetch.Status{State: fetch.StateImported, Received: 5, Started: start, At: start.Add(time.Second)},
			"",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.Progress(); got != tc.want {
				t.Errorf("Progress() = %q, want %q", got, tc.want)
			}
		})
	}
}

// timed is a Status and the real time OnStatus heard of it.
type timed struct {
	fetch.Status
	heard time.Time
}

// TestProgressDuringADownload follows a download of 8 bytes 60 ms apart:
// OnStatus hears of it at once and then every ProgressEvery, never more
// often, with what has arrived, the announced size and the start.
func TestProgressDuringADownload(t *testing.T) {
	for _, tc := range []struct {
		name     string
		announce bool
		text     *regexp.Regexp
	}{
		{"announced size", true, regexp.MustCompile(`^downloading \d B of 8 B, \d+ ms$`)},
		{"no length", false, regexp.MustCompile(`^downloading \d B, \d+ ms$`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(drip(8, 60*time.Millisecond, tc.announce, 0))
			defer srv.Close()
			e := newEnv(t)
			const every = 100 * time.Millisecond
			e.opt.ProgressEvery = every
			e.opt.Now = time.Now
			var (
				mu   sync.Mutex
				seen []timed
			)
			e.opt.OnStatus = func(s fetch.Status) {
				mu.Lock()
				defer mu.Unlock()
				seen = append(seen, timed{s, time.Now()})
			}
			before := time.Now()
			res, err := fetch.CheckOnce(context.Background(), e.opt, srv.URL+"/pack.zip")
			took := time.Since(before)
			if err != nil || res.State != fetch.StateImported {
				t.Fatalf("%+v, %v", res, err)
			}

			mu.Lock()
			defer mu.Unlock()
			var progress []timed
			for _, s := range seen {
				if s.State == fetch.StateDownloading {
					progress = append(progress, s)
				}
			}
			// About 480 ms of download: the first status, then one every
			// 100 ms at most.
			if most := 1 + int(took/every); len(progress) < 3 || len(progress) > most {
				t.Fatalf("%d downloading statuses in %v, want 3 to %d: %+v", len(progress), took, most, progress)
			}
			wantTotal := int64(0)
			if tc.announce {
				wantTotal = 8
			}
			for i, s := range progress {
				if s.Total != wantTotal || s.Started.Before(before) || s.At.Before(s.Started) || s.Received > 8 {
					t.Errorf("status %d = %+v", i, s.Status)
				}
				if !tc.text.MatchString(s.Progress()) {
					t.Errorf("status %d: Progress() = %q, want it to match %s", i, s.Progress(), tc.text)
				}
				if i == 0 {
					continue
				}
				prev := progress[i-1]
				if !s.Started.Equal(prev.Started) || s.Received < prev.Received || !s.At.After(prev.At) {
					t.Errorf("status %d = %+v after %+v", i, s.Status, prev.Status)
				}
				if gap := s.heard.Sub(prev.heard); gap < every*9/10 {
					t.Errorf("status %d came %v after the one before, want at most one every %v", i, gap, every)
				}
			}
			if last := progress[len(progress)-1]; last.Received < 4 {
				t.Errorf("the last progress says %d bytes of 8 arrived", last.Received)
			}
			if final := seen[len(seen)-1]; final.State != fetch.StateImported || final.Received != 8 {
				t.Errorf("final status %+v", final.Status)
			}
		})
	}
}
