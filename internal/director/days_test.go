package director

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/calendar"
	"github.com/solidarity-kiosk/kiosk/internal/demo/demotest"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/importer"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

var minsk = time.FixedZone("Minsk", 3*3600)

// clock is an injected clock the test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// drawCounter counts the slides the director draws.
type drawCounter struct {
	mu  sync.Mutex
	ids []string
}

func (d *drawCounter) draw(e show.Entry, _ string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ids = append(d.ids, e.Person.ID)
}

func (d *drawCounter) list() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.ids)
}

// eventually waits up to 5 s for ok.
func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatal(what)
}

// TestOpeningHoursAsleepAwakeAndWokenByAKey: at night the screen sleeps
// and nothing is drawn; a key wakes it for ten minutes, then it sleeps
// again; at opening time it wakes by itself and the show goes on.
func TestOpeningHoursAsleepAwakeAndWokenByAKey(t *testing.T) {
	clk := &clock{t: time.Date(2026, 12, 1, 22, 0, 0, 0, minsk)} // a Tuesday night
	d, scr, _ := newTestDirectorOn(t, demotest.Cache(t), Options{
		Mode: show.ModeSpotlight, Dwell: 20 * time.Millisecond, Fade: time.Millisecond, Language: "en",
		Hours: "Mo-Fr 10:00-19:00", HoursCheck: 5 * time.Millisecond,
	}, clk.Now)
	drawn := &drawCounter{}
	d.OnDraw = drawn.draw
	if d.Start(imageprep.Size{W: 640, H: 360}); d.First() != nil {
		t.Error("a first slide drawn before the window opens at night")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	eventually(t, "the screen did not fall asleep at night", func() bool { return slices.Equal(scr.sleepCalls(), []bool{true}) })
	if asleep, until := d.Sleeping(); !asleep || !until.Equal(time.Date(2026, 12, 2, 10, 0, 0, 0, minsk)) {
		t.Errorf("Sleeping() = %v until %s, want asleep until 10:00", asleep, until)
	}
	time.Sleep(100 * time.Millisecond) // five dwell times
	if n := len(scr.sizes()); n != 0 {
		t.Fatalf("%d slides presented while asleep", n)
	}
	// A key wakes it, for ten minutes.
	d.Send(Wake)
	eventually(t, "a key did not wake the screen", func() bool { return slices.Equal(scr.sleepCalls(), []bool{true, false}) })
	eventually(t, "no slides while woken", func() bool { return len(scr.sizes()) >= 3 })
	clk.set(time.Date(2026, 12, 1, 22, 9, 0, 0, minsk))
	time.Sleep(50 * time.Millisecond)
	if got := scr.sleepCalls(); len(got) != 2 {
		t.Fatalf("asleep again after 9 minutes: %v", got)
	}
	clk.set(time.Date(2026, 12, 1, 22, 10, 1, 0, minsk))
	eventually(t, "the screen did not sleep again ten minutes after the key", func() bool { return len(scr.sleepCalls()) == 3 })
	time.Sleep(30 * time.Millisecond) // a slide drawn ahead before sleeping is allowed to finish
	presented, drew := len(scr.sizes()), len(drawn.list())
	time.Sleep(100 * time.Millisecond)
	if len(scr.sizes()) != presented || len(drawn.list()) != drew {
		t.Fatalf("asleep, yet %d slides presented and %d drawn since", len(scr.sizes())-presented, len(drawn.list())-drew)
	}
	// Opening time: awake by itself, and the show goes on.
	clk.set(time.Date(2026, 12, 2, 10, 0, 0, 0, minsk))
	eventually(t, "the screen did not wake at opening time", func() bool { return slices.Equal(scr.sleepCalls(), []bool{true, false, true, false}) })
	eventually(t, "the show did not go on after opening", func() bool { return len(scr.sizes()) >= presented+3 })
	if asleep, _ := d.Sleeping(); asleep {
		t.Error("Sleeping() while open")
	}
}

// TestTheWallSleepsAtClosingTime: the wall runs until its context ends;
// at closing time it ends, the screen sleeps, and at opening the wall
// comes back.
func TestTheWallSleepsAtClosingTime(t *testing.T) {
	for _, row := range []*show.Row{nil, {Epoch: time.Date(2026, 1, 1, 0, 0, 0, 0, minsk), Screen: 1, Screens: 2}} {
		clk := &clock{t: time.Date(2026, 12, 1, 18, 59, 0, 0, minsk)}
		d, scr, _ := newTestDirectorOn(t, demotest.Cache(t), Options{
			Mode: show.ModeWall, Language: "en", Hours: "Mo-Fr 10:00-19:00", HoursCheck: 5 * time.Millisecond, Sync: row,
		}, clk.Now)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { d.Run(ctx); close(done) }()
		passages := func() int {
			scr.mu.Lock()
			defer scr.mu.Unlock()
			return scr.passages
		}
		eventually(t, "no wall", func() bool { return passages() == 1 })
		clk.set(time.Date(2026, 12, 1, 19, 0, 0, 0, minsk))
		eventually(t, "the wall did not sleep at closing time", func() bool { return slices.Equal(scr.sleepCalls(), []bool{true}) })
		clk.set(time.Date(2026, 12, 2, 10, 0, 0, 0, minsk))
		eventually(t, "the wall did not come back at opening", func() bool { return passages() == 2 && len(scr.sleepCalls()) == 2 })
		cancel()
		<-done
	}
}

// TestOpeningHoursSetFromThePanel: hours set while the show runs put it
// to sleep at once; clearing them wakes it.
func TestOpeningHoursSetFromThePanel(t *testing.T) {
	clk := &clock{t: time.Date(2026, 12, 1, 22, 0, 0, 0, minsk)}
	d, scr, _ := newTestDirectorOn(t, demotest.Cache(t), Options{
		Mode: show.ModeSpotlight, Dwell: time.Hour, Language: "en", HoursCheck: time.Hour,
	}, clk.Now)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	<-d.Shown()
	if err := d.SetHours("Mo-Fr 10:00-19:00; Sa 25:00-26:00"); err == nil {
		t.Fatal("invalid hours accepted")
	}
	if err := d.SetHours("Mo-Fr 10:00-19:00"); err != nil {
		t.Fatal(err)
	}
	eventually(t, "new hours did not put the screen to sleep", func() bool { return slices.Equal(scr.sleepCalls(), []bool{true}) })
	if d.Hours() != "Mo-Fr 10:00-19:00" {
		t.Errorf("Hours() = %q", d.Hours())
	}
	if err := d.SetHours(""); err != nil {
		t.Fatal(err)
	}
	eventually(t, "clearing the hours did not wake the screen", func() bool { return slices.Equal(scr.sleepCalls(), []bool{true, false}) })
}

// installPack imports a pack of people without photos into a fresh cache.
func installPack(t *testing.T, people []map[string]any) *store.Store {
	t.Helper()
	st := demotest.Cache(t)
	dir := t.TempDir()
	m := map[string]any{
		"format": 1, "id": "days", "version": "1", "title": map[string]string{"en": "Days"},
		"publisher": map[string]string{"name": "Test"}, "published": "2024-01-01", "languages": []string{"en"},
		"people": people,
	}
	data, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "pack.json"), data, 0o644); err != nil {
		t.Fatal(err)
	}
	opt := importer.DefaultOptions()
	opt.Logger = demotest.Quiet()
	if _, err := importer.Import(context.Background(), st, dir, opt); err != nil {
		t.Fatal(err)
	}
	return st
}

