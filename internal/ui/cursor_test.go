package ui

import (
	"context"
	"testing"
	"time"
)

// fakePointer records what the idle cursor asked for.
type fakePointer struct{ seen chan bool }

func (p *fakePointer) setVisible(v bool) { p.seen <- v }

// TestIdleCursorHidesAfterStillnessAndReturnsOnMovement drives the idle
// cursor with timers the test fires itself.
func TestIdleCursorHidesAfterStillnessAndReturnsOnMovement(t *testing.T) {
	c := newIdleCursor()
	p := &fakePointer{seen: make(chan bool, 8)}
	timers := make(chan chan time.Time, 8)
	var durations []time.Duration
	newTimer := func(d time.Duration) <-chan time.Time {
		durations = append(durations, d)
		ch := make(chan time.Time, 1)
		timers <- ch
		return ch
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { c.run(ctx, p, newTimer); close(done) }()
	expect := func(want bool, what string) {
		t.Helper()
		select {
		case got := <-p.seen:
			if got != want {
				t.Fatalf("%s: pointer visible = %v, want %v", what, got, want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: the pointer was not changed", what)
		}
	}
	fire := func() { (<-timers) <- time.Now() }

	fire() // 3 s without movement after start
	expect(false, "after stillness")
	c.moved()
	expect(true, "after a movement")
	fire() // the timer restarted by the movement
	expect(false, "after stillness again")

	c.keep(true) // the operator panel opens
	expect(true, "panel open")
	fire()
	c.moved() // a movement while the panel is open changes nothing visible
	fire()
	c.keep(false) // panel closed: hidden again after the idle time
	fire()
	expect(false, "panel closed, then stillness")

	cancel()
	<-done
	select {
	case v := <-p.seen:
		t.Fatalf("unexpected change to visible=%v", v)
	default:
	}
	for _, d := range durations {
		if d != cursorIdle {
			t.Fatalf("idle timer of %v, want %v", d, cursorIdle)
		}
	}
}
