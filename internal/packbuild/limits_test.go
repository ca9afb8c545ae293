package packbuild

import (
	"fmt"
	"strings"
	"testing"
)

// mapText runs Map and returns whether it succeeded and every problem.
func mapText(t *testing.T, csv string) (*Sheet, string) {
	t.Helper()
	sh, err := Map([]byte(csv), testOptions())
	if err != nil {
		return nil, err.Error()
	}
	return sh, sh.Problems.Error()
}

// rows is n valid rows of name,status,country.
func rows(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "Person %d,in_custody,BY\n", i)
	}
	return b.String()
}

// rowOf is person 0's row followed by cells of "a" filling it to n bytes;
// the header has 3+cells columns.
func rowOf(n, cells int) string {
	start := "Person 0,in_custody,BY"
	fill := n - len(start) - cells
	parts := []string{start}
	for i := range cells {
		size := fill / cells
		if i < fill%cells {
			size++
		}
		parts = append(parts, strings.Repeat("a", size))
	}
	return strings.Join(parts, ",")
}

func wideHeader(columns int) string {
	cols := []string{"name", "status", "country"}
	for i := 3; i < columns; i++ {
		cols = append(cols, fmt.Sprintf("x%d", i))
	}
	return strings.Join(cols, ",") + "\n"
}

// TestSheetLimits checks each limit at the limit (read, one person) and
// one past it (the message names the file, row and column).
func TestSheetLimits(t *testing.T) {
	const head = "name,status,country"
	for _, tc := range []struct {
		name     string
		at, over string
		fatal    bool   // one past the limit, Map fails
		want     string // the problem one past it
		only     string // a phrase only that problem has
	}{
		{
			"columns", wideHeader(MaxColumns) + "Person 0,in_custody,BY" + strings.Repeat(",", MaxColumns-3) + "\n",
			wideHeader(MaxColumns+1) + "Person 0,in_custody,BY" + strings.Repeat(",", MaxColumns-2) + "\n",
			true, "list.csv: row 1: the header has 201 columns; the limit is 200", "columns; the limit",
		},
		{
			"cell", head + ",bio\nPerson 0,in_custody,BY,\nPerson 1,in_custody,BY," + strings.Repeat("a", MaxCellBytes) + "\n",
			head + ",bio\nPerson 0,in_custody,BY,\nPerson 1,in_custody,BY," + strings.Repeat("a", MaxCellBytes+1) + "\n",
			false, `list.csv: row 3, column "bio": is 32769 bytes long; no cell may be longer than 32768`, "no cell may be",
		},
		{
			"header cell", head + "," + strings.Repeat("h", MaxCellBytes) + "\nPerson 0,in_custody,BY,\n",
			head + "," + strings.Repeat("h", MaxCellBytes+1) + "\nPerson 0,in_custody,BY,\n",
			true, `list.csv: row 1, column "#4": is 32769 bytes long; no cell may be longer than 32768`, "no cell may be",
		},
		{
			"row", wideHeader(40) + rowOf(MaxRowBytes, 37) + "\n",
			wideHeader(40) + rowOf(MaxRowBytes+1, 37) + "\n",
			true, "list.csv: row 2: the row is longer than 1048576 bytes, the limit (a quote that is never closed?)", "longer than",
		},
		{
			"row with CRLF", wideHeader(40) + rowOf(MaxRowBytes, 37) + "\r\n",
			wideHeader(40) + rowOf(MaxRowBytes+1, 37) + "\r\n",
			true, "list.csv: row 2: the row is longer than 1048576 bytes", "longer than",
		},
		{
			"row after blank lines", wideHeader(40) + strings.Repeat("\n", 3*MaxRowBytes) + rowOf(MaxRowBytes, 37) + "\n",
			wideHeader(40) + strings.Repeat("\n", 3*MaxRowBytes) + rowOf(MaxRowBytes+1, 37) + "\n",
			true, fmt.Sprintf("list.csv: row %d: the row is longer than 1048576 bytes", 3*MaxRowBytes+2), "longer than",
		},
		{
			"a quote never closed", head + "\nPerson 0,in_custody,BY\n\"Person 1,in_custody,BY\n" + strings.Repeat("x,y\n", MaxRowBytes/8),
			head + "\nPerson 0,in_custody,BY\n\"Person 1,in_custody,BY\n" + strings.Repeat("x,y\n", MaxRowBytes/2),
			true, "list.csv: row 3: the row is longer than 1048576 bytes, the limit (a quote that is never closed?)", "longer than",
		},
		{
			"rows", head + "\n" + rows(MaxRows), head + "\n" + rows(MaxRows+1),
			true, "list.csv: row 20002: more than 20000 rows; a pack holds at most 10000 people: split the list", "more than",
		},
		{
			"blank rows count", head + "\n" + rows(1) + strings.Repeat(",,\n", MaxRows-1), head + "\n" + rows(1) + strings.Repeat(",,\n", MaxRows),
			true, "more than 20000 rows", "more than",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sh, out := mapText(t, tc.at)
			if sh == nil || len(sh.Manifest.People) == 0 {
				t.Fatalf("at the limit: no person: %.500s", out)
			}
			if strings.Contains(out, tc.only) {
				t.Fatalf("at the limit: %.500s", out)
			}
			sh, out = mapText(t, tc.over)
			if (sh == nil) != tc.fatal {
				t.Errorf("one past the limit: Map failed %v, want %v", sh == nil, tc.fatal)
			}
			if !strings.Contains(out, tc.want) {
				t.Errorf("one past the limit: want\n  %s\ngot\n  %.1000s", tc.want, out)
			}
		})
	}
}

func TestSheetSizeLimit(t *testing.T) {
	data := make([]byte, MaxCSVBytes+1)
	_, err := Map(data, testOptions())
	if err == nil || err.Error() != "list.csv: is 67108865 bytes; the limit is 67108864 (64 MiB)" {
		t.Fatalf("Map of 64 MiB + 1: %v", err)
	}
}

// TestBlankLinesAreFree: blank lines, which the CSV reader skips, do not
// count towards the row after them, however many there are.
func TestBlankLinesAreFree(t *testing.T) {
	_, out := mapText(t, strings.Repeat("\r\n", 4*MaxRowBytes))
	if out != "list.csv: the file is empty; want a header row and one row per person" {
		t.Fatalf("%.300s", out)
	}
}

func TestSheetProblemsAreCapped(t *testing.T) {
	sh, _ := mapText(t, "name,status,country\n"+strings.ReplaceAll(rows(500), "in_custody", "jailed"))
	if sh == nil {
		t.Fatal("Map failed")
	}
	p := sh.Problems
	if len(p) != MaxProblems+1 || p[MaxProblems].More != 300 || p.Count() != 500 {
		t.Fatalf("%d listed, count %d", len(p), p.Count())
	}
	lines := strings.Split(p.Error(), "\n")
	if !strings.HasPrefix(lines[0], `list.csv: row 2, column "status": "jailed"`) {
		t.Errorf("first: %s", lines[0])
	}
	if last := lines[len(lines)-1]; last != "list.csv: … and 300 more problems (only the first 200 are listed)" {
		t.Errorf("last: %s", last)
	}
	// Joined with more problems, the list is cut again as a whole.
	all := append(Problems{{File: "list.csv", Row: 1, Reason: "first"}}, p...)
	if c := all.Capped(); len(c) != MaxProblems+1 || c.Count() != 501 || c[0].Reason != "first" {
		t.Fatalf("Capped: %d listed, count %d", len(c), c.Count())
	}
}
