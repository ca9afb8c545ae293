package cli

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/show"
)

// rowFlags put a kiosk in a row of screens kept in step by the clock.
type rowFlags struct {
	epoch, screen, set string
}

func (r *rowFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.epoch, "sync-epoch", "", "keep screens in step: the same time on every screen, in the years 2000 to 2100 (e.g. 2024-05-20T10:00:00Z, or Unix seconds); with the same packs and --dwell, each screen shows what the clock says")
	fs.StringVar(&r.screen, "screen", "", "this screen's place in a row of screens in step, I/N (e.g. 2/5): neighbours never show the same person")
	fs.StringVar(&r.set, "sync-set", "", "the pack set the row shares (kiosk pack list prints it); a screen with other packs shows its own order and says so")
}

// options are the row settings, nil when the screen is on its own.
func (r *rowFlags) options() (*show.Row, error) {
	if r.epoch == "" {
		if r.screen != "" || r.set != "" {
			return nil, fmt.Errorf("--screen and --sync-set need --sync-epoch")
		}
		return nil, nil
	}
	epoch, err := parseEpoch(r.epoch)
	if err != nil {
		return nil, err
	}
	row := &show.Row{Epoch: epoch, Screen: 1, Screens: 1, Set: r.set}
	if r.screen != "" {
		is, ns, ok := strings.Cut(r.screen, "/")
		i, err1 := strconv.Atoi(is)
		n, err2 := strconv.Atoi(ns)
		if !ok || err1 != nil || err2 != nil || n < 1 || i < 1 || i > n {
			return nil, fmt.Errorf("--screen %q: want I/N with 1 <= I <= N, e.g. 2/5", r.screen)
		}
		row.Screen, row.Screens = i, n
	}
	return row, nil
}

// parseEpoch reads --sync-epoch: an RFC 3339 time or Unix seconds, in the
// years show.CheckEpoch allows.
func parseEpoch(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if secs, nerr := strconv.ParseInt(s, 10, 64); nerr == nil {
		t, err = time.Unix(secs, 0), nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("--sync-epoch %q: want a time like 2024-05-20T10:00:00Z or Unix seconds", s)
	}
	if err := show.CheckEpoch(t); err != nil {
		return time.Time{}, fmt.Errorf("--sync-epoch %q: %w", s, err)
	}
	return t, nil
}
