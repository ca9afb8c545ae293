package show

import (
	"encoding/json"
	"fmt"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// Entries lists every person of every installed pack, in pack order.
func Entries(recs []store.PackRecord) ([]Entry, error) {
	var out []Entry
	for _, rec := range recs {
		m := new(pack.Manifest)
		if err := json.Unmarshal(rec.Manifest, m); err != nil {
			return nil, fmt.Errorf("pack %q: %w", rec.ID, err)
		}
		for i := range m.People {
			p := &m.People[i]
			e := Entry{PackID: rec.ID, Demo: rec.Demo, Manifest: m, Person: p, Weight: p.EffectiveWeight()}
			if ph, ok := rec.Photos[p.ID]; ok {
				e.Photo = &ph
			}
			out = append(out, e)
		}
	}
	return out, nil
}
