package cli

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/solidarity-kiosk/kiosk/internal/importer"
)

// progressReporter shows an import's progress: a bar that redraws itself
// when w is a terminal, else plain lines in tenths that a log keeps.
func progressReporter(w io.Writer, path string) func(importer.Progress) {
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return terminalBar(w, path)
	}
	return progressLines(w, path)
}

// terminalBar draws a bar of photos prepared, with the people done in its
// description. The library redraws in place and handles the terminal width;
// writing that ourselves would be more code than the rest of this file.
func terminalBar(w io.Writer, path string) func(importer.Progress) {
	var bar *progressbar.ProgressBar
	return func(p importer.Progress) {
		if bar == nil {
			bar = progressbar.NewOptions(max(p.Photos, 1),
				progressbar.OptionSetWriter(w),
				progressbar.OptionSetWidth(30),
				progressbar.OptionShowCount(),
				progressbar.OptionSetPredictTime(true),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionOnCompletion(func() { fmt.Fprintln(w) }),
			)
		}
		bar.Describe(fmt.Sprintf("%s: people %d/%d, photos", path, p.PeopleDone, p.People))
		_ = bar.Set(p.PhotosDone)
		if p.Photos == 0 {
			_ = bar.Finish()
		}
	}
}

// progressLines prints a line at the start and at every further tenth.
func progressLines(w io.Writer, path string) func(importer.Progress) {
	last := -1
	return func(p importer.Progress) {
		tenth := 10
		if p.Photos > 0 {
			tenth = p.PhotosDone * 10 / p.Photos
		}
		if tenth == last {
			return
		}
		last = tenth
		fmt.Fprintf(w, "%s: people %d/%d, photos %d/%d\n", path, p.PeopleDone, p.People, p.PhotosDone, p.Photos)
	}
}
