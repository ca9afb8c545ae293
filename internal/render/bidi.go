package render

import "github.com/solidarity-kiosk/kiosk/internal/textdir"

// visualRuns splits a line into its direction runs in the order they
// appear on screen from left to right (see internal/textdir). Fyne lays
// every line out left to right (fyne#90), so the slides do this themselves.
func visualRuns(s string) []textdir.Run { return textdir.Runs(s) }
