package ui

import (
	"context"
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/solidarity-kiosk/kiosk/internal/director"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/show"
)

// wallPeople are n people without photos (silhouettes); every seventh
// died in custody and carries the ribbon.
func wallPeople(n int) []show.Entry {
	m := &pack.Manifest{
		ID: "wall", Version: "1", Languages: []string{"en"},
		Actions: []pack.Action{{Kind: "petition", URL: "https://example.org/petition", Label: pack.Text{"en": "Sign the petition"}}},
	}
	for i := range n {
		status := pack.StatusInCustody
		if i%7 == 3 {
			status = pack.StatusDiedInCustody
		}
		m.People = append(m.People, pack.Person{ID: fmt.Sprintf("p%d", i), Name: pack.Text{"en": fmt.Sprintf("Person %d", i)}, Country: "BY", Status: status})
	}
	var out []show.Entry
	for i := range m.People {
		out = append(out, show.Entry{PackID: m.ID, Manifest: m, Person: &m.People[i]})
	}
	return out
}

// hang lays a wall out for entries on a canvas of size (scale 1).
func hang(w *wallView, entries []show.Entry, size fyne.Size) {
	w.setup(entries, w.prepare(entries, size, 1))
}

// TestWallGoldens hangs 3, 40 and 400 people on the wire at the same
// moment of the drift, through Fyne's test driver, against testdata/wall.
func TestWallGoldens(t *testing.T) {
	for _, n := range []int{3, 40, 400} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			k := testKiosk(t, Options{})
			w := k.wall
			size := fyne.NewSize(640, 360)
			hang(w, wallPeople(n), size)
			w.apply(w.next(7 * time.Second))
			w.root.Show()
			k.stage.a.Hide()
			k.stage.b.Hide()
			win := test.NewTempWindow(t, k.stage.root) // the wall over the stage's plain backdrop, as passage shows it
			win.SetPadded(false)
			win.Resize(size)
			test.AssertImageMatches(t, fmt.Sprintf("wall/%d.png", n), win.Canvas().Capture())
		})
	}
}

// TestWallShowsEveryoneOnceAndDriftsOnlyWhenTheyDoNotFit: three people
// hang still with no repeats; four hundred drift, and every one of them
// passes in a full cycle; the print objects stay a fixed pool.
func TestWallShowsEveryoneOnceAndDriftsOnlyWhenTheyDoNotFit(t *testing.T) {
	k := testKiosk(t, Options{})
	w := k.wall
	hang(w, wallPeople(3), fyne.NewSize(1920, 1080))
	a, b := w.drift.Frame(0), w.drift.Frame(time.Minute)
	if len(a) != 3 || fmt.Sprint(a) != fmt.Sprint(b) {
		t.Fatalf("three people: %v then %v; want three prints hanging still", a, b)
	}
	hang(w, wallPeople(400), fyne.NewSize(1920, 1080))
	g := w.art.geo
	seen := map[string]bool{}
	cycle := time.Duration(len(w.rows[0])+2) * passPeriod
	for t0 := time.Duration(0); t0 < cycle; t0 += passPeriod / 2 {
		for _, p := range w.drift.Frame(t0) {
			if r := g.PrintAt(p.Row, p.X); r.Overlaps(g.Wall) {
				seen[w.rows[p.Row][p.Person].Person.ID] = true
			}
			if p.Slot >= w.drift.Pool() {
				t.Fatalf("print object %d beyond the pool of %d", p.Slot, w.drift.Pool())
			}
		}
	}
	if len(seen) != 400 {
		t.Fatalf("%d of 400 people passed across the screen in a cycle", len(seen))
	}
	if n := len(w.drift.Frame(0)); n != len(g.Rows)*w.drift.Pool() {
		t.Fatalf("%d placements for %d wires of %d prints", n, len(g.Rows), w.drift.Pool())
	}
}

// TestTheWallLiftsSomeoneElseEachTime: with the demo's three people, five
// lifts in a row lift a different person each time, and everyone.
func TestTheWallLiftsSomeoneElseEachTime(t *testing.T) {
	k := testKiosk(t, Options{Options: director.Options{Language: "en"}})
	w := k.wall
	hang(w, wallPeople(3), fyne.NewSize(1920, 1080))
	var got []string
	for range 5 {
		w.liftAt = time.Time{}
		if w.maybeLift(w.drift.Frame(0)) == nil {
			t.Fatal("no card drawn for a lift")
		}
		got = append(got, w.lifts[len(w.lifts)-1].Person.ID)
	}
	seen := map[string]bool{}
	for i, id := range got {
		seen[id] = true
		if i > 0 && got[i-1] == id {
			t.Fatalf("lifted %v: the same person twice running", got)
		}
	}
	if len(seen) != 3 {
		t.Fatalf("lifted %v: not all three", got)
	}
}

