package ui

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"log/slog"
	"os"
	"os/exec"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"

	"github.com/solidarity-kiosk/kiosk/internal/i18n"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/render"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/slides"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// command is what the keyboard (or a presentation clicker) asks of the show.
type command int

const (
	cmdNext command = iota
	cmdPrev
	cmdPause
	cmdResize // the window changed size: draw the slide on screen again
)

// stage holds the two full-screen images the show cross-fades between. The
// top one fades out over the bottom one, or in over it, so the screen is
// never blank: a frame always shows one whole slide, or a blend of two.
type stage struct {
	a, b *canvas.Image
	tick *canvas.Rectangle // refreshed to repaint during a fade without re-uploading textures
	// topShows is true when the top image (b) is the one on screen.
	topShows bool
	root     *fyne.Container
}

func newStage() *stage {
	mk := func() *canvas.Image {
		img := canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 1, 1)))
		img.FillMode = canvas.ImageFillStretch
		img.ScaleMode = canvas.ImageScaleFastest
		return img
	}
	s := &stage{a: mk(), b: mk(), tick: canvas.NewRectangle(color.Transparent)}
	s.tick.Resize(fyne.NewSize(1, 1))
	s.b.Translucency = 1
	bg := canvas.NewRectangle(render.Backdrop)
	s.root = container.NewStack(bg, s.a, s.b, container.NewWithoutLayout(s.tick))
	return s
}

// present shows img, cross-fading over fade. It must run on the UI goroutine.
func (s *stage) present(img *image.RGBA, fade time.Duration) {
	if !s.topShows {
		// b is invisible on top: load it, then fade it in over a.
		s.b.Image = img
		s.b.Refresh()
		s.animate(fade, func(p float32) { s.b.Translucency = float64(1 - p) })
	} else {
		// b is on screen: load a underneath, then fade b out.
		s.a.Image = img
		s.a.Refresh()
		s.animate(fade, func(p float32) { s.b.Translucency = float64(p) })
	}
	s.topShows = !s.topShows
}

func (s *stage) animate(d time.Duration, step func(float32)) {
	if d <= 0 {
		step(1)
		s.tick.Refresh()
		return
	}
	anim := fyne.NewAnimation(d, func(p float32) {
		step(p)
		s.tick.Refresh()
	})
	anim.Curve = fyne.AnimationEaseInOut
	anim.Start()
}

// showLoop prepares slides off the UI goroutine and presents them in turn.
type showLoop struct {
	st      *store.Store
	fonts   *render.Fonts
	stage   *stage
	canvas  fyne.Canvas
	opts    Options
	log     *slog.Logger
	cmds    chan command
	now     func() time.Time
	quit    func()
	entries []show.Entry // everyone in the playlist, for the ticker
	words   *i18n.Catalog
	compose *slides.Composer                // draws the slides (loop goroutine only)
	drew    func(e show.Entry, lang string) // tests: told of every slide drawn

	// What is on screen, so a resize can draw it again (loop goroutine only).
	onScreen struct {
		e    show.Entry
		lang string
		n    int
		size image.Point
	}
	shown chan struct{} // closed once the first slide is on screen

	// Set by start: the playlist, the entry shown first, whether there is
	// anyone to show, and the first slide when drawn before the window opened.
	pl    *show.Playlist
	cur   show.Entry
	ok    bool
	first *image.RGBA
	sync  *show.Sync // screens in step; nil for this kiosk's own order

	noteMu sync.Mutex
	note   string // for the operator panel: whether the screen is in step

	reloadReq atomic.Bool // a pack was imported: rebuild the playlist before the next slide

	wall      *wallView
	shownOnce sync.Once
	ended     bool // the show quit by itself (ExitAfter); loop goroutine only

	mu       sync.Mutex // guards dwell, language and mode, which the operator panel changes
	showMode string
	dwell    time.Duration
	language string
}

// setPace changes the dwell time from the next slide on.
func (l *showLoop) setPace(d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.dwell = d
}

// setLanguage changes the caption language from the next slide on.
func (l *showLoop) setLanguage(lang string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.language = lang
}

func (l *showLoop) current() (time.Duration, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.dwell, l.language
}

