package director

import (
	"context"
	"image"
	"sync"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/demo/demotest"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/slides"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// fakeScreen is a Screen in memory: it records what is presented.
type fakeScreen struct {
	mu        sync.Mutex
	size      imageprep.Size
	presented []image.Point
	lifts     []show.Entry // what a wall passage "lifts"
	passages  int
	quit      chan struct{}
	quitOnce  sync.Once
	sleeps    []bool // what Sleep was told, in order
}

func (f *fakeScreen) Sleep(asleep bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sleeps = append(f.sleeps, asleep)
}

func (f *fakeScreen) sleepCalls() []bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]bool(nil), f.sleeps...)
}

func (f *fakeScreen) PixelSize() imageprep.Size {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.size
}

func (f *fakeScreen) Present(img *image.RGBA, _ time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.presented = append(f.presented, img.Rect.Size())
}

func (f *fakeScreen) WallPassage(ctx context.Context, d time.Duration, entries []show.Entry, _ *show.Row) []show.Entry {
	f.mu.Lock()
	f.passages++
	f.mu.Unlock()
	if d == 0 {
		<-ctx.Done()
	}
	return f.lifts
}

func (f *fakeScreen) Quit() { f.quitOnce.Do(func() { close(f.quit) }) }

func (f *fakeScreen) setSize(s imageprep.Size) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.size = s
}

func (f *fakeScreen) sizes() []image.Point {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]image.Point(nil), f.presented...)
}

func newTestDirector(t *testing.T, opts Options) (*Director, *fakeScreen, []show.Entry) {
	t.Helper()
	return newTestDirectorOn(t, demotest.Cache(t), opts, nil)
}

// newTestDirectorOn makes a director over st with the clock now (nil: time.Now).
func newTestDirectorOn(t *testing.T, st *store.Store, opts Options, now func() time.Time) (*Director, *fakeScreen, []show.Entry) {
	t.Helper()
	recs, _ := st.Packs()
	entries, err := show.Entries(recs)
	if err != nil {
		t.Fatal(err)
	}
	fonts, words := demotest.Drawing(t)
	scr := &fakeScreen{size: imageprep.Size{W: 640, H: 360}, quit: make(chan struct{})}
	opts.Logger = demotest.Quiet()
	c := &slides.Composer{Photos: st, Fonts: fonts, Words: words, Now: time.Now, Log: opts.Logger}
	return New(st, c, scr, opts, now), scr, entries
}

// run runs d until the screen is told to quit.
func run(t *testing.T, d *Director, scr *fakeScreen, limit time.Duration) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { d.Run(ctx); close(done) }()
	select {
	case <-scr.quit:
	case <-time.After(limit):
		t.Error("the show did not end by itself")
	}
	cancel()
	<-done
}

func TestSpotlightPresentsEverySlideAtTheScreensSizeAndSavesThePosition(t *testing.T) {
	d, scr, _ := newTestDirector(t, Options{Mode: show.ModeSpotlight, Dwell: 40 * time.Millisecond, Fade: time.Millisecond, ExitAfter: 5, Language: "en"})
	var drawn []string
	d.OnDraw = func(e show.Entry, _ string) { drawn = append(drawn, e.Person.ID) }
	run(t, d, scr, 10*time.Second)
	sizes := scr.sizes()
	if len(sizes) < 5 {
		t.Fatalf("%d slides presented, want 5", len(sizes))
	}
	for _, s := range sizes {
		if s != image.Pt(640, 360) {
			t.Fatalf("a slide of %v presented on a 640x360 screen", s)
		}
	}
	for i := 1; i < len(drawn); i++ {
		if drawn[i] == drawn[i-1] {
			t.Errorf("%s shown twice in a row: %v", drawn[i], drawn)
		}
	}
	pos, err := show.LoadPosition(d.PositionFile())
	if err != nil || pos.Person == "" {
		t.Errorf("no position saved: %+v %v", pos, err)
	}
}

func TestResizeDrawsTheSlideOnScreenAgain(t *testing.T) {
	d, scr, _ := newTestDirector(t, Options{Mode: show.ModeSpotlight, Dwell: 10 * time.Second, Language: "en"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go d.Run(ctx)
	<-d.Shown()
	scr.setSize(imageprep.Size{W: 1080, H: 1920})
	d.Send(Resize)
	deadline := time.Now().Add(5 * time.Second)
	for time.Now().Before(deadline) {
		s := scr.sizes()
		if s[len(s)-1] == image.Pt(1080, 1920) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("presented %v; want the slide drawn again at 1080x1920", scr.sizes())
}

func TestMixedShowsThePeopleTheWallLifted(t *testing.T) {
	d, scr, entries := newTestDirector(t, Options{Mode: show.ModeMixed, WallPassage: time.Millisecond, Dwell: 30 * time.Millisecond, ExitAfter: 2, Language: "en"})
	scr.lifts = []show.Entry{entries[2], entries[0]}
	var drawn []string
	d.OnDraw = func(e show.Entry, _ string) { drawn = append(drawn, e.Person.ID) }
	run(t, d, scr, 10*time.Second)
	if scr.passages == 0 {
		t.Fatal("no wall passage in mixed mode")
	}
	if len(drawn) < 2 || drawn[0] != entries[2].Person.ID || drawn[1] != entries[0].Person.ID {
		t.Errorf("spotlights of %v; the wall lifted %s, %s", drawn, entries[2].Person.ID, entries[0].Person.ID)
	}
}

func TestCaptionsRotateAndAFixedLanguageWins(t *testing.T) {
	d, _, entries := newTestDirector(t, Options{Languages: []string{"en", "be", "ru"}})
	if got := d.Captions(entries[0], 1); len(got) != 3 || got[0] != "be" || got[2] != "en" {
		t.Errorf("slide 1 rotates %v, want be, ru, en", got)
	}
	d.SetLanguage("pl")
	if got := d.Captions(entries[0], 1); len(got) != 1 || got[0] != "pl" {
		t.Errorf("with pl fixed: %v", got)
	}
}

func TestNotInStepWhenThePackSetDiffers(t *testing.T) {
	d, _, _ := newTestDirector(t, Options{Sync: &show.Row{Epoch: time.Now(), Screen: 1, Screens: 2, Set: "other"}})
	d.Start(imageprep.Size{})
	if d.InStep() != nil || len(d.Notes()) == 0 {
		t.Fatalf("in step with another pack set: %v", d.Notes())
	}
}

func TestSettersSayWhetherAnythingChanged(t *testing.T) {
	d, _, _ := newTestDirector(t, Options{Mode: show.ModeMixed, Dwell: 12 * time.Second})
	if d.SetMode(show.ModeMixed) || d.SetPace(12*time.Second) || d.SetLanguage("") {
		t.Error("setting what is already set reported a change (the panel logs only real changes)")
	}
	if !d.SetMode(show.ModeWall) || !d.SetPace(20*time.Second) || !d.SetLanguage("pl") {
		t.Error("a change was not reported")
	}
}
