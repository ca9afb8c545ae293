package pack

import (
	"fmt"
	"strings"

	"github.com/solidarity-kiosk/kiosk/internal/problems"
)

// ManifestFile is the manifest's name inside a pack.
const ManifestFile = "pack.json"

// Problem is one thing wrong with a pack, located by file, person and field.
type Problem struct {
	File     string // the file inside the pack (or the zip) the problem is in
	Index    int    // the person's index in people, or -1
	PersonID string // the person's id, when known
	Field    string // the field path, e.g. "arrested" or "links[0].url"
	Msg      string
	// More, when not 0, makes this the last line of a list cut at
	// MaxProblems: it stands for More problems not listed.
	More int
}

// maxMsgBytes bounds a problem's message as printed: messages quote the
// values they refuse, and a value can be long.
const maxMsgBytes = 600

// String formats the problem as
// `pack.json: people[12] "hanna-ablab": arrested: "2022-13-01" is not a date`.
func (p Problem) String() string {
	if p.More > 0 {
		return fmt.Sprintf("… and %d more problems (only the first %d are listed)", p.More, MaxProblems)
	}
	var b strings.Builder
	b.WriteString(p.File)
	b.WriteString(": ")
	if p.Index >= 0 {
		fmt.Fprintf(&b, "people[%d]", p.Index)
		if p.PersonID != "" {
			fmt.Fprintf(&b, " %q", clip(p.PersonID, 100))
		}
		b.WriteString(": ")
	}
	if p.Field != "" {
		b.WriteString(clip(p.Field, 300))
		b.WriteString(": ")
	}
	b.WriteString(clip(p.Msg, maxMsgBytes))
	return b.String()
}

// Problems is every problem found; it is an error when not empty (the
// list's behaviour, cut at MaxProblems, is internal/problems').
type Problems = problems.List[Problem]

// Left is how many problems this line stands for in a cut list.
func (p Problem) Left() int { return p.More }

// Trailer is the last line of a list cut at MaxProblems.
func (p Problem) Trailer(n int) Problem { return Problem{Index: -1, More: n} }

// problemf makes a manifest problem that is not about a person.
func problemf(field, format string, args ...any) Problem {
	return Problem{File: ManifestFile, Index: -1, Field: field, Msg: fmt.Sprintf(format, args...)}
}