// languages lists the caption languages the installed packs offer.
func (l *showLoop) languages() []string {
	recs, err := l.st.Packs()
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

// run drives the show until ctx ends. Each slide is prepared while the
// one before it is on screen, so decoding never stretches the dwell time.
func (l *showLoop) run(ctx context.Context) {
	l.start(imageprep.Size{})
	if l.sync != nil {
		switch l.mode() {
		case ModeWall: // one long wall across the row
			l.wall.epoch, l.wall.screen, l.wall.screens = l.opts.Sync.Epoch, l.opts.Sync.Screen, l.opts.Sync.Screens
			l.wallPassage(ctx, 0)
		case ModeMixed:
			l.runMixedInStep(ctx, l.sync)
		default:
			l.runInStep(ctx, l.sync)
		}
		return
	}
	for ctx.Err() == nil && !l.ended {
		mode := l.mode()
		if len(l.entries) == 0 {
			mode = ModeSpotlight // nobody to hang: the spotlight says how to import a pack
		}
		switch mode {
		case ModeWall:
			l.wallPassage(ctx, 0)
		case ModeMixed:
			l.runMixed(ctx)
		default:
			l.runSpotlight(ctx)
		}
	}
}

// runMixed alternates a wall passage with spotlights of the people it
// lifted, until the mode changes.
func (l *showLoop) runMixed(ctx context.Context) {
	paused := false
	for n := 0; ctx.Err() == nil && l.mode() == ModeMixed; {
		lifted := l.wallPassage(ctx, l.opts.WallPassage)
		if len(lifted) > 3 {
			lifted = lifted[len(lifted)-3:]
		}
		for i, e := range lifted {
			if ctx.Err() != nil || l.mode() != ModeMixed {
				return
			}
			lang := l.captions(e, n)[0]
			l.present(l.prepare(e, true, n, lang), e, n, lang, l.opts.Fade)
			if l.shownSlide(n) {
				return
			}
			dwell, _ := l.current()
			src := listSource{l: l, list: lifted[i+1:]}
			if _, _, ok := l.dwellOn(ctx, src, e, n, l.opts.Fade, dwell, &paused); !ok {
				return
			}
			n++
		}
	}
}

// listSource gives the next of a fixed list of people (keys go forward only).
type listSource struct {
	l    *showLoop
	list []show.Entry
}

func (s listSource) next(n int) (show.Entry, *image.RGBA) {
	if len(s.list) == 0 {
		return show.Entry{}, nil
	}
	return s.list[0], nil // drawn when its turn comes
}
func (s listSource) prev(n int, _ bool) (show.Entry, *image.RGBA) { return s.next(n) }
func (s listSource) keys() bool                                   { return true }

// runSpotlight shows one person at a time from the playlist until the
// mode changes.
func (l *showLoop) runSpotlight(ctx context.Context) {
	pl, cur := l.pl, l.cur
	paused := false
	// The first slide may already be on screen: drawn before the window
	// opened, at the size the window was expected to have.
	img, px := l.first, l.pixelSize()
	onScreen := img != nil && img.Rect.Size() == image.Pt(px.W, px.H)
	// A fullscreen window starts at its windowed size and grows a moment
	// later: give it that moment rather than draw for the passing size.
	for wait := 0; img != nil && !onScreen && !l.opts.Windowed && wait < 50; wait++ {
		if !sleepCtx(ctx, 20*time.Millisecond) {
			return
		}
		px = l.pixelSize()
		onScreen = img.Rect.Size() == image.Pt(px.W, px.H)
	}
	if !onScreen {
		img = l.prepareAt(cur, l.ok, 0, px, l.captions(cur, 0)[0])
	}
	for n := 0; ctx.Err() == nil; n++ {
		fade := l.opts.Fade
		if n == 0 {
			fade = 0 // the first portrait appears at once: nothing to blend from
		}
		lang := l.captions(cur, n)[0]
		if n > 0 || !onScreen {
			l.present(img, cur, n, lang, fade)
		} else {
			l.onScreen.e, l.onScreen.lang, l.onScreen.n, l.onScreen.size = cur, lang, n, img.Rect.Size()
		}
		l.savePosition(pl, cur)
		if l.shownSlide(n) {
			return
		}
		if l.reloadReq.Swap(false) {
			pl = l.rebuild(pl)
		}
		if l.mode() != ModeSpotlight && l.mode() != "" && len(l.entries) > 0 {
			l.pl, l.cur = pl, cur
			return
		}
		dwell, _ := l.current()
		next, nextImg, ok := l.dwellOn(ctx, playlistSource{l, pl}, cur, n, fade, dwell, &paused)
		if !ok {
			return
		}
		cur, img = next, nextImg
	}
}

// shownSlide does what follows slide n reaching the screen: the first-frame
// signal, the soak statistics, and quitting after ExitAfter slides (true).
func (l *showLoop) shownSlide(n int) bool {
	if n == 0 {
		l.shownOnce.Do(func() {
			l.log.Info("first portrait on screen")
			l.sized()
			close(l.shown)
			if l.opts.OnFirstFrame != nil {
				l.opts.OnFirstFrame()
			}
		})
	}
	if l.opts.StatsEvery > 0 && (n+1)%l.opts.StatsEvery == 0 {
		l.log.Info("show stats", "slides", n+1, "rss_kb", residentKB(), "goroutines", runtime.NumGoroutine())
	}
	if l.opts.ExitAfter > 0 && n+1 >= l.opts.ExitAfter {
		time.Sleep(l.opts.Fade)
		l.ended = true
		fyne.Do(l.quit)
		return true
	}
	return false
}

// captionFade is the blend between two languages of one slide.
const captionFade = 400 * time.Millisecond

// minCaption is the shortest time a caption language stays on screen.
func (l *showLoop) minCaption() time.Duration {
	if l.opts.CaptionMin > 0 {
		return l.opts.CaptionMin
	}
	return 3 * time.Second
}

// dwellOn keeps slide n (e) on screen for the dwell time, rotating its
// captions through the languages, and prepares the slide that follows
// while the last caption shows. A key ends the dwell early (← goes back).
// It returns the next entry and its image; ok is false when the show ends.
func (l *showLoop) dwellOn(ctx context.Context, s slideSource, e show.Entry, n int, fade, dwell time.Duration, paused *bool) (show.Entry, *image.RGBA, bool) {
	langs := l.captions(e, n)
	fit := max(1, int(dwell/l.minCaption()))
	langs = langs[:min(len(langs), fit)]
	per := dwell / time.Duration(len(langs))
	var next show.Entry
	var nextImg *image.RGBA
	for i := range langs {
		if i > 0 {
			l.present(l.prepare(e, l.ok, n, langs[i]), e, n, langs[i], captionFade)
			fade = captionFade
		}
		timer := time.NewTimer(per)
		// Let the cross-fade have the cores (software GL needs both).
		if !sleepCtx(ctx, fade) {
			timer.Stop()
			return next, nil, false
		}
		if i == len(langs)-1 {
			next, nextImg = s.next(n + 1)
		}
		c, byKey, ok := l.wait(ctx, timer, paused)
		switch {
		case !ok:
			return next, nil, false
		case byKey && !s.keys():
			l.log.Info("screens in step: keys do not change the slide")
			// the timer has been stopped: wait out this caption's time again
			timer = time.NewTimer(per)
			if _, _, ok := l.wait(ctx, timer, new(bool)); !ok {
				return next, nil, false
			}
		case byKey && c == cmdPrev:
			next, nextImg = s.prev(n+1, nextImg != nil)
			return next, nextImg, true
		case byKey && nextImg == nil:
			next, nextImg = s.next(n + 1)
			return next, nextImg, true
		case byKey:
			return next, nextImg, true
		}
	}
	return next, nextImg, true
}

// slideSource gives the slides that follow the one on screen.
type slideSource interface {
	next(n int) (show.Entry, *image.RGBA)
	prev(n int, advanced bool) (show.Entry, *image.RGBA)
	keys() bool // whether keys may change the slide
}

// playlistSource is the kiosk's own order.
type playlistSource struct {
	l  *showLoop
	pl *show.Playlist
}

func (p playlistSource) next(n int) (show.Entry, *image.RGBA) { return p.l.nextSlide(p.pl, n) }
func (p playlistSource) prev(n int, advanced bool) (show.Entry, *image.RGBA) {
	return p.l.prevSlide(p.pl, n, advanced)
}
func (p playlistSource) keys() bool { return true }

// captions are the languages slide n's captions rotate through: the one the
// operator fixed, else the kiosk's --languages, else the pack's; the
// starting language moves on with each slide, so that when the dwell is
// too short for every language, each still gets its turn.
func (l *showLoop) captions(e show.Entry, n int) []string {
	if _, fixed := l.current(); fixed != "" {
		return []string{fixed}
	}
	langs := l.opts.Languages
	if len(langs) == 0 && e.Manifest != nil {
		langs = e.Manifest.Languages
	}
	if len(langs) == 0 {
		return []string{"en"}
	}
	k := n % len(langs)
	return append(append([]string(nil), langs[k:]...), langs[:k]...)
}

func sleepCtx(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// nextSlide draws the playlist's next slide in its first caption language.
func (l *showLoop) nextSlide(pl *show.Playlist, n int) (show.Entry, *image.RGBA) {
	e, ok := pl.Next()
	return e, l.prepare(e, ok, n, l.captions(e, n)[0])
}

// prevSlide draws the slide before the one on screen; advanced says the
// playlist already moved on to the slide prepared ahead (then discarded).
func (l *showLoop) prevSlide(pl *show.Playlist, n int, advanced bool) (show.Entry, *image.RGBA) {
	if advanced {
		_, _ = pl.Prev()
	}
	e, ok := pl.Prev()
	return e, l.prepare(e, ok, n, l.captions(e, n)[0])
}

// wait sleeps until timer fires unless a key asks for another slide
// (byKey); ok is false when the show is over. While paused, the timer
// is set again instead of ending the wait.
func (l *showLoop) wait(ctx context.Context, timer *time.Timer, paused *bool) (c command, byKey, ok bool) {
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return 0, false, false
		case <-timer.C:
			if !*paused {
				return cmdNext, false, true
			}
			dwell, _ := l.current()
			timer.Reset(dwell)
		case c := <-l.cmds:
			if c == cmdResize {
				l.redrawOnScreen()
				continue
			}
			if c != cmdPause {
				return c, true, true
			}
			*paused = !*paused
			l.log.Info("show paused", "paused", *paused)
		}
	}
}

