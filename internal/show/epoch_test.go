package show

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"
)

func TestCheckEpoch(t *testing.T) {
	for _, c := range []struct {
		at string
		ok bool
	}{
		{"2024-05-20T10:00:00Z", true},
		{"2000-01-01T00:00:00Z", true},
		{"2100-12-31T23:59:59Z", true},
		{"1999-12-31T23:59:59Z", false},
		{"2101-01-01T00:00:00Z", false},
		{"1700-01-01T00:00:00Z", false},
		{"2324-01-01T00:00:00Z", false},
		{"1970-01-01T00:00:00Z", false},
		{"2000-01-01T01:00:00+02:00", false}, // 1999 in UTC
	} {
		at, err := time.Parse(time.RFC3339, c.at)
		if err != nil {
			t.Fatal(err)
		}
		if err := CheckEpoch(at); (err == nil) != c.ok {
			t.Errorf("CheckEpoch(%s) = %v, want ok %v", c.at, err, c.ok)
		}
	}
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestPeriodsAreExactFarFromTheEpoch: slots counted from an epoch centuries
// away neither saturate nor freeze (issue 18: --sync-epoch 1700-01-01
// showed one person 46 times in 40 s; 2324-01-01 froze a slide).
func TestPeriodsAreExactFarFromTheEpoch(t *testing.T) {
	for _, c := range []struct {
		t, epoch string
		period   time.Duration
		want     int64
	}{
		{"2024-05-20T10:00:12Z", "2024-05-20T10:00:00Z", 12 * time.Second, 1},
		{"2024-05-20T10:00:11.999999999Z", "2024-05-20T10:00:00Z", 12 * time.Second, 0},
		{"2024-05-20T09:59:59Z", "2024-05-20T10:00:00Z", 12 * time.Second, -1},
		{"2024-05-20T09:59:48Z", "2024-05-20T10:00:00Z", 12 * time.Second, -1},
		{"2024-05-20T09:59:47.5Z", "2024-05-20T10:00:00Z", 12 * time.Second, -2},
		{"2026-12-07T23:00:00Z", "1700-01-01T00:00:00Z", 12 * time.Second, 859751700},
		{"2026-12-07T23:00:00Z", "2324-01-01T00:00:00Z", 12 * time.Second, -781200300},
		{"2026-12-07T23:00:00Z", "1700-01-01T00:00:00Z", time.Nanosecond, math.MaxInt64}, // clamped
		{"0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", time.Nanosecond, math.MinInt64},
	} {
		if got := Periods(utc(c.t), utc(c.epoch), c.period); got != c.want {
			t.Errorf("Periods(%s, %s, %v) = %d, want %d", c.t, c.epoch, c.period, got, c.want)
		}
	}
	// Against big-number arithmetic, and each period's start at or before
	// t with the next one after it, over ten thousand years either way.
	rng := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		epoch := time.Unix(rng.Int64N(1<<33), rng.Int64N(1e9)).UTC()
		at := epoch.Add(time.Duration(rng.Int64N(math.MaxInt64))).Add(-time.Duration(rng.Int64N(math.MaxInt64)))
		at = time.Unix(at.Unix()+rng.Int64N(3e11)-15e10, int64(at.Nanosecond())).UTC()
		period := time.Duration(1+rng.Int64N(int64(24*time.Hour))) * time.Duration(1+rng.IntN(2))
		d := new(big.Int).Mul(big.NewInt(at.Unix()-epoch.Unix()), big.NewInt(1e9))
		d.Add(d, big.NewInt(int64(at.Nanosecond()-epoch.Nanosecond())))
		want := d.Div(d, big.NewInt(int64(period))).Int64()
		k := Periods(at, epoch, period)
		if k != want {
			t.Fatalf("Periods(%v, %v, %v) = %d, want %d", at, epoch, period, k, want)
		}
		if start, next := PeriodStart(epoch, k, period), PeriodStart(epoch, k+1, period); start.After(at) || !next.After(at) || next.Sub(start) != period {
			t.Fatalf("period %d from %v of %v: [%v, %v) does not hold %v", k, epoch, period, start, next, at)
		}
	}
}

func TestSyncMovesOnFarFromTheEpoch(t *testing.T) {
	now := utc("2026-12-07T23:00:00Z")
	for _, epoch := range []string{"1700-01-01T00:00:00Z", "2324-01-01T00:00:00Z", "2024-05-20T10:00:00Z"} {
		s, err := NewSync(syncEntries(10), utc(epoch), 12*time.Second, 2, 3)
		if err != nil {
			t.Fatal(err)
		}
		k := s.Slot(now)
		for i := range int64(4) { // 40 s: a slide every 12 s, never the same twice running
			at := now.Add(time.Duration(i) * 12 * time.Second)
			if got := s.Slot(at); got != k+i {
				t.Fatalf("epoch %s: slot %d at +%ds, want %d", epoch, got, 12*i, k+i)
			}
			start, end := s.Bounds(k + i)
			if start.After(at) || !end.After(at) || end.Sub(start) != 12*time.Second {
				t.Fatalf("epoch %s: slot %d is [%v, %v), not holding %v", epoch, k+i, start, end, at)
			}
			if s.At(k+i).Person.ID == s.At(k+i+1).Person.ID {
				t.Fatalf("epoch %s: the same person in slots %d and %d", epoch, k+i, k+i+1)
			}
		}
	}
	// Slots so far out that k·screens overflows int64 still give a person,
	// and neighbours still differ.
	s, _ := NewSync(syncEntries(10), utc("2024-05-20T10:00:00Z"), time.Nanosecond, 2, 3)
	for _, k := range []int64{math.MaxInt64, math.MaxInt64 - 1, math.MinInt64, 1 << 40} {
		if s.At(k).Person.ID == s.On(k, 1).Person.ID || s.At(k).Person.ID == s.On(k, 3).Person.ID {
			t.Errorf("slot %d: neighbours show the same person", k)
		}
	}
}
