package packbuild

import (
	"errors"
	"strings"
	"testing"
)

// FuzzMap feeds any bytes to Map: it must not panic, a failure must list
// its problems, and whatever it accepts must be a valid pack manifest with
// unique ids, and problems located in the file.
func FuzzMap(f *testing.F) {
	for _, c := range mapCases {
		f.Add([]byte(c.csv), c.langs != nil)
	}
	f.Add([]byte("name;status\n\"a\n\"\"b\";active\n"), false)
	// Limits: a quote never closed, blank lines, a long cell, many columns.
	f.Add([]byte("name,status,country\n\"Person,in_custody,BY\n"+strings.Repeat("x,y\n", 300)), false)
	f.Add([]byte("\r\n\r\n\nname,status,country\n\n\nA,active,BY\n"), false)
	f.Add([]byte("name,status,country,bio\nA,active,BY,"+strings.Repeat("b", MaxCellBytes+1)+"\n"), false)
	f.Add([]byte(strings.Repeat("x,", MaxColumns)+"name,status\n"), true)
	f.Fuzz(func(t *testing.T, data []byte, langs bool) {
		opt := testOptions()
		if langs {
			opt.Languages = []string{"be", "en"}
		}
		sh, err := Map(data, opt)
		if err != nil {
			var probs Problems
			if !errors.As(err, &probs) || len(probs) == 0 {
				t.Fatalf("failed without problems: %v", err)
			}
			return
		}
		if len(sh.Problems) > MaxProblems+1 {
			t.Fatalf("%d problems listed", len(sh.Problems))
		}
		for _, p := range sh.Problems {
			if p.File != "list.csv" || p.Row < 0 || (p.Reason == "" && p.More == 0) {
				t.Fatalf("badly located problem: %#v", p)
			}
		}
		seen := map[string]bool{}
		for i, p := range sh.Manifest.People {
			if seen[p.ID] {
				t.Fatalf("id %q twice", p.ID)
			}
			seen[p.ID] = true
			if i > 0 && sh.Rows[i].Line <= sh.Rows[i-1].Line {
				t.Fatalf("rows out of order: %v", sh.Rows)
			}
		}
		checkSheet(t, sh)
	})
}
