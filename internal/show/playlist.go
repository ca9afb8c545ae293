// Package show decides what is on screen: the playlist over every cached
// pack (weighted, never the same person twice in a row, reshuffled each
// round) and the facts each slide shows, computed from an injected clock so
// "day N behind bars" changes at midnight without a restart.
package show

import (
	"math"
	"math/rand/v2"
)

// Playlist cycles through entries in rounds. In each round a person appears
// in proportion to their weight (weight 3: three times; weight 0.5: every
// other round on average), in a fresh random order with no person twice in a
// row, across rounds too.
type Playlist struct {
	entries []Entry
	rng     *rand.Rand
	round   []int
	pos     int
	history []int // indexes shown, for Prev
	back    int   // how far Prev has stepped back into history
	seed    uint64
	drawn   int // entries drawn from the rounds (steps back and forth through history not counted)
	lead    func(Entry) bool
}

// Lead makes each new round open with someone lead picks (women on 8
// March, the people a pack's day features), when that is possible without
// showing anyone twice in a row; nil leaves rounds as drawn.
func (p *Playlist) Lead(lead func(Entry) bool) { p.lead = lead }

// NewPlaylist makes a playlist; seed fixes the order (tests use a constant).
func NewPlaylist(entries []Entry, seed uint64) *Playlist {
	return &Playlist{entries: entries, seed: seed, rng: rand.New(rand.NewPCG(seed, seed^0x5bd1e995))}
}

// Len is the number of people in the playlist.
func (p *Playlist) Len() int { return len(p.entries) }

// Next returns the next entry; ok is false when the playlist is empty.
func (p *Playlist) Next() (e Entry, ok bool) {
	if len(p.entries) == 0 {
		return Entry{}, false
	}
	if p.back > 0 {
		p.back--
		return p.entries[p.history[len(p.history)-1-p.back]], true
	}
	if p.pos >= len(p.round) {
		p.newRound()
	}
	i := p.round[p.pos]
	p.pos++
	p.drawn++
	p.history = append(p.history, i)
	if len(p.history) > 1000 {
		p.history = append([]int(nil), p.history[len(p.history)-500:]...)
	}
	return p.entries[i], true
}

// Prev steps back to the slide before the current one.
func (p *Playlist) Prev() (e Entry, ok bool) {
	if len(p.history) < 2 || p.back >= len(p.history)-1 {
		if len(p.history) == 0 {
			return p.Next()
		}
		return p.entries[p.history[len(p.history)-1-p.back]], true
	}
	p.back++
	return p.entries[p.history[len(p.history)-1-p.back]], true
}

// newRound draws the appearances of each person and orders them.
func (p *Playlist) newRound() {
	counts := make([]int, len(p.entries))
	total := 0
	for i, e := range p.entries {
		w := e.Weight
		if w <= 0 {
			w = 1
		}
		n := int(math.Floor(w))
		if p.rng.Float64() < w-float64(n) {
			n++
		}
		counts[i] = n
		total += n
	}
	if total == 0 { // every weight below 1 and no luck: show everyone once
		for i := range counts {
			counts[i] = 1
		}
		total = len(counts)
	}
	last := -1
	if len(p.history) > 0 {
		last = p.history[len(p.history)-1]
	}
	total = capDominant(counts, total, last)
	p.round = p.order(counts, total, last)
	p.pos = 0
	p.leadRound(last)
}

// leadRound brings the round's first lead to its front, moving it there
// or swapping it with the first, unless either would put someone twice in
// a row (or right after last, who closed the round before).
func (p *Playlist) leadRound(last int) {
	r := p.round
	if p.lead == nil || len(r) == 0 || p.lead(p.entries[r[0]]) {
		return
	}
	for j := 1; j < len(r); j++ {
		if !p.lead(p.entries[r[j]]) || r[j] == last {
			continue
		}
		if moved := moveToFront(r, j); noRepeats(moved) {
			copy(r, moved)
			return
		}
		swapped := append([]int(nil), r...)
		swapped[0], swapped[j] = swapped[j], swapped[0]
		if noRepeats(swapped) {
			copy(r, swapped)
			return
		}
	}
}

func moveToFront(r []int, j int) []int {
	out := make([]int, 0, len(r))
	out = append(out, r[j])
	out = append(out, r[:j]...)
	return append(out, r[j+1:]...)
}

func noRepeats(r []int) bool {
	for i := 1; i < len(r); i++ {
		if r[i] == r[i-1] {
			return false
		}
	}
	return true
}

// capDominant drops the copies of a person that could only be placed next
// to each other: someone cannot fill more than every other slide (and cannot
// open the round if they closed the last one). It returns the new total.
func capDominant(counts []int, total, last int) int {
	for i, c := range counts {
		limit := total - c + 1
		if i == last {
			limit = total - c
		}
		if len(counts) > 1 && c > limit {
			total -= c - max(limit, 0)
			counts[i] = max(limit, 0)
		}
	}
	return total
}

// order lays out counts[i] copies of each i randomly so that no two
// neighbours are equal, whenever that is possible.
func (p *Playlist) order(counts []int, total, last int) []int {
	out := make([]int, 0, total)
	for left := total; left > 0; left-- {
		// A person holding more than half of what is left must go now, or
		// two of theirs would end up side by side.
		pick := -1
		for i, c := range counts {
			if c*2 > left+1 || (c*2 == left+1 && i != last) {
				pick = i
			}
		}
		if pick < 0 || pick == last {
			pick = p.weightedPick(counts, left, last)
		}
		out = append(out, pick)
		counts[pick]--
		last = pick
	}
	return out
}

// weightedPick picks i with probability counts[i]/left, avoiding last when it can.
func (p *Playlist) weightedPick(counts []int, left, last int) int {
	avail := left
	if last >= 0 && last < len(counts) {
		avail -= counts[last]
	}
	if avail <= 0 {
		return last
	}
	r := p.rng.IntN(avail)
	for i, c := range counts {
		if i == last {
			continue
		}
		if r < c {
			return i
		}
		r -= c
	}
	return last
}
