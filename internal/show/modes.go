package show

import (
	"fmt"
	"slices"
	"strings"
)

// Show modes: what the screen shows. The command line, the config file,
// the operator panel and the show itself use these names.
const (
	ModeSpotlight = "spotlight" // one person at a time
	ModeWall      = "wall"      // everyone on the wire
	ModeMixed     = "mixed"     // a wall passage, then spotlights of the people it lifted
	// ModePostcards is the postcard hour for letter-writing evenings: one
	// person at a time whose birthday is this month or next, nearest
	// first, with the letter code, the address and how many days are left.
	ModePostcards = "postcards"
)

// Modes are the show modes in the order the operator panel offers them.
var Modes = []string{ModeSpotlight, ModeWall, ModeMixed, ModePostcards}

// CheckMode refuses a mode name that is not one of Modes.
func CheckMode(m string) error {
	if slices.Contains(Modes, m) {
		return nil
	}
	return fmt.Errorf("%q: want %s", m, strings.Join(Modes, ", "))
}
