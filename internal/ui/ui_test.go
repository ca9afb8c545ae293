package ui

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/solidarity-kiosk/kiosk/internal/demo/demotest"
	"github.com/solidarity-kiosk/kiosk/internal/director"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/slides"
)

func testKiosk(t *testing.T, opts Options) *kiosk {
	t.Helper()
	a := test.NewTempApp(t)
	w := test.NewTempWindow(t, nil)
	fonts, words := demotest.Drawing(t)
	opts.Logger = demotest.Quiet()
	opts.fill()
	k := newKiosk(a, w, demotest.Cache(t), fonts, words, opts)
	// The test goroutine plays the UI goroutine, and the test driver runs
	// fyne.Do on the caller's: background refreshes (the operator panel's
	// every second) are dropped; a test that needs them replaces do.
	k.do = func(func()) {}
	k.install()
	w.Resize(fyne.NewSize(640, 360))
	for len(k.dir.Commands()) > 0 { // the resize's own request to draw again
		if c := <-k.dir.Commands(); c != director.Resize {
			t.Fatalf("setting up sent %v", c)
		}
	}
	return k
}

func solid(c color.RGBA) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = c.R, c.G, c.B, c.A
	}
	return img
}

// TestCrossFadeKeepsAWholeSlideUnderneath checks the invariant that makes
// transitions free of blank frames: whenever the top image is partly
// transparent, the image under it is opaque and holds a slide.
func TestCrossFadeKeepsAWholeSlideUnderneath(t *testing.T) {
	test.NewTempApp(t)
	s := newStage()
	first, second, third := solid(color.RGBA{255, 0, 0, 255}), solid(color.RGBA{0, 255, 0, 255}), solid(color.RGBA{0, 0, 255, 255})
	s.present(first, slides.Codes{}, 0)
	if s.b.Image != first || s.b.Translucency != 0 {
		t.Fatalf("first slide not on top and opaque")
	}
	s.present(second, slides.Codes{}, 0)
	if s.a.Image != second || s.a.Translucency != 0 || s.b.Translucency != 1 {
		t.Fatalf("second slide: a=%v (%v), b translucency %v", s.a.Image == second, s.a.Translucency, s.b.Translucency)
	}
	s.present(third, slides.Codes{}, 0)
	if s.b.Image != third || s.b.Translucency != 0 || s.a.Image != second {
		t.Fatal("third slide not faded in over the second")
	}
	if s.a.Translucency != 0 {
		t.Fatal("the bottom image must never be translucent")
	}
}

// TestCodesAreCoveredDuringTheFade: when one person's slide fades into
// another's, both slides' codes are covered before the fade starts and the
// new codes show only when it has ended; a change of caption language with
// the same codes covers nothing.
func TestCodesAreCoveredDuringTheFade(t *testing.T) {
	test.NewTempApp(t)
	s := newStage()
	s.root.Resize(fyne.NewSize(400, 400))
	a := slides.Codes{Rects: []image.Rectangle{image.Rect(1, 1, 2, 2)}, URLs: []string{"https://example.org/a"}}
	b := slides.Codes{Rects: []image.Rectangle{image.Rect(2, 1, 3, 2)}, URLs: []string{"https://example.org/b"}}
	s.present(solid(color.RGBA{255, 0, 0, 255}), a, 0)
	if s.covered() {
		t.Fatal("codes covered with no fade")
	}
	var anim *fyne.Animation
	s.start = func(a *fyne.Animation) { anim = a }
	s.present(solid(color.RGBA{0, 255, 0, 255}), b, 300*time.Millisecond)
	if !s.covered() || len(s.covers.Objects) != 2 {
		t.Fatalf("fading to another person: covered %v with %d panels, want both codes covered", s.covered(), len(s.covers.Objects))
	}
	if r := s.covers.Objects[0]; r.Position().X != 100 || r.Size().Width != 100 {
		t.Fatalf("cover at %v size %v, want the code's place scaled to the window (x 100, 100 wide)", r.Position(), r.Size())
	}
	anim.Tick(0.5)
	if !s.covered() {
		t.Fatal("the codes were uncovered halfway through the fade")
	}
	anim.Tick(1)
	if s.covered() {
		t.Fatal("the codes stayed covered after the fade ended")
	}
	s.present(solid(color.RGBA{0, 0, 255, 255}), b, 300*time.Millisecond)
	if s.covered() {
		t.Fatal("the same codes (a caption change) were covered")
	}
}

