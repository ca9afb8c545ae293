package pack

import (
	"fmt"
	"strings"
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
}

// String formats the problem as
// `pack.json: people[12] "hanna-ablab": arrested: "2022-13-01" is not a date`.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	b.WriteString(": ")
	if p.Index >= 0 {
		fmt.Fprintf(&b, "people[%d]", p.Index)
		if p.PersonID != "" {
			fmt.Fprintf(&b, " %q", p.PersonID)
		}
		b.WriteString(": ")
	}
	if p.Field != "" {
		b.WriteString(p.Field)
		b.WriteString(": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is every problem found; it is an error when not empty.
type Problems []Problem

// Error lists the problems, one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Err is nil when there are no problems, else ps itself.
func (ps Problems) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// problemf makes a manifest problem that is not about a person.
func problemf(field, format string, args ...any) Problem {
	return Problem{File: ManifestFile, Index: -1, Field: field, Msg: fmt.Sprintf(format, args...)}
}
