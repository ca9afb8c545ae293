package cli

import (
	"fmt"

	"github.com/solidarity-kiosk/kiosk/internal/hours"
)

// checkHours refuses opening hours that do not parse, naming where they
// came from (the command line, or the config file and line) and the
// column reading stopped at. The director would only log them and stay
// on all night; a kiosk set up with a typo should not start at all.
func checkHours(s string, origins configOrigins) error {
	if s == "" {
		return nil
	}
	if _, err := hours.Parse(s); err != nil {
		where := "--hours"
		if o, ok := origins["hours"]; ok {
			where = o
		}
		return fmt.Errorf("%s: %w (the grammar is in docs/HOURS.md)", where, err)
	}
	return nil
}
