// Package director runs the show: who is on screen and for how long, in
// each mode (spotlight, wall, mixed), in the kiosk's own order or in step
// with a row of screens, with captions rotating through the languages and
// the next slide drawn while the current one shows. It imports no Fyne: a
// Screen (the kiosk's window in internal/ui, a picture in memory in tests)
// shows what it hands over.
package director

import (
	"context"
	"image"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/calendar"
	"github.com/solidarity-kiosk/kiosk/internal/hours"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/slides"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// Screen is where the show appears. Its methods may block while the UI
// goroutine does the work, and are called from the director's goroutine.
type Screen interface {
	// PixelSize is the window's size in pixels now.
	PixelSize() imageprep.Size
	// Present puts img on screen, cross-fading from what was there over fade.
	Present(img *image.RGBA, fade time.Duration)
	// WallPassage shows the wall of entries for d (until the mode changes
	// when d is 0) and returns the people it lifted. With row, the screen
	// shows its stretch of one long wall across the row.
	WallPassage(ctx context.Context, d time.Duration, entries []show.Entry, row *show.Row) []show.Entry
	// Quit ends the show (ExitAfter).
	Quit()
	// Sleep darkens the screen outside opening hours (true) and shows the
	// slide that was on screen again (false). While asleep the director
	// draws nothing.
	Sleep(asleep bool)
}

// Command is what the keyboard (or a presentation clicker) asks of the show.
type Command int

// The commands.
const (
	Next   Command = iota
	Prev           // the slide before
	Pause          // pause or resume
	Resize         // the window changed size: draw the slide on screen again
	// Wake wakes a screen asleep outside opening hours for 10 minutes (a
	// key or the operator panel); any other key but Resize wakes it too.
	Wake
)

// Options configure the director.
type Options struct {
	Dwell    time.Duration // time each slide stays on screen
	Fade     time.Duration // cross-fade between slides
	Windowed bool          // a window that keeps its size (no wait for fullscreen)
	Language string        // fixed caption language; "" rotates through Languages
	// Languages the captions rotate through; nil means each pack's own.
	Languages []string
	// CaptionMin is the shortest time one caption language stays; 0 means 3 s.
	CaptionMin time.Duration
	// OnFirstFrame is called once the first slide has been handed to the screen.
	OnFirstFrame func()
	// StatsEvery logs resident memory and goroutines every N slides (soak runs).
	StatsEvery int
	// ExitAfter quits after N slides (soak and start-up measurements); 0 runs on.
	ExitAfter int
	// Refit is told the photo box of the screen once it is on, so that stored
	// photos are re-fitted to a screen they were not imported for; nil for none.
	Refit func(box imageprep.Size)
	// Sync puts this screen in a row kept in step by the clock; nil for its own order.
	Sync *show.Row
	// Mode is show.ModeSpotlight (default), ModeWall or ModeMixed.
	Mode string
	// WallPassage is how long the wall shows in mixed mode; 0 means 45 s.
	WallPassage time.Duration
	// Hours are the opening hours (docs/HOURS.md), "" for always open.
	// Outside them the screen sleeps; hours that do not parse are logged
	// and ignored (check them with hours.Parse first to refuse them).
	Hours string
	// HoursCheck is the longest the director waits before it reads the
	// clock again under opening hours; 0 means a minute (tests shorten it).
	HoursCheck time.Duration
	Logger     *slog.Logger
}

// Director runs the show on a Screen. Its setters are safe from any
// goroutine; Start and Run belong to one goroutine.
type Director struct {
	positionErr string // the last failure to save the position, logged once
	st          *store.Store
	compose     *slides.Composer
	screen      Screen
	opts        Options
	log         *slog.Logger
	cmds        chan Command
	now         func() time.Time

	// OnDraw, when set, is told of every slide drawn (tests, previews).
	OnDraw func(e show.Entry, lang string)

	entries []show.Entry // everyone in the playlist, for the ticker and the wall

	// What is on screen, so a resize can draw it again (run goroutine only).
	onScreen struct {
		e    show.Entry
		lang string
		n    int
		size image.Point
	}
	shown     chan struct{} // closed once the first slide is on screen
	shownOnce sync.Once
	ended     bool // the show quit by itself (ExitAfter); run goroutine only

	// Set by Start: the playlist, the entry shown first, whether there is
	// anyone to show, and the first slide when drawn before the window opened.
	pl    *show.Playlist
	cur   show.Entry
	ok    bool
	first *image.RGBA
	sync  *show.Sync // screens in step; nil for this kiosk's own order

	noteMu sync.Mutex
	note   string // for the operator panel: whether the screen is in step

	reloadReq atomic.Bool // a pack was imported: rebuild the playlist before the next slide

	keeper       *hours.Keeper // opening hours: awake, asleep, woken
	hoursChanged chan struct{} // the operator set new hours
	slept        bool          // the screen slept since wait last looked (run goroutine)

	// The calendar of the day the playlist was weighed for, and the start
	// of the slot drawn last when in step (run goroutine only).
	day    calendar.Date
	cal    *calendar.Calendar
	slotAt time.Time

	mu       sync.Mutex // guards dwell, language and mode, which the operator panel changes
	showMode string
	dwell    time.Duration
	language string
}

// New makes a director over the cache st, drawing with compose on screen.
// now is the clock (nil: time.Now).
func New(st *store.Store, compose *slides.Composer, screen Screen, opts Options, now func() time.Time) *Director {
	if opts.Dwell <= 0 {
		opts.Dwell = 12 * time.Second
	}
	if opts.WallPassage <= 0 {
		opts.WallPassage = 45 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if now == nil {
		now = time.Now
	}
	var sched *hours.Schedule
	if opts.Hours != "" {
		var err error
		if sched, err = hours.Parse(opts.Hours); err != nil {
			opts.Logger.Error("opening hours ignored: the screen stays on", "err", err)
		}
	}
	return &Director{
		st: st, compose: compose, screen: screen, opts: opts, log: opts.Logger,
		cmds: make(chan Command, 4), now: now, shown: make(chan struct{}),
		dwell: opts.Dwell, language: opts.Language, showMode: opts.Mode,
		keeper: hours.NewKeeper(sched), hoursChanged: make(chan struct{}, 1),
	}
}

// Now is the director's clock.
func (d *Director) Now() time.Time { return d.now() }

// Send asks the show for a command; a burst beyond what it can take is dropped.
func (d *Director) Send(c Command) {
	select {
	case d.cmds <- c:
	default:
	}
}

// Commands is the queue of commands, which the wall reads too while it shows.
func (d *Director) Commands() chan Command { return d.cmds }

// Shown is closed once the first slide is on screen.
func (d *Director) Shown() <-chan struct{} { return d.shown }

// First is the first slide when Start drew it before the window opened.
func (d *Director) First() *image.RGBA { return d.first }

// InStep is the row's schedule when the screen is in step; nil otherwise.
func (d *Director) InStep() *show.Sync { return d.sync }

// SetPace changes the dwell time from the next slide on; it reports
// whether that is a change.
func (d *Director) SetPace(dwell time.Duration) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	changed := d.dwell != dwell
	d.dwell = dwell
	return changed
}

// SetLanguage fixes the caption language from the next slide on ("" rotates);
// it reports whether that is a change.
func (d *Director) SetLanguage(lang string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	changed := d.language != lang
	d.language = lang
	return changed
}

// Current is the dwell time and the fixed caption language ("" rotates).
func (d *Director) Current() (time.Duration, string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.dwell, d.language
}

// Mode is the show's mode now (the operator may change it).
func (d *Director) Mode() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.showMode
}

