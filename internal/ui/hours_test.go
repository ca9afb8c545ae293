package ui

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/solidarity-kiosk/kiosk/internal/director"
	"github.com/solidarity-kiosk/kiosk/internal/show"
)

// panelWidgets finds the panel's labels and its opening-hours entry.
func panelWidgets(c fyne.Canvas) (labels []*widget.Label, entry *widget.Entry, buttons map[string]*widget.Button) {
	buttons = map[string]*widget.Button{}
	for _, o := range c.Overlays().List() {
		walk(o, func(o fyne.CanvasObject) {
			switch v := o.(type) {
			case *widget.Label:
				labels = append(labels, v)
			case *widget.Entry:
				entry = v
			case *widget.Button:
				buttons[v.Text] = v
			}
		})
	}
	return labels, entry, buttons
}

// TestPanelShowsHoursTodayAndStalePacks: the panel says what day it is,
// names in red the demo pack, whose review date has passed, shows the
// opening hours in force and that the screen sleeps, takes new hours (or
// says at which column they are wrong) and wakes the screen.
func TestPanelShowsHoursTodayAndStalePacks(t *testing.T) {
	k := testKiosk(t, Options{Options: director.Options{Windowed: true, Hours: "Mo-Su off"}})
	k.operatorPanel()
	labels, entry, buttons := panelWidgets(k.win.Canvas())
	text := overlayText(k.win.Canvas())
	today := k.dir.Today(panelLang())
	if today == "" || !strings.Contains(text, today) {
		t.Errorf("no line for today (%q) on the panel:\n%s", today, text)
	}
	red := 0
	for _, l := range labels {
		if strings.Contains(l.Text, "2024") && l.Importance == widget.DangerImportance {
			red++
		}
	}
	if red != 1 {
		t.Errorf("%d red lines naming the demo pack's review date, want 1:\n%s", red, text)
	}
	if !strings.Contains(text, "Opening hours:") || !strings.Contains(text, "Outside opening hours: the screen sleeps") {
		t.Errorf("no opening hours or sleeping line:\n%s", text)
	}
	if entry == nil || entry.Text != "Mo-Su off" {
		t.Fatalf("the hours entry: %v", entry)
	}

	entry.SetText("Mo-Xy 10:00-19:00")
	entry.OnSubmitted(entry.Text)
	if text := overlayText(k.win.Canvas()); !strings.Contains(text, "column 4: want a day") {
		t.Errorf("bad hours: no column named:\n%s", text)
	}
	if k.dir.Hours() != "closed" {
		t.Errorf("bad hours changed the hours in force to %q", k.dir.Hours())
	}
	entry.SetText("mo-su 00:00-24:00")
	test.Tap(buttons["Apply"])
	if asleep, _ := k.dir.Sleeping(); asleep || k.dir.Hours() != "Mo-Su 00:00-24:00" || entry.Text != "Mo-Su 00:00-24:00" {
		t.Errorf("after applying hours around the clock: asleep %v, hours %q, entry %q", asleep, k.dir.Hours(), entry.Text)
	}
	if text := overlayText(k.win.Canvas()); strings.Contains(text, "column") || strings.Contains(text, "sleeps") {
		t.Errorf("the error or the sleeping line stayed:\n%s", text)
	}

	test.Tap(buttons["Wake for 10 minutes"])
	select {
	case c := <-k.dir.Commands():
		if c != director.Wake {
			t.Errorf("the wake button sent %v", c)
		}
	default:
		t.Error("the wake button sent nothing")
	}
}

// TestAKeyWakesASleepingShow: outside opening hours the show covers the
// screen, draws nothing and parks the main loop (the watchdog still hears
// it); any key, even one that does nothing by day, releases the loop,
// uncovers the screen and the show draws again.
func TestAKeyWakesASleepingShow(t *testing.T) {
	k := testKiosk(t, Options{Options: director.Options{Windowed: true, Hours: "Mo-Su off", Mode: show.ModeSpotlight, Dwell: 50 * time.Millisecond, Fade: time.Millisecond}})
	var logs syncBuffer
	k.dir = director.New(k.st, k.compose, presenter{k}, director.Options{
		Windowed: true, Hours: "Mo-Su off", Mode: show.ModeSpotlight, Dwell: 50 * time.Millisecond, Fade: time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
	}, nil)
	// GLFW's wait for events, played by a channel: a parked main loop
	// turns over every 50 ms here, or at once when posted to.
	posted := make(chan struct{}, 1)
	k.park = &parking{
		wait: func(float64) {
			select {
			case <-posted:
			case <-time.After(50 * time.Millisecond):
			}
		},
		post: func() {
			select {
			case posted <- struct{}{}:
			default:
			}
		},
	}
	drawn := make(chan struct{}, 64)
	k.dir.OnDraw = func(show.Entry, string) {
		select {
		case drawn <- struct{}{}:
		default:
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { k.dir.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(logs.String(), "the screen sleeps") {
		if time.Now().After(deadline) {
			t.Fatalf("the show did not fall asleep:\n%s", logs.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	// The director covered the screen before it logged, and waits now.
	if !sleepCovered(k.win.Canvas()) {
		t.Fatal("asleep, but the screen is not covered")
	}
	select {
	case <-drawn:
		t.Fatal("a slide was drawn while asleep")
	case <-time.After(parkAfter + 300*time.Millisecond):
	}
	if parked, alive := k.park.alive(time.Second); !parked || !alive {
		t.Fatalf("asleep for %v, the main loop: parked %v, turning over %v", parkAfter+300*time.Millisecond, parked, alive)
	}
	beat := false
	k.heartbeat(func() { beat = true })
	if !beat {
		t.Error("the watchdog's heartbeat did not get through to a parked main loop")
	}
	k.typedKey(&fyne.KeyEvent{Name: fyne.KeyEscape})
	select {
	case <-drawn:
	case <-time.After(10 * time.Second):
		t.Fatalf("no slide drawn after a key:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), "woken outside opening hours") {
		t.Errorf("the wake-up was not logged:\n%s", logs.String())
	}
	for end := time.Now().Add(time.Second); ; time.Sleep(10 * time.Millisecond) {
		if parked, _ := k.park.alive(time.Second); !parked {
			break
		}
		if time.Now().After(end) {
			t.Error("woken, but the main loop is still parked")
			break
		}
	}
	cancel()
	<-done
	if sleepCovered(k.win.Canvas()) {
		t.Error("woken, but the screen is still covered")
	}
}

func sleepCovered(c fyne.Canvas) bool {
	for _, o := range c.Overlays().List() {
		if _, ok := o.(*sleepCover); ok {
			return true
		}
	}
	return false
}
