package cli

import (
	"flag"
	"fmt"
	"time"
)

// durationRule is the range a duration flag (and its config key) accepts.
type durationRule struct {
	name     string
	min, max time.Duration
	zeroOK   string        // what 0 means, when it means something; "" refuses it
	testMin  time.Duration // the floor with --test-pace
	why      string        // why the floor is where it is
}

// durationRules are the pace values a kiosk accepts. A visitor needs a few
// seconds to read anything; a watched folder or a URL checked too often
// burns the CPU and the server for nothing.
var durationRules = []durationRule{
	{name: "dwell", min: 3 * time.Second, max: 24 * time.Hour, testMin: 10 * time.Millisecond, why: "a visitor needs time to read"},
	{name: "fade", min: 100 * time.Millisecond, max: 5 * time.Second, zeroOK: "no fade, a cut", testMin: time.Millisecond, why: "a shorter fade is a flicker"},
	{name: "watch-every", min: 500 * time.Millisecond, max: time.Hour, testMin: 10 * time.Millisecond, why: "looking more often only costs CPU"},
	{name: "recheck", min: time.Minute, max: 7 * 24 * time.Hour, testMin: time.Second, why: "checking more often only loads the server"},
}

// checkDurations refuses every duration flag outside its range, naming
// where the value came from (the command line, or the config file and
// line). With testPace the floors drop to what soak runs and benchmarks use.
func checkDurations(fs *flag.FlagSet, origins configOrigins, testPace bool) error {
	for _, r := range durationRules {
		f := fs.Lookup(r.name)
		if f == nil {
			continue
		}
		d, ok := f.Value.(flag.Getter).Get().(time.Duration)
		if !ok {
			continue
		}
		lo := r.min
		if testPace {
			lo = r.testMin
		}
		if d >= lo && d <= r.max || d == 0 && r.zeroOK != "" {
			continue
		}
		where := "--" + r.name + " " + d.String()
		if o, ok := origins[r.name]; ok {
			where = fmt.Sprintf("%s = %q", o, d.String())
		}
		allowed := fmt.Sprintf("from %s to %s", lo, r.max)
		if r.zeroOK != "" {
			allowed += fmt.Sprintf(", or 0 (%s)", r.zeroOK)
		}
		hint := ""
		if !testPace && d > 0 && d < r.min {
			hint = "; --test-pace allows less, for soak runs and benchmarks only"
		}
		return fmt.Errorf("%s: must be %s (%s)%s", where, allowed, r.why, hint)
	}
	return nil
}