// SetMode changes the mode from the next slide or passage on; it reports
// whether that is a change.
func (d *Director) SetMode(m string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	changed := d.showMode != m
	d.showMode = m
	return changed
}

// Languages lists the caption languages the installed packs offer.
func (d *Director) Languages() []string {
	recs, err := d.st.Packs()
	if err != nil {
		return []string{"en"}
	}
	entries, err := show.Entries(recs)
	if err != nil {
		return []string{"en"}
	}
	seen, out := map[string]bool{}, []string{}
	for _, e := range entries {
		for _, lang := range e.Manifest.Languages {
			if !seen[lang] {
				seen[lang] = true
				out = append(out, lang)
			}
		}
	}
	return out
}

func (d *Director) setNote(s string) {
	d.noteMu.Lock()
	defer d.noteMu.Unlock()
	d.note = s
}

// Notes are the show's lines for the operator panel.
func (d *Director) Notes() []string {
	d.noteMu.Lock()
	defer d.noteMu.Unlock()
	if d.note == "" {
		return nil
	}
	return []string{d.note}
}

// Reload asks for the playlist to be made again from the cache before the
// next slide (a pack was imported or removed). Safe from any goroutine.
func (d *Director) Reload() { d.reloadReq.Store(true) }

// ReloadPending reports whether a reload is asked for and not yet done.
func (d *Director) ReloadPending() bool { return d.reloadReq.Load() }