func TestKeysDriveTheShowAndEscDoesNothing(t *testing.T) {
	k := testKiosk(t, Options{})
	cases := []struct {
		key  fyne.KeyName
		want director.Command
		sent bool
	}{
		{fyne.KeyRight, director.Next, true},
		{fyne.KeyPageDown, director.Next, true},
		{fyne.KeySpace, director.Next, true},
		{fyne.KeyLeft, director.Prev, true},
		{fyne.KeyPageUp, director.Prev, true},
		{fyne.KeyP, director.Pause, true},
		{fyne.KeyEscape, 0, false},
		{fyne.KeyQ, 0, false},
	}
	for _, tc := range cases {
		k.win.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: tc.key})
		select {
		case got := <-k.dir.Commands():
			if !tc.sent || got != tc.want {
				t.Errorf("%s sent %v", tc.key, got)
			}
		default:
			if tc.sent {
				t.Errorf("%s sent nothing", tc.key)
			}
		}
	}
}

func overlayText(c fyne.Canvas) string {
	var b strings.Builder
	for _, o := range c.Overlays().List() {
		walk(o, func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.Label); ok {
				b.WriteString(l.Text + "\n")
			}
		})
	}
	return b.String()
}

func walk(o fyne.CanvasObject, fn func(fyne.CanvasObject)) {
	fn(o)
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			walk(c, fn)
		}
	case *widget.PopUp:
		walk(v.Content, fn)
	}
}

func TestOperatorPanelAsksForThePIN(t *testing.T) {
	k := testKiosk(t, Options{PIN: "2105"})
	k.operatorPanel()
	c := k.win.Canvas()
	if !strings.Contains(overlayText(c), "Operator PIN") {
		t.Fatalf("no PIN prompt: %q", overlayText(c))
	}
	entry := c.Focused().(*widget.Entry)
	test.Type(entry, "0000")
	entry.OnSubmitted(entry.Text)
	if strings.Contains(overlayText(c), "Operator panel") {
		t.Fatal("the panel opened with a wrong PIN")
	}
	test.Type(entry, "2105")
	entry.OnSubmitted(entry.Text)
	text := overlayText(c)
	if !strings.Contains(text, "Operator panel") || !strings.Contains(text, "DEMO PACK") || !strings.Contains(text, "unsigned") {
		t.Fatalf("panel after the right PIN: %q", text)
	}
}

func TestShowLoopPutsSlidesOnScreen(t *testing.T) {
	first := make(chan struct{})
	k := testKiosk(t, Options{Options: director.Options{Dwell: 50 * time.Millisecond, OnFirstFrame: func() { close(first) }}})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { k.dir.Run(ctx); close(done) }()
	select {
	case <-first:
	case <-time.After(10 * time.Second):
		t.Fatal("no slide reached the screen")
	}
	cancel()
	<-done
	img := k.stage.a.Image
	if k.stage.topShows {
		img = k.stage.b.Image
	}
	if b := img.Bounds(); b.Dx() < 640 || b.Dy() < 360 {
		t.Fatalf("the slide on screen is %v, want the 640x360 window", b)
	}
}

func TestExitAfterQuitsTheApp(t *testing.T) {
	k := testKiosk(t, Options{Options: director.Options{Dwell: 10 * time.Millisecond, ExitAfter: 2}})
	if k.quit == nil {
		t.Fatal("the show loop has no way to quit")
	}
	runUntilQuit(t, k, 10*time.Second, "the show did not quit after 2 slides")
}

