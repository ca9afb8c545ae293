// Package ui draws the kiosk: the fullscreen show, the kiosk lock and the
// operator panel. It is the only package that imports Fyne widgets; the
// slides themselves are drawn off the UI goroutine by internal/render.
package ui

import (
	"context"
	"log/slog"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"github.com/go-gl/glfw/v3.3/glfw"

	"github.com/solidarity-kiosk/kiosk/assets"
	"github.com/solidarity-kiosk/kiosk/internal/director"
	"github.com/solidarity-kiosk/kiosk/internal/i18n"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/importer"
	"github.com/solidarity-kiosk/kiosk/internal/intake"
	"github.com/solidarity-kiosk/kiosk/internal/render"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/slides"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// AppID is the application identifier, as in FyneApp.toml.
const AppID = "org.solidaritykiosk.kiosk"

// SyncOptions put this screen in a row of screens kept in step by the
// wall clock alone (see show.Sync).
type SyncOptions = show.Row

// Options configure the show: the director's own (one type from the
// command line to the director), and what the window adds around it.
type Options struct {
	director.Options
	Icon fyne.Resource
	PIN  string // asked before the operator panel opens, when set
	// Intake imports packs dropped on the window; nil turns dropping off.
	Intake *intake.Service
	// Background tasks (the import queue, a watched folder, URL packs)
	// run from the show's start until it ends.
	Background []func(ctx context.Context)
	// Notes returns lines for the operator panel from background tasks
	// (the state of URL packs); nil for none.
	Notes func() []string
}

func (o *Options) fill() {
	if o.Dwell <= 0 {
		o.Dwell = 12 * time.Second
	}
	if o.Fade < 0 {
		o.Fade = 0
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.WallPassage <= 0 {
		o.WallPassage = 45 * time.Second
	}
}

// Run opens the show on st and blocks until the operator quits.
func Run(st *store.Store, opts Options) error {
	opts.fill()
	if err := displayReady(); err != nil {
		return err
	}
	// What the first frame needs (fonts, the cache, the first slide) is
	// made while the toolkit starts, not after it.
	type loaded struct {
		fonts *render.Fonts
		err   error
	}
	fontsCh := make(chan loaded, 1)
	go func() { f, err := render.LoadFonts(); fontsCh <- loaded{f, err} }()
	a := app.NewWithID(AppID)
	// The operator panel speaks the machine's language (Fyne's lang picks
	// it from the locale); the slides choose theirs through internal/i18n.
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		opts.Logger.Warn("operator panel translations", "err", err)
	}
	a.Settings().SetTheme(newKioskTheme())
	if opts.Icon != nil {
		a.SetIcon(opts.Icon)
	}
	w := a.NewWindow("Solidarity Kiosk")
	f := <-fontsCh
	if f.err != nil {
		return f.err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	words, err := i18n.Embedded()
	if err != nil {
		return err
	}
	k := newKiosk(a, w, st, f.fonts, words, opts)
	k.park = &parking{wait: glfw.WaitEventsTimeout, post: glfw.PostEmptyEvent}
	firstDrawn := make(chan struct{})
	go func() { k.dir.Start(expectedSize(opts.Windowed)); close(firstDrawn) }()
	k.install()
	w.Resize(fyne.NewSize(windowW, windowH))
	if !opts.Windowed {
		w.SetFullScreen(true)
		keepScreenOn(a, opts.Logger)
	}
	<-firstDrawn
	if first := k.dir.First(); first != nil {
		k.stage.a.Image = first // in the window's first frame
	}
	k.listen()
	var tasks sync.WaitGroup
	for _, task := range opts.Background {
		tasks.Go(func() { task(ctx) })
	}
	go quitOnSignal(ctx, cancel, a, opts.Logger)
	go k.dir.Run(ctx)
	go k.idleCursorOnceShown(ctx)
	go watchdog(ctx, 5*time.Second, 60*time.Second, k.heartbeat, func(silent time.Duration) {
		opts.Logger.Error("the UI stopped responding; exiting so the service manager restarts the kiosk", "silent", silent)
		os.Exit(3)
	})
	w.ShowAndRun()
	// Let the import queue and downloads remove their temporary files.
	cancel()
	waitAtMost(&tasks, 700*time.Millisecond)
	return nil
}

// heartbeat is the watchdog's way to the UI goroutine: soon, or, while
// the main loop is parked for the night, the parked loop's own turns.
func (k *kiosk) heartbeat(f func()) {
	if parked, ok := k.park.alive(2 * parkBeat); parked {
		if ok {
			f()
		}
		return
	}
	soon(f)
}

// quitOnSignal ends the show on Ctrl+C or SIGTERM (a service manager's
// stop) as the operator panel's Quit does, so background tasks clean up;
// should the UI not respond, the process ends a second later anyway.
func quitOnSignal(ctx context.Context, cancel context.CancelFunc, a fyne.App, log *slog.Logger) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	select {
	case sig := <-sigs:
		log.Info("stopping the show on a signal", "signal", sig.String())
		cancel()
		soon(a.Quit)
		time.Sleep(time.Second)
		os.Exit(143)
	case <-ctx.Done():
	}
}

// waitAtMost waits for wg, but no longer than d.
func waitAtMost(wg *sync.WaitGroup, d time.Duration) {
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(d):
	}
}