// TakeReload makes the playlist again when a reload was asked for, and
// returns everyone in it; ok is false when nothing was asked.
func (d *Director) TakeReload() ([]show.Entry, bool) {
	if !d.reloadReq.Swap(false) {
		return nil, false
	}
	d.pl = d.rebuild(d.pl)
	return d.entries, true
}

// Run drives the show until ctx ends. Each slide is prepared while the
// one before it is on screen, so decoding never stretches the dwell time.
func (d *Director) Run(ctx context.Context) {
	d.Start(imageprep.Size{})
	if !d.sleepIfClosed(ctx) {
		return
	}
	if d.sync != nil {
		switch d.Mode() {
		case show.ModeWall: // one long wall across the row
			for ctx.Err() == nil && d.Mode() == show.ModeWall && len(d.entries) > 0 {
				d.wallPassage(ctx, 0) // until the mode changes, or to sleep outside opening hours
			}
		case show.ModeMixed:
			d.runMixedInStep(ctx, d.sync)
		default:
			d.runInStep(ctx, d.sync)
		}
		return
	}
	for d.sleepIfClosed(ctx) && !d.ended {
		mode := d.Mode()
		if len(d.entries) == 0 {
			mode = show.ModeSpotlight // nobody to hang: the spotlight says how to import a pack
		}
		switch mode {
		case show.ModeWall:
			d.wallPassage(ctx, 0)
		case show.ModeMixed:
			d.runMixed(ctx)
		case show.ModePostcards:
			d.runPostcards(ctx)
		default:
			d.runSpotlight(ctx)
		}
	}
}

// wallPassage shows the wall of everyone for dur (until the mode changes
// when dur is 0) and returns the people it lifted. In step with a row, the
// screen shows its stretch of the row's one long wall.
func (d *Director) wallPassage(ctx context.Context, dur time.Duration) []show.Entry {
	if len(d.entries) == 0 {
		return nil
	}
	var row *show.Row
	if d.sync != nil {
		row = d.opts.Sync
	}
	wctx, cancel := d.untilClosing(ctx)
	defer cancel()
	lifted := d.screen.WallPassage(wctx, dur, d.entries, row)
	d.sleepIfClosed(ctx)
	return lifted
}

// Start makes the playlist and, when size is known, draws the first slide
// at it, so that it can be on screen in the window's very first frame.
// It runs once, before the window opens or at the start of Run.
func (d *Director) Start(size imageprep.Size) {
	if d.pl != nil {
		return
	}
	var err error
	d.pl, d.cur, d.ok, err = d.LoadPlaylist()
	if err != nil {
		d.log.Error("reading the cache", "err", err)
	}
	if d.sync = d.inStep(d.entries); d.sync != nil {
		k := d.sync.Slot(d.now())
		d.cur = d.sync.At(k)
		d.slotAt, _ = d.sync.Bounds(k)
	}
	// The wall is laid out once the window has its size; the postcard
	// hour draws its own first person; outside opening hours nothing is
	// drawn (no portrait flashes up before the screen goes dark).
	wallFirst := d.Mode() == show.ModeWall || d.Mode() == show.ModeMixed || d.Mode() == show.ModePostcards
	asleep := d.keeper.State(d.now()) == hours.Asleep
	if size.W > 0 && size.H > 0 && !wallFirst && !asleep {
		d.first = d.prepareAt(d.cur, d.ok, 0, size, d.Captions(d.cur, 0)[0])
	}
}
