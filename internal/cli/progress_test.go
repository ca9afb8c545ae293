package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/importer"
)

// TestProgressWithoutATerminalIsPlainLines: a log or a pipe gets a line at
// the start and at each tenth, never a bar's control characters.
func TestProgressWithoutATerminalIsPlainLines(t *testing.T) {
	var out bytes.Buffer
	report := progressReporter(&out, "rally.zip")
	for done := 0; done <= 40; done++ {
		report(importer.Progress{People: 50, PeopleDone: 10 + done, Photos: 40, PhotosDone: done})
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 11 || strings.ContainsAny(out.String(), "\r\x1b") {
		t.Fatalf("%d lines:\n%s", len(lines), out.String())
	}
	if lines[0] != "rally.zip: people 10/50, photos 0/40" || lines[10] != "rally.zip: people 50/50, photos 40/40" {
		t.Fatalf("first and last lines: %q, %q", lines[0], lines[10])
	}
}