// TestRestartResumesWithThePersonOnScreen runs a few slides, then starts
// the playlist again from the same cache, as a restart would.
func TestRestartResumesWithThePersonOnScreen(t *testing.T) {
	k := testKiosk(t, Options{Options: director.Options{Dwell: 10 * time.Millisecond, ExitAfter: 4}})
	runUntilQuit(t, k, 10*time.Second, "the show did not quit after 4 slides")
	pos, err := show.LoadPosition(k.dir.PositionFile())
	if err != nil || pos.Person == "" || pos.Drawn != 4 {
		t.Fatalf("saved position %+v, %v: want the 4th slide's person", pos, err)
	}
	_, first, ok, err := k.dir.LoadPlaylist()
	if err != nil || !ok || first.Person.ID != pos.Person {
		t.Fatalf("after a restart the show opens with %v, want %s", first.Person, pos.Person)
	}
}

// TestCaptionsRotateThroughThePacksLanguages runs the demo pack (English,
// Belarusian, Russian, Persian): each slide is drawn once per language
// within its dwell, and the next slide opens with the next language.
func TestCaptionsRotateThroughThePacksLanguages(t *testing.T) {
	k := testKiosk(t, Options{Options: director.Options{Dwell: 400 * time.Millisecond, Fade: 10 * time.Millisecond, CaptionMin: 100 * time.Millisecond, ExitAfter: 2}})
	type drawn struct{ person, lang string }
	var mu sync.Mutex
	var got []drawn
	k.dir.OnDraw = func(e show.Entry, lang string) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, drawn{e.Person.ID, lang})
	}
	runUntilQuit(t, k, 20*time.Second, "the show did not end")
	mu.Lock()
	defer mu.Unlock()
	if len(got) < 5 {
		t.Fatalf("drawn %v", got)
	}
	first := got[0].person
	want := []drawn{{first, "en"}, {first, "be"}, {first, "ru"}, {first, "fa"}}
	for i, w := range want {
		if got[i] != w {
			t.Fatalf("draw %d: %v, want %v (all: %v)", i, got[i], w, got)
		}
	}
	if got[4].person == first || got[4].lang != "be" {
		t.Fatalf("the next slide: %v, want another person in be", got[4])
	}
	// A fixed language (the operator's choice or --language) stops the rotation.
	k.dir.SetLanguage("pl")
	if c := k.dir.Captions(show.Entry{}, 3); len(c) != 1 || c[0] != "pl" {
		t.Fatalf("fixed language: %v", c)
	}
}

// TestScreensInStepFollowTheSchedule runs the show as screen 2 of 2 and
// checks each slide drawn is the one the row's schedule gives for its slot.
func TestScreensInStepFollowTheSchedule(t *testing.T) {
	epoch := time.Now().Add(-time.Hour).Truncate(time.Second)
	k := testKiosk(t, Options{Options: director.Options{Dwell: 300 * time.Millisecond, Fade: 10 * time.Millisecond, ExitAfter: 4, Language: "en", Sync: &SyncOptions{Epoch: epoch, Screen: 2, Screens: 2}}})
	var mu sync.Mutex
	var got []string
	k.dir.OnDraw = func(e show.Entry, _ string) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, e.Person.ID)
	}
	start := time.Now()
	runUntilQuit(t, k, 20*time.Second, "the show did not end")
	s := k.dir.InStep()
	if s == nil || !strings.HasPrefix(k.dir.Notes()[0], "In step: screen 2 of 2") {
		t.Fatalf("not in step: %v", k.dir.Notes())
	}
	mu.Lock()
	defer mu.Unlock()
	k0 := s.Slot(start)
	if len(got) < 4 {
		t.Fatalf("drawn %v", got)
	}
	if got[0] != s.At(k0).Person.ID { // the slot ended between start and the first draw
		k0++
	}
	for i, id := range got[:4] {
		if want := s.At(k0 + int64(i)).Person.ID; id != want {
			t.Fatalf("slide %d: %s, the schedule says %s (all: %v)", i, id, want, got)
		}
		if other := s.On(k0+int64(i), 1).Person.ID; other == id {
			t.Fatalf("slide %d: screen 1 shows %s at the same time", i, id)
		}
	}
}

