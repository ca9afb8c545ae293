package show

import (
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

func syncEntries(n int) []Entry {
	m := &pack.Manifest{ID: "row", Version: "1", People: people(n)}
	return entriesOf(m)
}

// TestSyncScreensNeverShowTheSamePersonAtOnce: for random epochs, rows of
// up to 8 screens and packs of at least as many people, at random
// instants (before and after the epoch) the screens all differ, and no
// screen shows a person twice in a row when there are more people than
// screens.
func TestSyncScreensNeverShowTheSamePersonAtOnce(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		n := 1 + rng.IntN(8)
		m := n + rng.IntN(40)
		epoch := time.Unix(rng.Int64N(4e9), rng.Int64N(1e9))
		dwell := time.Duration(1+rng.IntN(30)) * time.Second
		entries := syncEntries(m)
		rows := make([]*Sync, n)
		for i := range rows {
			s, err := NewSync(entries, epoch, dwell, i+1, n)
			if err != nil {
				t.Fatal(err)
			}
			rows[i] = s
		}
		for range 40 {
			at := epoch.Add(time.Duration(rng.Int64N(int64(400*24*time.Hour))) - 200*24*time.Hour)
			k := rows[0].Slot(at)
			seen := map[string]int{}
			for i, s := range rows {
				if s.Slot(at) != k {
					t.Fatalf("trial %d: screens disagree on the slot at %v", trial, at)
				}
				id := s.At(k).Person.ID
				if j, dup := seen[id]; dup {
					t.Fatalf("trial %d (%d screens, %d people, slot %d): %s on screens %d and %d at once", trial, n, m, k, id, j+1, i+1)
				}
				seen[id] = i
				if m > n && s.At(k+1).Person.ID == id {
					t.Fatalf("trial %d (%d screens, %d people): %s twice in a row on screen %d (slots %d, %d)", trial, n, m, id, i+1, k, k+1)
				}
			}
		}
	}
}

// TestSyncIsTheSameWhenStartedLaterOrRestarted: schedulers made at
// different times, from entries in another order, agree at every
// instant; a kiosk restarted mid-slide resumes that slide until its end.
func TestSyncIsTheSameWhenStartedLaterOrRestarted(t *testing.T) {
	entries := syncEntries(17)
	epoch := time.Date(2024, 5, 20, 10, 0, 0, 0, time.UTC)
	first, err := NewSync(entries, epoch, 12*time.Second, 2, 5)
	if err != nil {
		t.Fatal(err)
	}
	shuffled := append([]Entry(nil), entries...)
	rand.New(rand.NewPCG(9, 9)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	later, err := NewSync(shuffled, epoch, 12*time.Second, 2, 5) // a kiosk started an hour later, packs imported in another order
	if err != nil {
		t.Fatal(err)
	}
	for at := epoch.Add(-time.Hour); at.Before(epoch.Add(3 * time.Hour)); at = at.Add(1700 * time.Millisecond) {
		k := first.Slot(at)
		if later.Slot(at) != k || first.At(k).Person.ID != later.At(k).Person.ID {
			t.Fatalf("at %v the two schedulers differ", at)
		}
		start, end := first.Bounds(k)
		if at.Before(start) || !at.Before(end) {
			t.Fatalf("at %v: slot %d runs %v to %v", at, k, start, end)
		}
	}
	// Restart mid-slide: the slide on screen and its end are the same.
	at := epoch.Add(47*time.Minute + 5*time.Second)
	k := first.Slot(at)
	restarted, _ := NewSync(entries, epoch, 12*time.Second, 2, 5)
	_, end := restarted.Bounds(restarted.Slot(at))
	if restarted.Slot(at) != k || restarted.At(k).Person.ID != first.At(k).Person.ID || !end.Equal(epoch.Add(47*time.Minute+12*time.Second)) {
		t.Fatalf("restart mid-slide: slot %d→%d, ends %v", k, restarted.Slot(at), end)
	}
	// Another epoch is another order.
	other, _ := NewSync(entries, epoch.Add(time.Second), 12*time.Second, 2, 5)
	same := 0
	for k := range int64(50) {
		if other.At(k).Person.ID == first.At(k).Person.ID {
			same++
		}
	}
	if same == 50 {
		t.Fatal("a different epoch gives the very same order")
	}
}

func TestSyncRefusesImpossibleRows(t *testing.T) {
	epoch := time.Unix(0, 0)
	if _, err := NewSync(syncEntries(3), epoch, time.Second, 1, 4); !errors.Is(err, ErrTooFewPeople) {
		t.Fatalf("3 people on 4 screens: %v", err)
	}
	for _, bad := range [][2]int{{0, 2}, {3, 2}, {1, 0}} {
		if _, err := NewSync(syncEntries(5), epoch, time.Second, bad[0], bad[1]); err == nil {
			t.Fatalf("screen %d of %d accepted", bad[0], bad[1])
		}
	}
	a, b := PackSet(syncEntries(5)), PackSet(syncEntries(6))
	if a == b || len(a) != 12 || PackSet(syncEntries(5)) != a {
		t.Fatalf("pack sets %q and %q", a, b)
	}
}
