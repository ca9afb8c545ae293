package packbuild

import (
	"fmt"
	"strings"

	"github.com/solidarity-kiosk/kiosk/internal/problems"
)

// RowProblem is one thing wrong with the spreadsheet, located by file, row
// and column.
type RowProblem struct {
	File   string // the spreadsheet's base name, e.g. "list.csv"
	Row    int    // the CSV line the row starts on, the header being line 1; 0 for the whole file
	Column string // the column's header as written, or the field name when there is no column; may be empty
	Reason string
	// More, when not 0, makes this the last line of a list cut at
	// MaxProblems: it stands for More problems not listed.
	More int
}

// String formats the problem as
// `list.csv: row 14, column "arrested": "31.02.2022" is not a date (want YYYY-MM-DD or DD.MM.YYYY)`.
func (p RowProblem) String() string {
	if p.More > 0 {
		return moreLine(p.File, p.More)
	}
	var b strings.Builder
	b.WriteString(p.File)
	b.WriteString(": ")
	if p.Row > 0 {
		fmt.Fprintf(&b, "row %d", p.Row)
		if p.Column != "" {
			fmt.Fprintf(&b, ", column %q", clip(p.Column, 100))
		}
		b.WriteString(": ")
	} else if p.Column != "" {
		fmt.Fprintf(&b, "column %q: ", clip(p.Column, 100))
	}
	b.WriteString(clip(p.Reason, 600))
	return b.String()
}

// Problems is every problem found; as an error it lists them one per line
// (the list's behaviour, cut at MaxProblems, is internal/problems').
type Problems = problems.List[RowProblem]

// Left is how many problems this line stands for in a cut list.
func (p RowProblem) Left() int { return p.More }

// Trailer is the last line of a list cut at MaxProblems, in p's file.
func (p RowProblem) Trailer(n int) RowProblem { return RowProblem{File: p.File, More: n} }
