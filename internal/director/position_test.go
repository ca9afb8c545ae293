package director

import (
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/show"
)

// TestEveryModeSavesThePosition: the README promises cache.db.position
// after every portrait, in the mixed mode (the default) as in the spotlight.
func TestEveryModeSavesThePosition(t *testing.T) {
	for _, mode := range []string{show.ModeSpotlight, show.ModeMixed} {
		t.Run(mode, func(t *testing.T) {
			d, scr, entries := newTestDirector(t, Options{Mode: mode, WallPassage: time.Millisecond, Dwell: 30 * time.Millisecond, Fade: time.Millisecond, ExitAfter: 2, Language: "en"})
			scr.lifts = []show.Entry{entries[1], entries[2]}
			var last string
			d.OnDraw = func(e show.Entry, _ string) { last = e.Person.ID }
			run(t, d, scr, 10*time.Second)
			pos, err := show.LoadPosition(d.PositionFile())
			if err != nil || pos.Person == "" || pos.Person != last {
				t.Fatalf("position %+v (%v); the last portrait drawn was %s", pos, err, last)
			}
			// A restart opens with that person.
			if _, first, ok := show.Resume(entries, pos, 7); !ok || first.Person.ID != pos.Person {
				t.Errorf("a restart resumes with %v (ok %v), want %s", first.Person, ok, pos.Person)
			}
		})
	}
}
