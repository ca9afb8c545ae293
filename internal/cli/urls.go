package cli

import (
	"errors"
	"log/slog"

	"github.com/solidarity-kiosk/kiosk/internal/intake"
)

// startURLs keeps URL packs up to date in the background.
func (s *sources) startURLs(urls []string, in *intake.Service, opts *ShowOptions, log *slog.Logger) error {
	if len(urls) > 0 {
		return errors.New("--pack URL: not available in this build yet")
	}
	return nil
}
