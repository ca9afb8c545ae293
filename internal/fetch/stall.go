package fetch

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"
)

// ErrStalled is matched (errors.Is) by the error of a download that ended
// because no byte arrived for Options.StallTimeout.
var ErrStalled = errors.New("stalled")

// stallError says how long nothing arrived: "no data for 30 s".
type stallError struct{ d time.Duration }

func (e stallError) Error() string { return "no data for " + formatDuration(e.d) }

func (e stallError) Is(target error) bool { return target == ErrStalled }

// stallWatch ends a download (cancels its context with a stallError) when
// no byte has arrived for limit, on the real clock. touch says a byte
// arrived; it is cheap enough to call for every read.
type stallWatch struct {
	limit time.Duration
	begin time.Time
	last  atomic.Int64 // when a byte last arrived, as a time.Duration since begin

	mu      sync.Mutex
	ctx     context.Context
	cancel  context.CancelCauseFunc
	timer   *time.Timer
	stopped bool
}

func newStallWatch(limit time.Duration) *stallWatch {
	return &stallWatch{limit: limit, begin: time.Now()}
}

// start arms the watch and returns the context it cancels.
func (s *stallWatch) start(ctx context.Context) context.Context {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ctx, s.cancel = context.WithCancelCause(ctx)
	s.touch()
	s.timer = time.AfterFunc(s.limit, s.check)
	return s.ctx
}

func (s *stallWatch) touch() { s.last.Store(int64(time.Since(s.begin))) }

// check runs when the timer fires: it ends the download, or waits again
// until limit after the last byte.
func (s *stallWatch) check() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return
	}
	idle := time.Since(s.begin) - time.Duration(s.last.Load())
	if idle < s.limit {
		s.timer.Reset(s.limit - idle)
		return
	}
	s.stopped = true
	s.cancel(stallError{d: s.limit})
}

// stop disarms the watch and releases its context.
func (s *stallWatch) stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopped = true
	s.timer.Stop()
	s.cancel(context.Canceled)
}

// explain replaces the error of a download the watch ended (a cancelled
// read, a truncated body) with the stall.
func (s *stallWatch) explain(err error) error {
	if err == nil {
		return nil
	}
	var stalled stallError
	if errors.As(context.Cause(s.ctx), &stalled) {
		return stalled
	}
	return err
}