func (l *showLoop) setNote(s string) {
	l.noteMu.Lock()
	defer l.noteMu.Unlock()
	l.note = s
}

// notes are the show's lines for the operator panel.
func (l *showLoop) notes() []string {
	l.noteMu.Lock()
	defer l.noteMu.Unlock()
	if l.note == "" {
		return nil
	}
	return []string{l.note}
}

// reload asks for the playlist to be made again from the cache before the
// next slide (a pack was imported or removed). Safe from any goroutine.
func (l *showLoop) reload() { l.reloadReq.Store(true) }

// rebuild makes a new playlist over what the cache now holds; on an error
// the old one goes on.
func (l *showLoop) rebuild(old *show.Playlist) *show.Playlist {
	recs, err := l.st.Packs()
	if err != nil {
		l.log.Error("reading the cache after an import; the show goes on with what it had", "err", err)
		return old
	}
	entries, err := show.Entries(recs)
	if err != nil {
		l.log.Error("reading the cache after an import; the show goes on with what it had", "err", err)
		return old
	}
	l.entries = entries
	l.log.Info("playlist renewed", "packs", len(recs), "people", len(entries))
	return show.NewPlaylist(entries, uint64(time.Now().UnixNano()))
}

// start makes the playlist and, when size is known, draws the first slide
// at it, so that it can be on screen in the window's very first frame.
// It runs once, before the window opens or at the start of run.
func (l *showLoop) start(size imageprep.Size) {
	if l.pl != nil {
		return
	}
	var err error
	l.pl, l.cur, l.ok, err = l.playlist()
	if err != nil {
		l.log.Error("reading the cache", "err", err)
	}
	if l.sync = l.inStep(l.entries); l.sync != nil {
		l.cur = l.sync.At(l.sync.Slot(l.now()))
	}
	wallFirst := l.mode() == ModeWall || l.mode() == ModeMixed
	if size.W > 0 && size.H > 0 && !wallFirst { // the wall is laid out once the window has its size
		l.first = l.prepareAt(l.cur, l.ok, 0, size, l.captions(l.cur, 0)[0])
	}
}

