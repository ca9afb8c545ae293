package show

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/solidarity-kiosk/kiosk/internal/atomicfile"
	"github.com/solidarity-kiosk/kiosk/internal/regfile"
)

// Position is where the show stands, saved after every slide so that a
// restart (the service manager after a crash, a power cut) resumes with
// the person who was on screen and continues the same order.
type Position struct {
	Seed   uint64 `json:"seed"`  // the playlist's seed
	Drawn  int    `json:"drawn"` // entries drawn with it, the one on screen included
	Pack   string `json:"pack"`  // who was on screen
	Person string `json:"person"`
}

// Position reports where the playlist stands, e being the entry on screen.
func (p *Playlist) Position(e Entry) Position {
	pos := Position{Seed: p.seed, Drawn: p.drawn, Pack: e.PackID}
	if e.Person != nil {
		pos.Person = e.Person.ID
	}
	return pos
}

// Resume makes the playlist that continues from pos and returns the entry
// to show first: the person who was on screen. With the same people
// installed the order continues where it was; when the packs changed, a
// fresh order (seed) starts with that person; when they are gone, the
// fresh order starts from its beginning and ok is false.
func Resume(entries []Entry, pos Position, seed uint64) (pl *Playlist, first Entry, ok bool) {
	return ResumeLed(entries, pos, seed, nil)
}

// ResumeLed is Resume for a playlist whose rounds lead opens (Playlist.Lead).
func ResumeLed(entries []Entry, pos Position, seed uint64, lead func(Entry) bool) (pl *Playlist, first Entry, ok bool) {
	if pos.Drawn > 0 && pos.Drawn <= 10_000_000 {
		pl = NewPlaylist(entries, pos.Seed)
		pl.Lead(lead)
		for range pos.Drawn {
			first, ok = pl.Next()
		}
		if ok && first.PackID == pos.Pack && first.Person != nil && first.Person.ID == pos.Person {
			return pl, first, true
		}
	}
	pl = NewPlaylist(entries, seed)
	pl.Lead(lead)
	for i, e := range entries {
		if e.PackID == pos.Pack && e.Person != nil && e.Person.ID == pos.Person {
			pl.history = []int{i} // the next round does not open with them again
			return pl, e, true
		}
	}
	first, _ = pl.Next()
	return pl, first, false
}

// maxPositionBytes bounds the position file: a few hundred bytes of JSON.
const maxPositionBytes = 64 << 10

// LoadPosition reads a saved position; a missing file is the zero Position.
// Only a regular file of at most 64 KiB is read: a FIFO or a device put in
// its place is refused at once (regfile.ErrNotRegular), never waited on.
func LoadPosition(path string) (Position, error) {
	var pos Position
	data, err := regfile.Read(path, maxPositionBytes)
	if os.IsNotExist(err) {
		return pos, nil
	}
	if err != nil {
		return pos, err
	}
	if err := json.Unmarshal(data, &pos); err != nil {
		return Position{}, fmt.Errorf("%s: %w", path, err)
	}
	return pos, nil
}

// SavePosition writes pos to path through a temporary file, so a power cut
// leaves the old position or the new one, never half of one.
func SavePosition(path string, pos Position) error {
	data, err := json.Marshal(pos)
	if err != nil {
		return err
	}
	return atomicfile.Write(path, data, 0o644)
}