func person(id string, kv ...string) map[string]any {
	p := map[string]any{"id": id, "name": id, "country": "BY", "status": "in_custody"}
	for i := 0; i+1 < len(kv); i += 2 {
		p[kv[i]] = kv[i+1]
	}
	return p
}

// TestPostcardHourShowsTheNearestBirthdaysFirst: in postcards mode the
// show goes round the people whose birthday is this month or next,
// nearest first; no one else.
func TestPostcardHourShowsTheNearestBirthdaysFirst(t *testing.T) {
	st := installPack(t, []map[string]any{
		person("jan10", "born", "--01-10"), person("dec20", "born", "1970-12-20"), person("dec05", "born", "--12-05"),
		person("jun01", "born", "--06-01"), person("none", "born", "--12-06", "contact", "none"),
	})
	clk := &clock{t: time.Date(2026, 12, 4, 18, 0, 0, 0, minsk)}
	d, scr, _ := newTestDirectorOn(t, st, Options{Mode: show.ModePostcards, Dwell: 20 * time.Millisecond, Fade: time.Millisecond, ExitAfter: 4, Language: "en"}, clk.Now)
	drawn := &drawCounter{}
	d.OnDraw = drawn.draw
	run(t, d, scr, 10*time.Second)
	if got := drawn.list(); !slices.Equal(got[:4], []string{"dec05", "dec20", "jan10", "dec05"}) {
		t.Errorf("postcard hour showed %v, want dec05, dec20, jan10, dec05", got)
	}
	if m := d.moment(); !m.Postcard {
		t.Error("slides of the postcard hour are drawn without the postcard facts")
	}
}