// playlist makes the playlist over every installed pack, resuming where
// the show stood before a restart, and returns the first entry to show.
func (l *showLoop) playlist() (*show.Playlist, show.Entry, bool, error) {
	empty := show.NewPlaylist(nil, 1)
	recs, err := l.st.Packs()
	if err != nil {
		return empty, show.Entry{}, false, err
	}
	entries, err := show.Entries(recs)
	if err != nil {
		return empty, show.Entry{}, false, err
	}
	l.entries = entries
	l.log.Info("show started", "packs", len(recs), "people", len(entries))
	pos, err := show.LoadPosition(l.positionFile())
	if err != nil {
		l.log.Warn("the saved show position is unreadable; starting afresh", "err", err)
	}
	pl, first, resumed := show.Resume(entries, pos, uint64(time.Now().UnixNano()))
	if resumed {
		l.log.Info("resuming the show", "pack", pos.Pack, "person", pos.Person)
	}
	return pl, first, len(entries) > 0, nil
}

// positionFile sits beside the cache.
func (l *showLoop) positionFile() string { return l.st.Path() + ".position" }

// savePosition records who is on screen, so a restart resumes there.
func (l *showLoop) savePosition(pl *show.Playlist, e show.Entry) {
	if e.Person == nil {
		return
	}
	if err := show.SavePosition(l.positionFile(), pl.Position(e)); err != nil {
		l.log.Warn("saving the show position", "err", err)
	}
}

