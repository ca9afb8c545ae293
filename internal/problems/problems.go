// Package problems is the one list of things wrong with an input that
// every checker returns (a pack's manifest and files, a spreadsheet's rows):
// one problem a line, the list cut at Max with one last line saying how
// many more there are, and the list itself an error when not empty. Each
// checker has its own problem type (where in the pack, where in the
// sheet); the list's behaviour is written once, here.
package problems

import "strings"

// Max is the most problems a list shows; the rest are counted in its last line.
const Max = 200

// Item is one problem of a list of T.
type Item[T any] interface {
	// String is the problem as one line.
	String() string
	// Left is how many problems this line stands for that a cut list does
	// not show; 0 for a problem of its own.
	Left() int
	// Trailer is the last line of a list cut at Max, standing for n more
	// problems; it is called on the first problem kept (which may lend it
	// its file).
	Trailer(n int) T
}

// List is every problem found; it is an error when not empty.
type List[T Item[T]] []T

// Error lists the problems, one per line, at most Max of them and then how
// many more there are.
func (ps List[T]) Error() string {
	ps = ps.Capped()
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Err is nil when there are no problems, else ps itself.
func (ps List[T]) Err() error {
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// Count is the number of problems, counting those a cut list stands for.
func (ps List[T]) Count() int {
	n := 0
	for _, p := range ps {
		if l := p.Left(); l > 0 {
			n += l
		} else {
			n++
		}
	}
	return n
}

// Capped returns the first Max problems, followed, when there are more, by
// one trailer standing for how many more there are. Lists joined from
// several checks, each cut already, are cut again as a whole.
func (ps List[T]) Capped() List[T] {
	if len(ps) <= Max && ps.Count() == len(ps) {
		return ps
	}
	out := make(List[T], 0, Max+1)
	more := 0
	for _, p := range ps {
		switch {
		case p.Left() > 0:
			more += p.Left()
		case len(out) < Max:
			out = append(out, p)
		default:
			more++
		}
	}
	if more > 0 {
		var first T
		if len(out) > 0 {
			first = out[0]
		} else {
			first = ps[0]
		}
		out = append(out, first.Trailer(more))
	}
	return out
}
