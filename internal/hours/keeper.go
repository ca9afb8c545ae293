package hours

import (
	"sync"
	"time"
)

// State is whether the screen shows the exhibition.
type State int

// The states of a Keeper.
const (
	Awake  State = iota // within opening hours (or no hours set)
	Asleep              // outside them: the screen is dark, no frame is drawn
	Woken               // outside them, woken by a key or the operator for WakeFor
)

func (s State) String() string {
	switch s {
	case Awake:
		return "awake"
	case Asleep:
		return "asleep"
	case Woken:
		return "woken"
	}
	return "unknown"
}

// WakeFor is how long a key or the operator panel wakes a sleeping screen.
const WakeFor = 10 * time.Minute

// Keeper is the state of a screen under opening hours: awake while the
// hall is open, asleep outside, woken for WakeFor by Wake. Every method
// takes the time it is asked at (the director's injected clock). A nil
// schedule is always open. Safe for concurrent use.
type Keeper struct {
	mu    sync.Mutex
	sched *Schedule
	until time.Time // woken until then
}

// NewKeeper keeps s (nil: always open).
func NewKeeper(s *Schedule) *Keeper { return &Keeper{sched: s} }

// Schedule is the opening hours kept (nil: always open).
func (k *Keeper) Schedule() *Schedule {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.sched
}

// SetSchedule changes the opening hours (nil: always open); a wake-up in
// progress continues.
func (k *Keeper) SetSchedule(s *Schedule) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.sched = s
}

// State is the screen's state at now.
func (k *Keeper) State(now time.Time) State {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.state(now)
}

func (k *Keeper) state(now time.Time) State {
	switch {
	case k.sched == nil || k.sched.Open(now):
		return Awake
	case now.Before(k.until):
		return Woken
	}
	return Asleep
}

// Wake wakes a sleeping screen for WakeFor from now (again from now when
// already woken); it does nothing while the hall is open. It reports
// whether the screen was asleep.
func (k *Keeper) Wake(now time.Time) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	st := k.state(now)
	if st != Awake {
		k.until = now.Add(WakeFor)
	}
	return st == Asleep
}

// Next is when the state may next change after now: the next opening or
// closing, or the end of a wake-up, whichever comes first; the zero Time
// when it never changes.
func (k *Keeper) Next(now time.Time) time.Time {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.sched == nil {
		return time.Time{}
	}
	next := k.sched.NextChange(now)
	if k.state(now) == Woken && (next.IsZero() || k.until.Before(next)) {
		return k.until
	}
	return next
}
