package ui

import (
	"context"
	"sync/atomic"
	"time"
)

// watchdog checks that the UI goroutine still runs: every interval it asks
// it (through do, which is fyne.Do in the kiosk) to note the time, and calls
// stalled once no note is newer than limit. A kiosk calls os.Exit there, so
// that its service manager (docs/solidarity-kiosk.service) starts it again:
// GL drivers have been seen to hang after days of running.
func watchdog(ctx context.Context, interval, limit time.Duration, do func(func()), stalled func(silent time.Duration)) {
	var last atomic.Int64
	last.Store(time.Now().UnixNano())
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if silent := time.Since(time.Unix(0, last.Load())); silent > limit {
				stalled(silent)
				return
			}
			do(func() { last.Store(time.Now().UnixNano()) })
		}
	}
}