// prepare draws slide n at the window's pixel size.
func (l *showLoop) prepare(e show.Entry, ok bool, n int, lang string) *image.RGBA {
	return l.prepareAt(e, ok, n, l.pixelSize(), lang)
}

// pixelSize is the window's size in pixels.
func (l *showLoop) pixelSize() imageprep.Size {
	var size fyne.Size
	var scale float32
	fyne.DoAndWait(func() { size, scale = l.canvas.Size(), l.canvas.Scale() })
	return imageprep.Size{W: max(int(size.Width*scale), 64), H: max(int(size.Height*scale), 64)}
}

// sized tells the import queue the window's photo box, so the stored
// photos are re-fitted when the screen is not the one they were imported for.
func (l *showLoop) sized() {
	if l.opts.Intake != nil {
		l.opts.Intake.Refit(render.PhotoBox(l.pixelSize()))
	}
}

// redrawOnScreen draws the slide on screen again at the window's new size
// (fullscreen reached, another monitor) and shows it at once.
func (l *showLoop) redrawOnScreen() {
	px := l.pixelSize()
	cur := l.onScreen
	if cur.size == image.Pt(px.W, px.H) || cur.lang == "" {
		return
	}
	img := l.prepareAt(cur.e, l.ok, cur.n, px, cur.lang)
	fyne.DoAndWait(func() { l.stage.present(img, 0) })
	l.log.Info("window resized; slide drawn again", "size", fmt.Sprintf("%dx%d", px.W, px.H))
	l.sized()
}

// present shows img (slide n of e in lang) with a cross-fade.
func (l *showLoop) present(img *image.RGBA, e show.Entry, n int, lang string, fade time.Duration) {
	if px := l.pixelSize(); img.Rect.Size() != image.Pt(px.W, px.H) {
		img = l.prepareAt(e, l.ok, n, px, lang) // drawn before a resize
	}
	fyne.DoAndWait(func() { l.stage.present(img, fade) })
	l.onScreen.e, l.onScreen.lang, l.onScreen.n, l.onScreen.size = e, lang, n, img.Rect.Size()
}

// prepareAt draws slide n at px pixels with captions in lang.
func (l *showLoop) prepareAt(e show.Entry, ok bool, n int, px imageprep.Size, lang string) *image.RGBA {
	if ok && l.drew != nil {
		l.drew(e, lang)
	}
	return l.compose.Draw(e, ok, n, px, lang, l.entries)
}

// residentKB reads the process's resident memory from /proc (Linux); -1 elsewhere.
func residentKB() int64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return -1
	}
	var size, rss int64
	if _, err := fmt.Sscan(string(data), &size, &rss); err != nil {
		return -1
	}
	return rss * int64(os.Getpagesize()) / 1024
}

// keepScreenOn disables screen blanking: through the driver (D-Bus) and,
// since a bare X server's DPMS ignores that, with xset when it exists.
func keepScreenOn(a fyne.App, log *slog.Logger) {
	a.Driver().SetDisableScreenBlanking(true)
	if path, err := exec.LookPath("xset"); err == nil {
		if err := exec.Command(path, "s", "off", "-dpms", "s", "noblank").Run(); err != nil {
			log.Warn("xset could not disable screen blanking", "err", err)
		}
	}
}
