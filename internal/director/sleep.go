package director

import (
	"context"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/hours"
)

// defaultNap is how long the director waits at most before it reads the
// clock again while opening hours are set: a clock set forward (NTP after
// boot) is noticed within it, at no measurable cost.
const defaultNap = time.Minute

func (d *Director) nap() time.Duration {
	if d.opts.HoursCheck > 0 {
		return d.opts.HoursCheck
	}
	return defaultNap
}

// SetHours changes the opening hours (docs/HOURS.md; "" for none, always
// open) from now on; an error names the column and changes nothing. It
// is safe from any goroutine (the operator panel).
func (d *Director) SetHours(s string) error {
	var sched *hours.Schedule
	if s != "" {
		var err error
		if sched, err = hours.Parse(s); err != nil {
			return err
		}
	}
	d.keeper.SetSchedule(sched)
	select {
	case d.hoursChanged <- struct{}{}:
	default:
	}
	d.log.Info("opening hours set", "hours", s)
	return nil
}

// Hours are the opening hours in force, written back in their grammar;
// "" when none are set.
func (d *Director) Hours() string {
	if s := d.keeper.Schedule(); s != nil {
		return s.Summary()
	}
	return ""
}

// Sleeping reports whether the screen sleeps outside opening hours, and
// until when (the zero Time: until woken).
func (d *Director) Sleeping() (bool, time.Time) {
	now := d.now()
	if d.keeper.State(now) != hours.Asleep {
		return false, time.Time{}
	}
	return true, d.keeper.Next(now)
}

// hoursTimer fires when the screen may have to fall asleep: at the next
// change of the opening hours or the end of a wake-up, and at least every
// nap. Its channel is nil when no hours are set (it never fires).
func (d *Director) hoursTimer() (<-chan time.Time, func()) {
	if d.keeper.Schedule() == nil {
		return nil, func() {}
	}
	now := d.now()
	wait := d.nap()
	if next := d.keeper.Next(now); !next.IsZero() {
		wait = min(wait, max(next.Sub(now), 0))
	}
	t := time.NewTimer(wait)
	return t.C, func() { t.Stop() }
}

// sleepIfClosed puts the screen to sleep while the hall is closed: the
// screen goes dark and the director draws nothing until opening time or
// a key (any command but Resize) wakes it for hours.WakeFor. The slide on
// screen before stays where it was and shows again on waking. It returns
// false when ctx ended.
func (d *Director) sleepIfClosed(ctx context.Context) bool {
	if d.keeper.State(d.now()) != hours.Asleep {
		return ctx.Err() == nil
	}
	d.screen.Sleep(true)
	d.slept = true
	d.log.Info("outside opening hours: the screen sleeps", "until", d.keeper.Next(d.now()))
	resized := false
	defer func() {
		d.screen.Sleep(false)
		if resized {
			d.redrawOnScreen()
		}
	}()
	for d.keeper.State(d.now()) == hours.Asleep {
		timer, stop := d.hoursTimer()
		select {
		case <-ctx.Done():
			stop()
			return false
		case <-timer:
		case <-d.hoursChanged:
		case c := <-d.cmds:
			if c == Resize {
				resized = true
			} else if d.keeper.Wake(d.now()) {
				d.log.Info("woken outside opening hours", "for", hours.WakeFor)
			}
		}
		stop()
	}
	d.log.Info("the screen wakes", "state", d.keeper.State(d.now()).String())
	return true
}

// sleepsOver reports whether the screen slept since it was last asked,
// and forgets it.
func (d *Director) sleepsOver() bool {
	slept := d.slept
	d.slept = false
	return slept
}

// untilClosing is ctx, ended also when the screen has to fall asleep (for
// the wall, which runs until its context ends).
func (d *Director) untilClosing(ctx context.Context) (context.Context, context.CancelFunc) {
	if d.keeper.Schedule() == nil {
		return context.WithCancel(ctx)
	}
	wctx, cancel := context.WithCancel(ctx)
	go func() {
		for {
			timer, stop := d.hoursTimer()
			select {
			case <-wctx.Done():
				stop()
				return
			case <-timer:
			case <-d.hoursChanged:
			}
			stop()
			if d.keeper.State(d.now()) == hours.Asleep {
				cancel()
				return
			}
		}
	}()
	return wctx, cancel
}