// TestWomenFirstOn8March: on 8 March the show opens with a woman (by the
// pack's gender) and the panel's line names the day.
func TestWomenFirstOn8March(t *testing.T) {
	var people []map[string]any
	for _, id := range []string{"m1", "m2", "m3", "m4", "m5"} {
		people = append(people, person(id, "gender", "male"))
	}
	people = append(people, person("w1", "gender", "female"), person("anna", "name", "Anna Ivanova"))
	for i := 0; i < 5; i++ {
		st := installPack(t, people)
		clk := &clock{t: time.Date(2027, 3, 8, 9, 0, 0, 0, minsk)}
		d, _, _ := newTestDirectorOn(t, st, Options{Mode: show.ModeSpotlight, Language: "en"}, clk.Now)
		d.Start(imageprep.Size{})
		if d.cur.Person == nil || d.cur.Person.ID != "w1" {
			t.Fatalf("run %d: the show opens with %v on 8 March", i, d.cur.Person)
		}
		if i == 0 {
			want := "Today: 8 March, International Women's Day: we remember women political prisoners"
			if got := d.Today("en"); got != want {
				t.Errorf("panel line %q, want %q", got, want)
			}
			if s := d.Stale("en"); len(s) != 1 || s[0].ID != "demo" || s[0].ReviewBy != "2024-08-23" {
				t.Errorf("stale packs %+v, want the demo pack (review_by 2024-08-23)", s)
			}
		}
	}
}

// TestTwoScreensInStepDecideTheSameDay: screen 1 of 2 at 23:59:59 and
// screen 2 at 00:00:00 (their clocks a second apart) fill the same slot
// and decide the same day: the slot's start, 20 May, not 21 May.
func TestTwoScreensInStepDecideTheSameDay(t *testing.T) {
	epoch := time.Date(2026, 5, 20, 23, 59, 55, 0, minsk).Add(-1000 * 12 * time.Second)
	st := demotest.Cache(t)
	var dates []calendar.Date
	for i, at := range []time.Time{time.Date(2026, 5, 20, 23, 59, 59, 0, minsk), time.Date(2026, 5, 21, 0, 0, 0, 0, minsk)} {
		clk := &clock{t: at}
		row := &show.Row{Epoch: epoch, Screen: i + 1, Screens: 2}
		d, _, _ := newTestDirectorOn(t, st, Options{Mode: show.ModeSpotlight, Dwell: 12 * time.Second, Language: "en", Sync: row}, clk.Now)
		d.Start(imageprep.Size{})
		if d.InStep() == nil {
			t.Fatalf("screen %d not in step: %v", i+1, d.Notes())
		}
		m := d.moment()
		dates = append(dates, m.Calendar.Date)
		if m.Calendar.Is(calendar.SolidarityDay) {
			t.Errorf("screen %d decided 21 May for a slot that began on the 20th", i+1)
		}
	}
	if dates[0] != dates[1] || dates[0].String() != "2026-05-20" {
		t.Errorf("the screens decided %s and %s", dates[0], dates[1])
	}
}

// TestNoPacksShowsHowToImportOne: with an empty cache the spotlight shows
// the message, slide after slide, without a person to name (and without
// a panic on the missing person).
func TestNoPacksShowsHowToImportOne(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "cache.db"), store.Options{Logger: demotest.Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	d, scr, entries := newTestDirectorOn(t, st, Options{Mode: show.ModeSpotlight, Dwell: 20 * time.Millisecond, ExitAfter: 3, Language: "en"}, nil)
	if len(entries) != 0 {
		t.Fatalf("%d people in an empty cache", len(entries))
	}
	d.opts.Logger = slog.New(slog.NewTextHandler(io.Discard, &slog.HandlerOptions{Level: slog.LevelDebug}))
	d.log = d.opts.Logger
	run(t, d, scr, 10*time.Second)
	if n := len(scr.sizes()); n < 3 {
		t.Errorf("%d slides presented, want 3", n)
	}
}
