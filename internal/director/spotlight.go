package director

import (
	"context"
	"fmt"
	"image"
	"os"
	"runtime"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/render"
	"github.com/solidarity-kiosk/kiosk/internal/show"
)

// runMixed alternates a wall passage with spotlights of the people it
// lifted, until the mode changes.
func (d *Director) runMixed(ctx context.Context) {
	paused := false
	for n := 0; ctx.Err() == nil && d.Mode() == show.ModeMixed; {
		lifted := d.wallPassage(ctx, d.opts.WallPassage)
		if len(lifted) > 3 {
			lifted = lifted[len(lifted)-3:]
		}
		for i, e := range lifted {
			if ctx.Err() != nil || d.Mode() != show.ModeMixed {
				return
			}
			lang := d.Captions(e, n)[0]
			d.present(d.prepare(e, true, n, lang), e, n, lang, d.opts.Fade)
			d.savePosition(nil, e)
			if d.shownSlide(n) {
				return
			}
			dwell, _ := d.Current()
			src := listSource{d: d, list: lifted[i+1:]}
			if _, _, ok := d.dwellOn(ctx, src, e, n, d.opts.Fade, dwell, &paused); !ok {
				return
			}
			n++
		}
	}
}

// listSource gives the next of a fixed list of people (keys go forward only).
type listSource struct {
	d    *Director
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
func (d *Director) runSpotlight(ctx context.Context) {
	pl, cur := d.pl, d.cur
	paused := false
	// The first slide may already be on screen: drawn before the window
	// opened, at the size the window was expected to have.
	img, px := d.first, d.screen.PixelSize()
	onScreen := img != nil && img.Rect.Size() == image.Pt(px.W, px.H)
	// A fullscreen window starts at its windowed size and grows a moment
	// later: give it that moment rather than draw for the passing size.
	for wait := 0; img != nil && !onScreen && !d.opts.Windowed && wait < 50; wait++ {
		if !sleepCtx(ctx, 20*time.Millisecond) {
			return
		}
		px = d.screen.PixelSize()
		onScreen = img.Rect.Size() == image.Pt(px.W, px.H)
	}
	if !onScreen {
		img = d.prepareAt(cur, d.ok, 0, px, d.Captions(cur, 0)[0])
	}
	for n := 0; ctx.Err() == nil; n++ {
		fade := d.opts.Fade
		if n == 0 {
			fade = 0 // the first portrait appears at once: nothing to blend from
		}
		lang := d.Captions(cur, n)[0]
		if n > 0 || !onScreen {
			d.present(img, cur, n, lang, fade)
		} else { // the first slide, already in the window when it opened
			d.log.Debug("slide presented", "pack", cur.PackID, "person", personOf(cur), "lang", lang, "fade", time.Duration(0))
			d.onScreen.e, d.onScreen.lang, d.onScreen.n, d.onScreen.size = cur, lang, n, img.Rect.Size()
		}
		d.savePosition(pl, cur)
		if d.shownSlide(n) {
			return
		}
		if d.stale() {
			pl = d.rebuild(pl)
		}
		if d.Mode() != show.ModeSpotlight && d.Mode() != "" && len(d.entries) > 0 {
			d.pl, d.cur = pl, cur
			return
		}
		dwell, _ := d.Current()
		next, nextImg, ok := d.dwellOn(ctx, playlistSource{d, pl}, cur, n, fade, dwell, &paused)
		if !ok {
			return
		}
		cur, img = next, nextImg
	}
}

// shownSlide does what follows slide n reaching the screen: the first-frame
// signal, the soak statistics, and quitting after ExitAfter slides (true).
func (d *Director) shownSlide(n int) bool {
	if n == 0 {
		d.shownOnce.Do(func() {
			d.log.Info("first portrait on screen")
			d.sized()
			close(d.shown)
			if d.opts.OnFirstFrame != nil {
				d.opts.OnFirstFrame()
			}
		})
	}
	if d.opts.StatsEvery > 0 && (n+1)%d.opts.StatsEvery == 0 {
		d.log.Info("show stats", "slides", n+1, "rss_kb", residentKB(), "goroutines", runtime.NumGoroutine())
	}
	if d.opts.ExitAfter > 0 && n+1 >= d.opts.ExitAfter {
		time.Sleep(d.opts.Fade)
		d.ended = true
		d.screen.Quit()
		return true
	}
	return false
}

// captionFade is the blend between two languages of one slide.
const captionFade = 400 * time.Millisecond

// minCaption is the shortest time a caption language stays on screen.
func (d *Director) minCaption() time.Duration {
	if d.opts.CaptionMin > 0 {
		return d.opts.CaptionMin
	}
	return 3 * time.Second
}

// dwellOn keeps slide n (e) on screen for the dwell time, rotating its
// captions through the languages, and prepares the slide that follows
// while the last caption shows. A key ends the dwell early (← goes back).
// It returns the next entry and its image; ok is false when the show ends.
func (d *Director) dwellOn(ctx context.Context, s slideSource, e show.Entry, n int, fade, dwell time.Duration, paused *bool) (show.Entry, *image.RGBA, bool) {
	langs := d.Captions(e, n)
	fit := max(1, int(dwell/d.minCaption()))
	langs = langs[:min(len(langs), fit)]
	per := dwell / time.Duration(len(langs))
	var next show.Entry
	var nextImg *image.RGBA
	for i := range langs {
		if i > 0 {
			d.present(d.prepare(e, d.ok, n, langs[i]), e, n, langs[i], captionFade)
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
		c, byKey, ok := d.wait(ctx, timer, paused)
		switch {
		case !ok:
			return next, nil, false
		case byKey && !s.keys():
			d.log.Info("screens in step: keys do not change the slide")
			// the timer has been stopped: wait out this caption's time again
			timer = time.NewTimer(per)
			if _, _, ok := d.wait(ctx, timer, new(bool)); !ok {
				return next, nil, false
			}
		case byKey && c == Prev:
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
	d  *Director
	pl *show.Playlist
}

func (p playlistSource) next(n int) (show.Entry, *image.RGBA) { return p.d.nextSlide(p.pl, n) }
func (p playlistSource) prev(n int, advanced bool) (show.Entry, *image.RGBA) {
	return p.d.prevSlide(p.pl, n, advanced)
}
func (p playlistSource) keys() bool { return true }

// Captions are the languages slide n's captions rotate through: the one the
// operator fixed, else the kiosk's --languages, else the pack's; the
// starting language moves on with each slide, so that when the dwell is
// too short for every language, each still gets its turn.
func (d *Director) Captions(e show.Entry, n int) []string {
	if _, fixed := d.Current(); fixed != "" {
		return []string{fixed}
	}
	langs := d.opts.Languages
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
func (d *Director) nextSlide(pl *show.Playlist, n int) (show.Entry, *image.RGBA) {
	e, ok := pl.Next()
	return e, d.prepare(e, ok, n, d.Captions(e, n)[0])
}

// prevSlide draws the slide before the one on screen; advanced says the
// playlist already moved on to the slide prepared ahead (then discarded).
func (d *Director) prevSlide(pl *show.Playlist, n int, advanced bool) (show.Entry, *image.RGBA) {
	if advanced {
		_, _ = pl.Prev()
	}
	e, ok := pl.Prev()
	return e, d.prepare(e, ok, n, d.Captions(e, n)[0])
}

// wait sleeps until timer fires unless a key asks for another slide
// (byKey); ok is false when the show is over. While paused, the timer
// is set again instead of ending the wait.
//
// Under opening hours it also watches the clock: when the hall closes
// (or a wake-up ends) the screen sleeps right here, and on waking the
// slide on screen gets its whole dwell time again.
func (d *Director) wait(ctx context.Context, timer *time.Timer, paused *bool) (c Command, byKey, ok bool) {
	defer timer.Stop()
	for {
		if !d.sleepIfClosed(ctx) {
			return 0, false, false
		}
		if d.sleepsOver() { // woken: the slide on screen gets its whole time again
			dwell, _ := d.Current()
			timer.Reset(dwell)
		}
		closing, stop := d.hoursTimer()
		select {
		case <-ctx.Done():
		case <-closing: // the hall may have closed: looked at above
		case <-d.hoursChanged: // the operator set new hours: likewise
		case <-timer.C:
			if !*paused {
				stop()
				return Next, false, true
			}
			dwell, _ := d.Current()
			timer.Reset(dwell)
		case c := <-d.cmds:
			switch c {
			case Resize:
				d.redrawOnScreen()
			case Wake: // woken outside the hours: ten more minutes (open: nothing to do)
				d.keeper.Wake(d.now())
			case Pause:
				*paused = !*paused
				d.log.Info("show paused", "paused", *paused)
			default:
				d.keeper.Wake(d.now()) // a key keeps a woken screen on
				stop()
				return c, true, true
			}
		}
		stop()
	}
}

// rebuild makes a new playlist over what the cache now holds; on an error
// the old one goes on.
func (d *Director) rebuild(old *show.Playlist) *show.Playlist {
	recs, err := d.st.Packs()
	if err != nil {
		d.log.Error("reading the cache after an import; the show goes on with what it had", "err", err)
		return old
	}
	entries, err := show.Entries(recs)
	if err != nil {
		d.log.Error("reading the cache after an import; the show goes on with what it had", "err", err)
		return old
	}
	d.entries = entries
	d.log.Info("playlist renewed", "packs", len(recs), "people", len(entries))
	cal := d.newCalendar()
	pl := show.NewPlaylist(show.Weigh(entries, cal), uint64(time.Now().UnixNano()))
	pl.Lead(show.Leads(cal))
	return pl
}

// LoadPlaylist makes the playlist over every installed pack, resuming where
// the show stood before a restart, and returns the first entry to show.
func (d *Director) LoadPlaylist() (*show.Playlist, show.Entry, bool, error) {
	empty := show.NewPlaylist(nil, 1)
	recs, err := d.st.Packs()
	if err != nil {
		return empty, show.Entry{}, false, err
	}
	entries, err := show.Entries(recs)
	if err != nil {
		return empty, show.Entry{}, false, err
	}
	d.entries = entries
	d.log.Info("show started", "packs", len(recs), "people", len(entries))
	pos, err := show.LoadPosition(d.PositionFile())
	if err != nil {
		d.log.Warn("the saved show position is unreadable; starting afresh", "err", err)
	}
	cal := d.newCalendar()
	pl, first, resumed := show.ResumeLed(show.Weigh(entries, cal), pos, uint64(time.Now().UnixNano()), show.Leads(cal))
	if resumed {
		d.log.Info("resuming the show", "pack", pos.Pack, "person", pos.Person)
	}
	return pl, first, len(entries) > 0, nil
}

// PositionFile is where the show position is saved, beside the cache.
func (d *Director) PositionFile() string { return d.st.Path() + ".position" }

// savePosition records who is on screen, so a restart resumes there. pl
// is nil for a person the playlist did not draw (the mixed mode's lifted
// people): a restart then starts a fresh order with them.
func (d *Director) savePosition(pl *show.Playlist, e show.Entry) {
	if e.Person == nil {
		return
	}
	pos := show.Position{Pack: e.PackID, Person: e.Person.ID}
	if pl != nil {
		pos = pl.Position(e)
	}
	err := show.SavePosition(d.PositionFile(), pos)
	switch {
	case err != nil && err.Error() != d.positionErr:
		// Once per kind of failure, not once a slide for weeks.
		d.log.Warn("saving the show position (said once until it changes)", "err", err)
		d.positionErr = err.Error()
	case err == nil && d.positionErr != "":
		d.log.Info("the show position is saved again", "path", d.PositionFile())
		d.positionErr = ""
	}
}

// prepare draws slide n at the window's pixel size.
func (d *Director) prepare(e show.Entry, ok bool, n int, lang string) *image.RGBA {
	return d.prepareAt(e, ok, n, d.screen.PixelSize(), lang)
}

// sized tells the import queue the window's photo box, so the stored
// photos are re-fitted when the screen is not the one they were imported for.
func (d *Director) sized() {
	if d.opts.Refit != nil {
		d.opts.Refit(render.PhotoBox(d.screen.PixelSize()))
	}
}

// redrawOnScreen draws the slide on screen again at the window's new size
// (fullscreen reached, another monitor) and shows it at once.
func (d *Director) redrawOnScreen() {
	px := d.screen.PixelSize()
	cur := d.onScreen
	if cur.size == image.Pt(px.W, px.H) || cur.lang == "" {
		return
	}
	img := d.prepareAt(cur.e, d.ok, cur.n, px, cur.lang)
	d.screen.Present(img, 0)
	d.log.Info("window resized; slide drawn again", "size", fmt.Sprintf("%dx%d", px.W, px.H))
	d.sized()
}

// present shows img (slide n of e in lang) with a cross-fade.
func (d *Director) present(img *image.RGBA, e show.Entry, n int, lang string, fade time.Duration) {
	if px := d.screen.PixelSize(); img.Rect.Size() != image.Pt(px.W, px.H) {
		img = d.prepareAt(e, d.ok, n, px, lang) // drawn before a resize
	}
	d.log.Debug("slide presented", "pack", e.PackID, "person", personOf(e), "lang", lang, "fade", fade)
	d.screen.Present(img, fade)
	d.onScreen.e, d.onScreen.lang, d.onScreen.n, d.onScreen.size = e, lang, n, img.Rect.Size()
}

// prepareAt draws slide n at px pixels with captions in lang.
func (d *Director) prepareAt(e show.Entry, ok bool, n int, px imageprep.Size, lang string) *image.RGBA {
	if ok && d.OnDraw != nil {
		d.OnDraw(e, lang)
	}
	return d.compose.DrawAt(e, ok, n, px, lang, d.entries, d.moment())
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
