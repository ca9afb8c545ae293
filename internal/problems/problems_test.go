package problems

import (
	"fmt"
	"strings"
	"testing"
)

type prob struct {
	file string
	n    int
	more int
}

func (p prob) String() string {
	if p.more > 0 {
		return fmt.Sprintf("%s: … and %d more", p.file, p.more)
	}
	return fmt.Sprintf("%s: problem %d", p.file, p.n)
}
func (p prob) Left() int          { return p.more }
func (p prob) Trailer(n int) prob { return prob{file: p.file, more: n} }

func list(n int) List[prob] {
	var l List[prob]
	for i := range n {
		l = append(l, prob{file: "list.csv", n: i})
	}
	return l
}

func TestCappedCountsWhatItLeavesOut(t *testing.T) {
	if l := list(Max); len(l.Capped()) != Max || l.Count() != Max {
		t.Fatalf("a list of exactly Max was cut: %d", len(l.Capped()))
	}
	c := list(Max + 50).Capped()
	if len(c) != Max+1 || c[Max].Left() != 50 || c.Count() != Max+50 {
		t.Fatalf("cut list: %d lines, last %v, count %d", len(c), c[Max], c.Count())
	}
	if !strings.HasSuffix(c.Error(), "list.csv: … and 50 more") {
		t.Fatalf("last line: %q", c.Error()[len(c.Error())-40:])
	}
	joined := append(append(List[prob]{}, c...), list(Max+10).Capped()...).Capped()
	if joined.Count() != 2*Max+60 || len(joined) != Max+1 {
		t.Fatalf("two cut lists joined: %d lines counting %d", len(joined), joined.Count())
	}
	if List[prob](nil).Err() != nil || list(1).Err() == nil {
		t.Fatal("Err: nil only for no problems")
	}
}
