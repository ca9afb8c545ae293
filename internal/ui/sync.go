package ui

import (
	"context"
	"fmt"
	"image"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/show"
)

// SyncOptions put this screen in a row of screens kept in step by the
// wall clock alone (see show.Sync).
type SyncOptions = show.Row

// stepSource gives the slots of the row's schedule: slide n of this run is
// slot k0+n.
type stepSource struct {
	l  *showLoop
	s  *show.Sync
	k0 int64
}

func (p stepSource) next(n int) (show.Entry, *image.RGBA) {
	e := p.s.At(p.k0 + int64(n))
	return e, p.l.prepare(e, true, n, p.l.captions(e, n)[0])
}

// prev is never called: keys do not move a screen out of its row.
func (p stepSource) prev(n int, _ bool) (show.Entry, *image.RGBA) { return p.next(n) }
func (p stepSource) keys() bool                                   { return false }

// inStep makes the row's schedule over the installed people, or says why
// this screen shows its own order instead (for the operator panel).
func (l *showLoop) inStep(entries []show.Entry) *show.Sync {
	o := l.opts.Sync
	if o == nil {
		return nil
	}
	set := show.PackSet(entries)
	if o.Set != "" && o.Set != set {
		l.setNote(fmt.Sprintf("Not in step with the row: this kiosk's packs are set %s, the row shares set %s; showing its own order. Install the same packs (kiosk pack list shows the set).", set, o.Set))
		l.log.Warn("not in step: the pack set differs from the row's", "set", set, "row", o.Set)
		return nil
	}
	s, err := show.NewSync(entries, o.Epoch, l.opts.Dwell, o.Screen, o.Screens)
	if err != nil {
		l.setNote("Not in step with the row: " + err.Error() + "; showing its own order.")
		l.log.Warn("not in step", "err", err)
		return nil
	}
	l.setNote(fmt.Sprintf("In step: screen %d of %d, epoch %s, pack set %s.", o.Screen, o.Screens, o.Epoch.UTC().Format(time.RFC3339), set))
	l.log.Info("screens in step", "screen", o.Screen, "of", o.Screens, "epoch", o.Epoch, "set", set)
	return s
}

// runInStep shows the row's schedule: each slide starts and ends when the
// wall clock says, whenever this kiosk was started or restarted.
func (l *showLoop) runInStep(ctx context.Context, s *show.Sync) {
	k0 := s.Slot(l.now())
	cur := s.At(k0)
	img, px := l.first, l.pixelSize()
	onScreen := img != nil && img.Rect.Size() == image.Pt(px.W, px.H) && l.cur.PackID == cur.PackID && personOf(l.cur) == personOf(cur)
	if !onScreen {
		img = l.prepareAt(cur, true, 0, px, l.captions(cur, 0)[0])
	}
	paused := false
	for n := 0; ctx.Err() == nil; n++ {
		rejoin := false
		if l.reloadReq.Swap(false) { // a pack was imported: the row's new schedule
			l.pl = l.rebuild(l.pl)
			if s2 := l.inStep(l.entries); s2 != nil {
				s, rejoin = s2, true
			}
		}
		if k := s.Slot(l.now()); rejoin || k != k0+int64(n) { // a new schedule, or the clock jumped: rejoin the row
			k0 = k - int64(n)
			cur = s.At(k)
			img = l.prepare(cur, true, n, l.captions(cur, n)[0])
		}
		fade := l.opts.Fade
		if n == 0 {
			fade = 0
		}
		if n > 0 || !onScreen {
			l.present(img, cur, n, l.captions(cur, n)[0], fade)
		}
		if l.shownSlide(n) {
			return
		}
		_, end := s.Bounds(k0 + int64(n))
		next, nextImg, ok := l.dwellOn(ctx, stepSource{l, s, k0}, cur, n, fade, end.Sub(l.now()), &paused)
		if !ok {
			return
		}
		cur, img = next, nextImg
	}
}

func personOf(e show.Entry) string {
	if e.Person == nil {
		return ""
	}
	return e.Person.ID
}

// runMixedInStep runs mixed mode in step with the row: every screen
// counts the same cycles from the epoch, a wall passage (one long wall
// across the row) and then three spotlight slots, each screen showing
// whom the schedule gives it.
func (l *showLoop) runMixedInStep(ctx context.Context, s *show.Sync) {
	dwell, passage := l.opts.Dwell, l.opts.WallPassage
	cycle := passage + 3*dwell
	w := l.wall
	w.epoch, w.screen, w.screens = l.opts.Sync.Epoch, l.opts.Sync.Screen, l.opts.Sync.Screens
	paused := false
	for n := 0; ctx.Err() == nil && l.mode() == ModeMixed; {
		since := l.now().Sub(l.opts.Sync.Epoch)
		c := floorDur(since, cycle)
		phase := since - time.Duration(c)*cycle
		if phase < passage {
			l.wallPassage(ctx, passage-phase)
			continue
		}
		i := int64((phase - passage) / dwell)
		k := c*3 + i
		e := s.At(k)
		lang := l.captions(e, n)[0]
		l.present(l.prepare(e, true, n, lang), e, n, lang, l.opts.Fade)
		if l.shownSlide(n) {
			return
		}
		end := l.opts.Sync.Epoch.Add(time.Duration(c)*cycle + passage + time.Duration(i+1)*dwell)
		if _, _, ok := l.dwellOn(ctx, listSource{l: l}, e, n, l.opts.Fade, end.Sub(l.now()), &paused); !ok {
			return
		}
		n++
	}
}

// floorDur is the number of whole periods in d, rounded down.
func floorDur(d, period time.Duration) int64 {
	q := int64(d / period)
	if d < 0 && d%period != 0 {
		q--
	}
	return q
}