// TestMixedModeLiftsThenShowsThem runs a short wall passage on the demo
// pack and checks people were lifted and then shown in the spotlight.
func TestMixedModeLiftsThenShowsThem(t *testing.T) {
	k := testKiosk(t, Options{Options: director.Options{Mode: show.ModeMixed, WallPassage: 3500 * time.Millisecond, Dwell: 100 * time.Millisecond, Fade: 10 * time.Millisecond, ExitAfter: 1, Language: "en"}})
	drawn := make(chan string, 16)
	k.dir.OnDraw = func(e show.Entry, _ string) { drawn <- e.Person.ID }
	runUntilQuit(t, k, 30*time.Second, "mixed mode never reached a spotlight")
	if len(k.wall.lifts) == 0 {
		t.Fatal("the wall lifted nobody")
	}
	var got []string
	for len(drawn) > 0 {
		got = append(got, <-drawn)
	}
	if len(got) == 0 || got[len(got)-1] == "" {
		t.Fatalf("spotlights drawn: %v", got)
	}
	lifted := map[string]bool{}
	for _, e := range k.wall.lifts {
		lifted[e.Person.ID] = true
	}
	for _, id := range got {
		if !lifted[id] {
			t.Fatalf("spotlight of %s, who was not lifted (lifted %v)", id, lifted)
		}
	}
}

// TestWallInStepIsOneLongWall: two screens in a row with the same epoch
// show adjacent stretches of one wall: at the same moment their prints
// are different people, and the second screen's first print follows the
// first screen's last.
func TestWallInStepIsOneLongWall(t *testing.T) {
	k := testKiosk(t, Options{})
	entries := wallPeople(120)
	size := fyne.NewSize(1920, 1080)
	views := make([]*wallView, 2)
	for i := range views {
		w := newWallView(k)
		w.screen, w.screens = i+1, 2
		hang(w, entries, size)
		views[i] = w
	}
	at := 93 * time.Second
	onScreen := func(w *wallView, row int) map[string]bool {
		out := map[string]bool{}
		for _, p := range w.drift.Frame(at) {
			if r := w.art.geo.PrintAt(p.Row, p.X); p.Row == row && r.Overlaps(w.art.geo.Wall) {
				out[w.rows[p.Row][p.Person].Person.ID] = true
			}
		}
		return out
	}
	for row := range 2 {
		a, b := onScreen(views[0], row), onScreen(views[1], row)
		if len(a) < 5 || len(b) < 5 {
			t.Fatalf("wire %d: %d and %d prints on screen", row, len(a), len(b))
		}
		for id := range a {
			if b[id] {
				t.Fatalf("wire %d: %s on both screens at once", row, id)
			}
		}
	}
}

// TestMixedInStepFollowsTheRowsCycle: in a row, mixed mode counts wall
// passages and spotlight slots from the epoch; each spotlight drawn is
// the person the schedule gives this screen for that slot.
func TestMixedInStepFollowsTheRowsCycle(t *testing.T) {
	epoch := time.Now().Add(-10 * time.Second).Truncate(time.Second)
	passage, dwell := time.Second, 300*time.Millisecond
	k := testKiosk(t, Options{Options: director.Options{Mode: show.ModeMixed, WallPassage: passage, Dwell: dwell, Fade: 10 * time.Millisecond, Language: "en", Sync: &SyncOptions{Epoch: epoch, Screen: 2, Screens: 2}}})
	type drawn struct {
		id string
		at time.Time
	}
	got := make(chan drawn, 64)
	k.dir.OnDraw = func(e show.Entry, _ string) { got <- drawn{e.Person.ID, time.Now()} }
	ctx, cancel := context.WithTimeout(context.Background(), 4500*time.Millisecond)
	defer cancel()
	k.dir.Run(ctx)
	s := k.dir.InStep()
	if s == nil {
		t.Fatal("not in step")
	}
	cycle := passage + 3*dwell
	checked := 0
	for len(got) > 0 {
		d := <-got
		since := d.at.Sub(epoch)
		c := int64(since / cycle) // the epoch is in the past: since > 0
		phase := since - time.Duration(c)*cycle
		if phase < passage || (phase-passage)%dwell > dwell-20*time.Millisecond {
			continue // a lifted card, or drawn at a slot's very end
		}
		want := s.At(c*3 + int64((phase-passage)/dwell)).Person.ID
		if d.id != want {
			t.Fatalf("drawn %s %v into the cycle, the row's schedule says %s", d.id, phase, want)
		}
		checked++
	}
	if checked < 2 {
		t.Fatalf("only %d spotlights could be checked", checked)
	}
}

// TestWallWithNoPacksShowsHowToImport: an empty cache in the default mode
// falls back to the spotlight's message instead of spinning on an empty wall.
func TestWallWithNoPacksShowsHowToImport(t *testing.T) {
	k := testKiosk(t, Options{Options: director.Options{Mode: show.ModeMixed, Dwell: 50 * time.Millisecond, ExitAfter: 2}})
	if err := k.st.Remove("demo"); err != nil {
		t.Fatal(err)
	}
	runUntilQuit(t, k, 10*time.Second, "with no packs the show never reached its message")
}