// TestADifferentPackSetFallsBackToItsOwnOrder says so on the panel.
func TestADifferentPackSetFallsBackToItsOwnOrder(t *testing.T) {
	k := testKiosk(t, Options{Options: director.Options{Dwell: time.Second, Sync: &SyncOptions{Epoch: time.Unix(0, 0), Screen: 1, Screens: 2, Set: "000000000000"}}})
	k.dir.Start(imageprep.Size{})
	if k.dir.InStep() != nil || len(k.dir.Notes()) == 0 || !strings.Contains(k.dir.Notes()[0], "Not in step") {
		t.Fatalf("a kiosk with other packs stayed in step: %v", k.dir.Notes())
	}
}

// runUntilQuit runs the show until it quits by itself (ExitAfter), or
// fails with why after limit.
func runUntilQuit(t *testing.T, k *kiosk, limit time.Duration, why string) {
	t.Helper()
	quit := make(chan struct{})
	k.quit = func() { close(quit) }
	go k.dir.Run(context.Background())
	select {
	case <-quit:
	case <-time.After(limit):
		t.Fatal(why)
	}
}

func TestOpeningThePanelLogsNoChange(t *testing.T) {
	var buf syncBuffer
	k := testKiosk(t, Options{Options: director.Options{Mode: show.ModeMixed, Dwell: 12 * time.Second}})
	k.opts.Logger = slog.New(slog.NewTextHandler(&buf, nil))
	k.operatorPanel()
	if !strings.Contains(overlayText(k.win.Canvas()), "Operator panel") {
		t.Fatal("the panel did not open")
	}
	if s := buf.String(); strings.Contains(s, "changed by the operator") {
		t.Errorf("opening the panel logged a change nobody made:\n%s", s)
	}
}

// syncBuffer is a bytes.Buffer safe for the logger's writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The panel names the show's modes in words, and choosing one sets the
// mode it names (the label is not the mode's command-line name).
func TestPanelModeChoiceSetsTheModeItNames(t *testing.T) {
	var buf syncBuffer
	k := testKiosk(t, Options{Options: director.Options{Mode: show.ModeMixed, Dwell: 12 * time.Second}})
	k.opts.Logger = slog.New(slog.NewTextHandler(&buf, nil))
	k.operatorPanel()
	var modes *widget.Select
	for _, o := range k.win.Canvas().Overlays().List() {
		walk(o, func(o fyne.CanvasObject) {
			if s, ok := o.(*widget.Select); ok && slices.Contains(s.Options, modeLabel(show.ModeWall)) {
				modes = s
			}
		})
	}
	if modes == nil {
		t.Fatal("no mode choice on the panel")
	}
	if modes.Selected != modeLabel(show.ModeMixed) {
		t.Fatalf("the panel shows %q for the mixed mode", modes.Selected)
	}
	for _, m := range []string{show.ModeWall, show.ModePostcards, show.ModeSpotlight} {
		if modeLabel(m) == m {
			t.Errorf("mode %q has no words of its own", m)
		}
		modes.SetSelected(modeLabel(m))
		if got := k.dir.Mode(); got != m {
			t.Fatalf("chose %q: mode %q, want %q", modeLabel(m), got, m)
		}
		if !strings.Contains(buf.String(), "mode="+m) {
			t.Fatalf("the log does not say the mode became %s:\n%s", m, buf.String())
		}
	}
}