// The window's size when not fullscreen.
const windowW, windowH = 1280, 720

// expectedSize is the window's pixel size before it exists: the X screen
// for fullscreen, else the window size at scale 1. Zero when unknown; a
// wrong guess only means the first slide is drawn again at the real size.
func expectedSize(windowed bool) imageprep.Size {
	if windowed {
		return imageprep.Size{W: windowW, H: windowH}
	}
	if w, h, ok := screenSize(); ok {
		return imageprep.Size{W: w, H: h}
	}
	return imageprep.Size{}
}

// kiosk ties the window, the director and the operator panel together.
type kiosk struct {
	app     fyne.App
	win     fyne.Window
	st      *store.Store
	opts    Options
	dir     *director.Director
	compose *slides.Composer
	fonts   *render.Fonts
	words   *i18n.Catalog
	stage   *stage
	wall    *wallView
	cursor  *idleCursor
	surf    *surface
	quit    func() // ends the app; tests replace it
	// onImports updates the operator panel's import section while the
	// panel is open; nil otherwise. UI goroutine only.
	onImports func(intake.Status)
	// park holds Fyne's main loop while the screen sleeps; nil in tests
	// (there is no GLFW under the test driver).
	park *parking
	// do runs f on the UI goroutine: fyne.Do, except in tests, where the
	// test goroutine plays the UI goroutine (Fyne's test driver runs
	// fyne.Do on the caller's goroutine).
	do func(f func())
}

func newKiosk(a fyne.App, w fyne.Window, st *store.Store, fonts *render.Fonts, words *i18n.Catalog, opts Options) *kiosk {
	stg := newStage()
	k := &kiosk{app: a, win: w, st: st, opts: opts, stage: stg, fonts: fonts, words: words, cursor: newIdleCursor(), do: soon, quit: a.Quit}
	now := time.Now
	k.compose = &slides.Composer{Photos: st, Fonts: fonts, Words: words, Now: func() time.Time { return now() }, Log: opts.Logger}
	var refit func(imageprep.Size)
	if opts.Intake != nil {
		refit = opts.Intake.Refit
	}
	dopts := opts.Options
	dopts.Refit = refit
	k.dir = director.New(st, k.compose, presenter{k}, dopts, func() time.Time { return now() })
	k.wall = newWallView(k)
	// The wall lies over the spotlight's images, under the tick layer.
	objs := stg.root.Objects
	stg.root.Objects = append(append(append([]fyne.CanvasObject(nil), objs[:len(objs)-1]...), k.wall.root), objs[len(objs)-1])
	return k
}

// install sets the content, the keys and the close lock.
func (k *kiosk) install() {
	k.surf = newSurface(k.stage.root, k.cursor.moved, func() { k.dir.Send(director.Resize) })
	k.win.SetContent(k.surf)
	k.win.SetPadded(false)
	k.win.Canvas().SetOnTypedKey(k.typedKey)
	if k.opts.Intake != nil {
		k.win.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) { k.dropped(uris) })
	}
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
	case <-k.dir.Shown():
	}
	p := nativePointer(k.win)
	if p == nil {
		k.opts.Logger.Info("the mouse pointer stays hidden over the show (no X11 window to hide it on after a delay)")
		return
	}
	soon(func() { k.surf.hideAll = false })
	k.cursor.run(ctx, p, time.After)
}

// listen connects the import queue to the show and the operator panel.
func (k *kiosk) listen() {
	if k.opts.Intake == nil {
		return
	}
	k.opts.Intake.Listen(
		func(st intake.Status) {
			k.do(func() {
				if k.onImports != nil {
					k.onImports(st)
				}
			})
		},
		func(importer.Report) { k.dir.Reload() },
	)
}

// dropped imports packs (zips or folders) dropped on the window.
func (k *kiosk) dropped(uris []fyne.URI) {
	for _, u := range uris {
		if u.Scheme() != "file" {
			k.opts.Logger.Warn("dropped item is not a file; ignored", "uri", u.String())
			continue
		}
		if err := k.opts.Intake.Add(u.Path(), "drop"); err != nil {
			k.opts.Logger.Warn("dropped pack not queued", "path", u.Path(), "err", err)
		}
	}
}

// typedKey handles presentation clickers and the keyboard. Esc does
// nothing, but while the screen sleeps outside opening hours any key
// (Esc too) wakes it for 10 minutes and does nothing else.
func (k *kiosk) typedKey(ev *fyne.KeyEvent) {
	if asleep, _ := k.dir.Sleeping(); asleep {
		k.dir.Send(director.Wake)
		return
	}
	switch ev.Name {
	case fyne.KeyRight, fyne.KeyPageDown, fyne.KeySpace, fyne.KeyDown:
		k.dir.Send(director.Next)
	case fyne.KeyLeft, fyne.KeyPageUp, fyne.KeyUp:
		k.dir.Send(director.Prev)
	case fyne.KeyP:
		k.dir.Send(director.Pause)
	}
}
