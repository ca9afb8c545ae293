// Package ui draws the kiosk: the fullscreen show, the kiosk lock and the
// operator panel. It is the only package that imports Fyne widgets; the
// slides themselves are drawn off the UI goroutine by internal/ui/render.
package ui

import (
	"context"
	"log/slog"
	"os"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"

	"github.com/solidarity-kiosk/kiosk/internal/store"
	"github.com/solidarity-kiosk/kiosk/internal/ui/render"
)

// AppID is the application identifier, as in FyneApp.toml.
const AppID = "org.solidaritykiosk.kiosk"

// Options configure the show.
type Options struct {
	Icon     fyne.Resource
	Windowed bool          // a window for previewing; closing it quits
	Dwell    time.Duration // time each slide stays on screen
	Fade     time.Duration // cross-fade between slides
	Language string        // caption language
	PIN      string        // asked before the operator panel opens, when set
	Logger   *slog.Logger
	// OnFirstFrame is called once the first slide has been handed to the screen.
	OnFirstFrame func()
	// StatsEvery logs resident memory and goroutines every N slides (soak runs).
	StatsEvery int
	// ExitAfter quits after N slides (soak and start-up measurements); 0 runs on.
	ExitAfter int
}

func (o *Options) fill() {
	if o.Dwell <= 0 {
		o.Dwell = 12 * time.Second
	}
	if o.Fade < 0 {
		o.Fade = 0
	}
	if o.Language == "" {
		o.Language = "en"
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
}

// Run opens the show on st and blocks until the operator quits.
func Run(st *store.Store, opts Options) error {
	opts.fill()
	a := app.NewWithID(AppID)
	if opts.Icon != nil {
		a.SetIcon(opts.Icon)
	}
	fonts, err := render.LoadFonts()
	if err != nil {
		return err
	}
	w := a.NewWindow("Solidarity Kiosk")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	k := newKiosk(a, w, st, fonts, opts)
	k.install()
	w.Resize(fyne.NewSize(1280, 720))
	if !opts.Windowed {
		w.SetFullScreen(true)
		keepScreenOn(a, opts.Logger)
	}
	go k.loop.run(ctx)
	go k.idleCursorOnceShown(ctx)
	go watchdog(ctx, 5*time.Second, 60*time.Second, fyne.Do, func(silent time.Duration) {
		opts.Logger.Error("the UI stopped responding; exiting so the service manager restarts the kiosk", "silent", silent)
		os.Exit(3)
	})
	w.ShowAndRun()
	return nil
}

// kiosk ties the window, the show loop and the operator panel together.
type kiosk struct {
	app    fyne.App
	win    fyne.Window
	st     *store.Store
	opts   Options
	loop   *showLoop
	stage  *stage
	cursor *idleCursor
	surf   *surface
}

func newKiosk(a fyne.App, w fyne.Window, st *store.Store, fonts *render.Fonts, opts Options) *kiosk {
	stg := newStage()
	k := &kiosk{app: a, win: w, st: st, opts: opts, stage: stg, cursor: newIdleCursor()}
	k.loop = &showLoop{
		st: st, fonts: fonts, stage: stg, canvas: w.Canvas(), opts: opts, log: opts.Logger,
		cmds: make(chan command, 4), now: time.Now, quit: a.Quit,
		dwell: opts.Dwell, language: opts.Language, shown: make(chan struct{}),
	}
	return k
}

// install sets the content, the keys and the close lock.
func (k *kiosk) install() {
	k.surf = newSurface(k.stage.root, k.cursor.moved)
	k.win.SetContent(k.surf)
	k.win.SetPadded(false)
	k.win.Canvas().SetOnTypedKey(k.typedKey)
	k.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierControl | fyne.KeyModifierAlt},
		func(fyne.Shortcut) { k.operatorPanel() })
	if !k.opts.Windowed {
		k.win.SetCloseIntercept(func() {
			k.opts.Logger.Info("close request ignored; quit from the operator panel (Ctrl+Alt+O)")
		})
	}
}

// idleCursorOnceShown hands the pointer to the idle cursor once the window
// is on screen and its X11 handle is known.
func (k *kiosk) idleCursorOnceShown(ctx context.Context) {
	select {
	case <-ctx.Done():
		return
	case <-k.loop.shown:
	}
	p := nativePointer(k.win)
	if p == nil {
		k.opts.Logger.Info("the mouse pointer stays hidden over the show (no X11 window to hide it on after a delay)")
		return
	}
	fyne.Do(func() { k.surf.hideAll = false })
	k.cursor.run(ctx, p, time.After)
}

// typedKey handles presentation clickers and the keyboard. Esc does nothing.
func (k *kiosk) typedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyRight, fyne.KeyPageDown, fyne.KeySpace, fyne.KeyDown:
		k.send(cmdNext)
	case fyne.KeyLeft, fyne.KeyPageUp, fyne.KeyUp:
		k.send(cmdPrev)
	case fyne.KeyP:
		k.send(cmdPause)
	}
}

func (k *kiosk) send(c command) {
	select {
	case k.loop.cmds <- c:
	default: // a burst of key presses: drop the extra ones
	}
}
