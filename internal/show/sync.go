package show

import (
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"time"
)

// Sync decides, from the wall clock alone, who each of a row of screens
// shows: kiosks given the same epoch, dwell and packs compute the same
// schedule with no server and no network, so that after a restart, a
// network loss or a late start each shows what it would have shown
// anyway, and neighbouring screens never show the same person at once.
//
// The people are put in one order, fixed by the packs and the epoch. In
// slot k (the k-th dwell since the epoch) screen i of N shows position
// k·N + i (plus a shift that moves by one each time the order has gone
// round), modulo the number of people: the N screens show N consecutive,
// hence different, people (given at least N people), and a screen never
// shows the same person in two slots running (given more than N). Weights
// are not used here: every person gets the same share of the row.
type Sync struct {
	entries []Entry
	epoch   time.Time
	dwell   time.Duration
	screen  int // 0-based
	screens int
	shift   bool // whether the order moves on by one each round
}

// Row is a screen's place in a row of screens kept in step.
type Row struct {
	Epoch           time.Time
	Screen, Screens int    // this screen's place in the row, 1-based
	Set             string // the pack set the row shares; "" trusts it is the same
}

// ErrTooFewPeople means the packs hold fewer people than there are screens.
var ErrTooFewPeople = errors.New("fewer people than screens: some would show the same person")

// NewSync makes the schedule of screen (1-based, as --screen 2/5 says) of
// screens. The order of entries does not matter: they are sorted by pack
// and person id, as every kiosk sorts them.
func NewSync(entries []Entry, epoch time.Time, dwell time.Duration, screen, screens int) (*Sync, error) {
	if screens < 1 || screen < 1 || screen > screens {
		return nil, fmt.Errorf("screen %d of %d: want 1 <= screen <= screens", screen, screens)
	}
	if dwell <= 0 {
		return nil, errors.New("the dwell time must be positive")
	}
	if len(entries) < screens {
		return nil, fmt.Errorf("%d people on %d screens: %w", len(entries), screens, ErrTooFewPeople)
	}
	sorted := slices.Clone(entries)
	slices.SortFunc(sorted, func(a, b Entry) int {
		return cmp.Or(cmp.Compare(a.PackID, b.PackID), cmp.Compare(personID(a), personID(b)))
	})
	seed := sha256.Sum256([]byte(PackSet(sorted) + "@" + epoch.UTC().Format(time.RFC3339Nano)))
	s1, s2 := binary.LittleEndian.Uint64(seed[:8]), binary.LittleEndian.Uint64(seed[8:16])
	rand.New(rand.NewPCG(s1, s2)).Shuffle(len(sorted), func(i, j int) { sorted[i], sorted[j] = sorted[j], sorted[i] })
	m := len(sorted)
	return &Sync{
		entries: sorted, epoch: epoch, dwell: dwell, screen: screen - 1, screens: screens,
		// Moving on by one each round would bring a person straight back
		// when N+1 is a multiple of the number of people.
		shift: (screens+1)%m != 0,
	}, nil
}

func personID(e Entry) string {
	if e.Person == nil {
		return ""
	}
	return e.Person.ID
}

// Slot is the number of the slide on screen at t (negative before the
// epoch), exact however far t is from the epoch (Periods).
func (s *Sync) Slot(t time.Time) int64 { return Periods(t, s.epoch, s.dwell) }

// Bounds are the start and end of slot k.
func (s *Sync) Bounds(k int64) (start, end time.Time) {
	start = PeriodStart(s.epoch, k, s.dwell)
	return start, start.Add(s.dwell)
}

// At is who this screen shows in slot k.
func (s *Sync) At(k int64) Entry { return s.entries[s.index(k, s.screen)] }

// On is who screen (1-based) shows in slot k: what a neighbour shows.
func (s *Sync) On(k int64, screen int) Entry { return s.entries[s.index(k, screen-1)] }

func (s *Sync) index(k int64, screen int) int {
	m := int64(len(s.entries))
	const small = 1 << 30 // k·screens and the sums below stay within int64
	if k > -small && k < small && s.screens < small {
		pos := k*int64(s.screens) + int64(screen)
		if s.shift {
			pos += floorDiv(k*int64(s.screens), m) // one further each time the order has gone round
		}
		return int(((pos % m) + m) % m)
	}
	// The same, exact, for a slot far from the epoch.
	ks := new(big.Int).Mul(big.NewInt(k), big.NewInt(int64(s.screens)))
	pos := new(big.Int).Add(ks, big.NewInt(int64(screen)))
	bm := big.NewInt(m)
	if s.shift {
		pos.Add(pos, new(big.Int).Div(ks, bm)) // Euclidean: floor, m being positive
	}
	return int(pos.Mod(pos, bm).Int64())
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// PackSet names a set of installed people: a short hash of every pack id,
// version and person id. Screens meant to run in step must have the same
// set; `kiosk pack list` prints it, and --sync-set checks it.
func PackSet(entries []Entry) string {
	ids := make([]string, 0, len(entries))
	for _, e := range entries {
		v := ""
		if e.Manifest != nil {
			v = e.Manifest.Version
		}
		ids = append(ids, e.PackID+"@"+v+"/"+personID(e))
	}
	slices.Sort(ids)
	h := sha256.New()
	for _, id := range ids {
		h.Write([]byte(id + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}
