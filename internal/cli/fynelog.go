package cli

import (
	"context"
	"log"
	"log/slog"
	"strings"
	"sync"
)

// fyneLog takes what Fyne writes through the standard log package and
// passes it to the kiosk's logger as one record per message. fyne.LogError
// writes three lines ("Fyne error:  REASON", "  Cause: ERR", "  At:
// FILE:LINE"); they become one record. The messages Fyne writes about a
// desktop a kiosk does not have (no session D-Bus, so no screensaver
// inhibit and no notifications; an empty preferences file; a locale it
// cannot parse) are logged at debug level, which the terminal does not
// show; any other message is a warning.
type fyneLog struct {
	log *slog.Logger

	mu                   sync.Mutex
	reason, cause, place string
}

// routeStdLog sends the standard log package's output (Fyne's) to l.
func routeStdLog(l *slog.Logger) {
	log.SetFlags(0)
	log.SetOutput(&fyneLog{log: l})
}

// quietFyne are the beginnings of the reasons Fyne gives that say only
// that the machine is a kiosk, not a desktop.
var quietFyne = []string{
	"Unable to connect to session D-Bus",
	"Failed to send message to bus",
	"Sending notification using portal failed",
	"Preferences load error",
	"Error parsing user locale",
	"Failed to look up user locale",
	"Failed to load user locales",
}

func (f *fyneLog) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "  Cause:") && f.reason != "":
			f.cause = strings.TrimSpace(strings.TrimPrefix(line, "  Cause:"))
		case (strings.HasPrefix(line, "  At:") || strings.HasPrefix(line, "  From:")) && f.reason != "":
			_, f.place, _ = strings.Cut(line, ":")
			f.place = strings.TrimSpace(f.place)
			f.flush() // the last line fyne.LogError (and the thread checker) writes
		case strings.HasPrefix(line, "Fyne error:"):
			f.flush()
			f.reason = strings.TrimSpace(strings.TrimPrefix(line, "Fyne error:"))
		case strings.HasPrefix(line, "*** Error in Fyne call thread"): // a bug, with "  From: FILE:LINE"
			f.flush()
			f.reason = strings.TrimSpace(line) // kept whole: STYLE.md has any such line treated as a failing bug
		default:
			f.flush()
			if line = strings.TrimSpace(line); line != "" {
				f.log.Warn("fyne: " + line)
			}
		}
	}
	return len(p), nil
}

// flush logs the Fyne error gathered so far.
func (f *fyneLog) flush() {
	if f.reason == "" {
		return
	}
	level := slog.LevelWarn
	for _, q := range quietFyne {
		if strings.HasPrefix(f.reason, q) {
			level = slog.LevelDebug
		}
	}
	attrs := []any{}
	if f.cause != "" {
		attrs = append(attrs, "err", f.cause)
	}
	if f.place != "" {
		attrs = append(attrs, "at", f.place)
	}
	f.log.Log(context.Background(), level, "fyne: "+f.reason, attrs...)
	f.reason, f.cause, f.place = "", "", ""
}
