package ui

import (
	"context"
	"testing"
	"time"
)

func TestWatchdogNoticesAStalledUI(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stalled := make(chan time.Duration, 1)
	// A UI goroutine that never runs what it is given.
	go watchdog(ctx, 10*time.Millisecond, 100*time.Millisecond, func(func()) {}, func(d time.Duration) { stalled <- d })
	select {
	case d := <-stalled:
		if d < 100*time.Millisecond {
			t.Fatalf("reported after %v of silence, before the limit", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a stalled UI was not noticed")
	}
}

func TestWatchdogLeavesAHealthyUIAlone(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	stalled := make(chan time.Duration, 1)
	done := make(chan struct{})
	go func() {
		watchdog(ctx, 10*time.Millisecond, 100*time.Millisecond, func(f func()) { f() }, func(d time.Duration) { stalled <- d })
		close(done)
	}()
	<-done
	select {
	case d := <-stalled:
		t.Fatalf("a healthy UI was reported stalled after %v", d)
	default:
	}
}
