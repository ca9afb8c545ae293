package director

import (
	"context"
	"fmt"
	"image"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/show"
)

// stepSource gives the slots of the row's schedule: slide n of this run is
// slot k0+n.
type stepSource struct {
	d  *Director
	s  *show.Sync
	k0 int64
}

func (p stepSource) next(n int) (show.Entry, *image.RGBA) {
	k := p.k0 + int64(n)
	e := p.s.At(k)
	p.d.slotAt, _ = p.s.Bounds(k) // the slot's start decides the day, on every screen of the row
	return e, p.d.prepare(e, true, n, p.d.Captions(e, n)[0])
}

// prev is never called: keys do not move a screen out of its row.
func (p stepSource) prev(n int, _ bool) (show.Entry, *image.RGBA) { return p.next(n) }
func (p stepSource) keys() bool                                   { return false }

// inStep makes the row's schedule over the installed people, or says why
// this screen shows its own order instead (for the operator panel).
func (d *Director) inStep(entries []show.Entry) *show.Sync {
	o := d.opts.Sync
	if o == nil {
		return nil
	}
	set := show.PackSet(entries)
	if o.Set != "" && o.Set != set {
		d.setNote(fmt.Sprintf("Not in step with the row: this kiosk's packs are set %s, the row shares set %s; showing its own order. Install the same packs (kiosk pack list shows the set).", set, o.Set))
		d.log.Warn("not in step: the pack set differs from the row's", "set", set, "row", o.Set)
		return nil
	}
	s, err := show.NewSync(entries, o.Epoch, d.opts.Dwell, o.Screen, o.Screens)
	if err != nil {
		d.setNote("Not in step with the row: " + err.Error() + "; showing its own order.")
		d.log.Warn("not in step", "err", err)
		return nil
	}
	d.setNote(fmt.Sprintf("In step: screen %d of %d, epoch %s, pack set %s.", o.Screen, o.Screens, o.Epoch.UTC().Format(time.RFC3339), set))
	d.log.Info("screens in step", "screen", o.Screen, "of", o.Screens, "epoch", o.Epoch, "set", set)
	return s
}

// runInStep shows the row's schedule: each slide starts and ends when the
// wall clock says, whenever this kiosk was started or restarted.
func (d *Director) runInStep(ctx context.Context, s *show.Sync) {
	k0 := s.Slot(d.now())
	cur := s.At(k0)
	img, px := d.first, d.screen.PixelSize()
	onScreen := img != nil && img.Rect.Size() == image.Pt(px.W, px.H) && d.cur.PackID == cur.PackID && personOf(d.cur) == personOf(cur)
	if !onScreen {
		d.slotAt, _ = s.Bounds(k0)
		img = d.prepareAt(cur, true, 0, px, d.Captions(cur, 0)[0])
	}
	paused := false
	for n := 0; ctx.Err() == nil; n++ {
		rejoin := false
		if d.reloadReq.Swap(false) { // a pack was imported: the row's new schedule
			d.pl = d.rebuild(d.pl)
			if s2 := d.inStep(d.entries); s2 != nil {
				s, rejoin = s2, true
			}
		}
		if k := s.Slot(d.now()); rejoin || k != k0+int64(n) { // a new schedule, or the clock jumped: rejoin the row
			k0 = k - int64(n)
			cur = s.At(k)
			d.slotAt, _ = s.Bounds(k)
			img = d.prepare(cur, true, n, d.Captions(cur, n)[0])
		}
		fade := d.opts.Fade
		if n == 0 {
			fade = 0
		}
		if n > 0 || !onScreen {
			d.present(img, cur, n, d.Captions(cur, n)[0], fade)
		}
		if d.shownSlide(n) {
			return
		}
		_, end := s.Bounds(k0 + int64(n))
		next, nextImg, ok := d.dwellOn(ctx, stepSource{d, s, k0}, cur, n, fade, end.Sub(d.now()), &paused)
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
func (d *Director) runMixedInStep(ctx context.Context, s *show.Sync) {
	dwell, passage := d.opts.Dwell, d.opts.WallPassage
	cycle := passage + 3*dwell
	paused := false
	for n := 0; ctx.Err() == nil && d.Mode() == show.ModeMixed; {
		now := d.now()
		c := show.Periods(now, d.opts.Sync.Epoch, cycle) // exact however far the clock is from the epoch
		cycleStart := show.PeriodStart(d.opts.Sync.Epoch, c, cycle)
		phase := now.Sub(cycleStart)
		if phase < passage {
			d.wallPassage(ctx, passage-phase)
			continue
		}
		i := int64((phase - passage) / dwell)
		k := c*3 + i
		e := s.At(k)
		lang := d.Captions(e, n)[0]
		d.slotAt = cycleStart.Add(passage + time.Duration(i)*dwell)
		d.present(d.prepare(e, true, n, lang), e, n, lang, d.opts.Fade)
		if d.shownSlide(n) {
			return
		}
		end := cycleStart.Add(passage + time.Duration(i+1)*dwell)
		if _, _, ok := d.dwellOn(ctx, listSource{d: d}, e, n, d.opts.Fade, end.Sub(d.now()), &paused); !ok {
			return
		}
		n++
	}
}
