package show

import (
	"fmt"
	"math"
	"math/big"
	"time"
)

// The years a row's epoch (--sync-epoch) may fall in. Any instant would
// do for the schedule, but one far from the clock is a typing mistake, and
// a clock more than 292 years from the epoch is past what a time.Duration
// holds: once saturated, the slot stopped moving (1700-01-01 showed one
// person 46 times in 40 seconds; 2324-01-01 froze a slide).
const (
	FirstEpochYear = 2000
	LastEpochYear  = 2100
)

// CheckEpoch says why t cannot be a row's epoch, or nil: it must fall in
// the years FirstEpochYear to LastEpochYear (UTC), both included.
func CheckEpoch(t time.Time) error {
	if y := t.UTC().Year(); y < FirstEpochYear || y > LastEpochYear {
		return fmt.Errorf("%s is outside the years %d to %d; give every screen of the row the same recent time, e.g. 2024-05-20T10:00:00Z",
			t.UTC().Format(time.RFC3339), FirstEpochYear, LastEpochYear)
	}
	return nil
}

// Periods is the number of whole periods from epoch to t, rounded down
// (negative before the epoch). It is exact for any two times, where
// t.Sub(epoch) saturates beyond about 292 years, and is clamped to the
// int64 range. A period that is not positive gives 0.
func Periods(t, epoch time.Time, period time.Duration) int64 {
	if period <= 0 {
		return 0
	}
	tu, eu := t.Unix(), epoch.Unix()
	secs := tu - eu
	overflow := (tu >= 0) != (eu >= 0) && (secs >= 0) != (tu >= 0)
	nanos := int64(t.Nanosecond()) - int64(epoch.Nanosecond())
	const safe = 9_000_000_000 // seconds: secs·1e9 + nanos stays within int64
	if !overflow && secs > -safe && secs < safe {
		return floorDiv(secs*1e9+nanos, int64(period))
	}
	d := new(big.Int).Sub(big.NewInt(tu), big.NewInt(eu))
	d.Mul(d, big.NewInt(1e9))
	d.Add(d, big.NewInt(nanos))
	q := d.Div(d, big.NewInt(int64(period))) // Euclidean: floor, the divisor being positive
	return clampInt64(q)
}

// PeriodStart is the start of period k from epoch: epoch + k·period,
// exact where time.Duration(k)*period would overflow. A start beyond what
// time.Unix holds is clamped to about 146 billion years either way.
func PeriodStart(epoch time.Time, k int64, period time.Duration) time.Time {
	if period <= 0 {
		return epoch
	}
	if lim := int64(math.MaxInt64) / int64(period); k <= lim && k >= -lim {
		return epoch.Add(time.Duration(k) * period)
	}
	prod := new(big.Int).Mul(big.NewInt(k), big.NewInt(int64(period)))
	secs, nanos := new(big.Int).DivMod(prod, big.NewInt(1e9), new(big.Int)) // nanos in [0, 1e9)
	secs.Add(secs, big.NewInt(epoch.Unix()))
	const far = int64(1) << 62
	switch {
	case secs.Cmp(big.NewInt(far)) > 0:
		return time.Unix(far, 0).In(epoch.Location())
	case secs.Cmp(big.NewInt(-far)) < 0:
		return time.Unix(-far, 0).In(epoch.Location())
	}
	return time.Unix(secs.Int64(), int64(epoch.Nanosecond())+nanos.Int64()).In(epoch.Location())
}

func clampInt64(x *big.Int) int64 {
	switch {
	case x.IsInt64():
		return x.Int64()
	case x.Sign() > 0:
		return math.MaxInt64
	}
	return math.MinInt64
}
