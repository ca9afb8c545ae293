package fetch

import (
	"context"
	"sync"
	"time"
)

// Run checks every URL of opt at once and then again every Interval, or
// sooner after a failure, until ctx is done. It returns an error only for
// invalid options; when ctx ends it returns nil.
func Run(ctx context.Context, opt Options) error {
	f, err := New(opt)
	if err != nil {
		return err
	}
	f.Run(ctx)
	return nil
}

// Run keeps every URL of the Fetcher's options up to date, one goroutine
// per URL, until ctx is done.
func (f *Fetcher) Run(ctx context.Context) {
	f.removeStale()
	var wg sync.WaitGroup
	for _, u := range unique(f.opt.URLs) {
		wg.Go(func() { f.Keep(ctx, u) })
	}
	wg.Wait()
}

// Keep checks u until ctx is done: again Interval after a success, and
// after a failure with exponential backoff and full jitter (a random
// delay below RetryBase, 2×RetryBase, 4×RetryBase, … capped at Interval).
func (f *Fetcher) Keep(ctx context.Context, u string) {
	failures := 0
	for ctx.Err() == nil {
		res, err := f.check(ctx, u)
		if ctx.Err() != nil {
			return // stopping is not a failure worth reporting
		}
		wait := f.opt.Interval
		if err != nil {
			failures++
			wait = Backoff(f.opt.RetryBase, f.opt.Interval, failures, f.opt.Rand)
		} else {
			failures = 0
		}
		f.report(res, err, f.opt.Now().Add(wait))
		if f.opt.Sleep(ctx, wait) != nil {
			return
		}
	}
}

// Backoff is the wait after the given number of failures in a row (1 for
// the first): full jitter, rnd()·min(limit, base·2^(failures-1)), where rnd
// returns a number in [0, 1).
func Backoff(base, limit time.Duration, failures int, rnd func() float64) time.Duration {
	ceiling := min(base, limit)
	for i := 1; i < failures && ceiling < limit; i++ {
		ceiling = min(2*ceiling, limit)
	}
	return time.Duration(rnd() * float64(ceiling))
}

// unique drops repeated URLs, keeping the order.
func unique(urls []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, u := range urls {
		if !seen[u] {
			seen[u] = true
			out = append(out, u)
		}
	}
	return out
}
