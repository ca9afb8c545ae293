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

// Problems is every problem found; it is an error when not empty.
type Problems []Problem

// Error lists the problems, one per line, at most MaxProblems of them and
// then how many more there are.
func (ps Problems) Error() string {
	ps = ps.Capped()
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

// Count is the number of problems, counting those a cut list stands for.
func (ps Problems) Count() int {
	n := 0
	for _, p := range ps {
		if p.More > 0 {
			n += p.More
		} else {
			n++
		}
	}
	return n
}

// Capped returns the first MaxProblems problems, followed, when there are
// more, by one Problem with More set to how many more there are. Lists
// joined from several checks, each cut already, are cut again as a whole.
func (ps Problems) Capped() Problems {
	if len(ps) <= MaxProblems && ps.Count() == len(ps) {
		return ps
	}
	out := make(Problems, 0, MaxProblems+1)
	more := 0
	for _, p := range ps {
		switch {
		case p.More > 0:
			more += p.More
		case len(out) < MaxProblems:
			out = append(out, p)
		default:
			more++
		}
	}
	if more > 0 {
		out = append(out, Problem{Index: -1, More: more})
	}
	return out
}

// problemf makes a manifest problem that is not about a person.
func problemf(field, format string, args ...any) Problem {
	return Problem{File: ManifestFile, Index: -1, Field: field, Msg: fmt.Sprintf(format, args...)}
}
