package director

import (
	"context"
	"image"

	"github.com/solidarity-kiosk/kiosk/internal/calendar"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/show"
)

// newCalendar makes the calendar of today over the people in the show and
// remembers its day (run goroutine).
func (d *Director) newCalendar() *calendar.Calendar {
	d.day = calendar.DateOf(d.now())
	d.cal = show.Calendar(d.entries, d.day)
	return d.cal
}

// newDay reports whether the local date has changed since the playlist
// was weighed: the calendar's weights are then weighed again.
func (d *Director) newDay() bool {
	return d.cal != nil && calendar.DateOf(d.now()) != d.day
}

// stale reports whether the playlist must be made again: a pack was
// imported or removed, or the day changed (its weights are the calendar's).
func (d *Director) stale() bool { return d.reloadReq.Swap(false) || d.newDay() }

// moment is what the slide being drawn decides from: the slot's start
// when in step with a row (every screen the same day), else now; the
// day's calendar over everyone shown; the postcard hour's facts in its mode.
func (d *Director) moment() show.Moment {
	at := d.now()
	if d.sync != nil && !d.slotAt.IsZero() {
		at = d.slotAt.In(at.Location())
	}
	cal := d.cal
	if date := calendar.DateOf(at); cal == nil || cal.Date != date {
		cal = show.Calendar(d.entries, date)
	}
	return show.Moment{Now: at, Calendar: cal, Postcard: d.Mode() == show.ModePostcards}
}

// runPostcards is the postcard hour: one person at a time whose birthday
// falls from today to the end of next month, nearest first, round and
// round, until the mode changes. With nobody to write to, the playlist
// goes on as in spotlight mode (still with the postcard facts of anyone
// who has a birthday on record).
func (d *Director) runPostcards(ctx context.Context) {
	src := d.postcardSource()
	cur, img := src.next(0)
	paused := false
	for n := 0; ctx.Err() == nil && d.Mode() == show.ModePostcards; n++ {
		lang := d.Captions(cur, n)[0]
		d.present(img, cur, n, lang, d.opts.Fade)
		if d.shownSlide(n) {
			return
		}
		if d.stale() {
			d.pl = d.rebuild(d.pl)
			src = d.postcardSource()
		}
		dwell, _ := d.Current()
		next, nextImg, ok := d.dwellOn(ctx, src, cur, n, d.opts.Fade, dwell, &paused)
		if !ok {
			return
		}
		cur, img = next, nextImg
	}
}

// postcardSource is the postcard hour's people today, or the playlist
// when there is nobody.
func (d *Director) postcardSource() slideSource {
	if d.cal == nil {
		d.newCalendar()
	}
	list := show.Postcards(d.entries, d.cal)
	d.log.Info("postcard hour", "people", len(list))
	if len(list) == 0 {
		return playlistSource{d, d.pl}
	}
	return &cycleSource{d: d, list: list, i: -1}
}

// cycleSource goes round a fixed list of people; keys step forth and back.
type cycleSource struct {
	d    *Director
	list []show.Entry
	i    int // the one last handed out
}

func (c *cycleSource) next(n int) (show.Entry, *image.RGBA) {
	c.i = (c.i + 1) % len(c.list)
	return c.draw(n)
}

func (c *cycleSource) prev(n int, advanced bool) (show.Entry, *image.RGBA) {
	if advanced {
		c.i--
	}
	c.i = ((c.i-1)%len(c.list) + len(c.list)) % len(c.list)
	return c.draw(n)
}

func (c *cycleSource) keys() bool { return true }

func (c *cycleSource) draw(n int) (show.Entry, *image.RGBA) {
	e := c.list[c.i]
	return e, c.d.prepare(e, true, n, c.d.Captions(e, n)[0])
}

// Today is the calendar's line for the operator panel in lang ("Today:
// 21 May, Day of Solidarity with Political Prisoners of Belarus; 4
// birthdays this week"). It reads the cache, so it is safe from any
// goroutine.
func (d *Director) Today(lang string) string {
	ms, err := d.manifests()
	if err != nil {
		return ""
	}
	date := calendar.DateOf(d.now())
	return calendar.New(date, ms...).Summary(d.compose.Words.For(lang), ms...)
}

// Stale lists the installed packs whose review_by has passed (the
// operator panel shows them in red), titled in lang. Safe from any goroutine.
func (d *Director) Stale(lang string) []calendar.StalePack {
	ms, err := d.manifests()
	if err != nil {
		return nil
	}
	return calendar.New(calendar.DateOf(d.now())).StalePacks(d.compose.Words.For(lang), ms...)
}

func (d *Director) manifests() ([]*pack.Manifest, error) {
	recs, err := d.st.Packs()
	if err != nil {
		return nil, err
	}
	entries, err := show.Entries(recs)
	if err != nil {
		return nil, err
	}
	return show.Manifests(entries), nil
}
