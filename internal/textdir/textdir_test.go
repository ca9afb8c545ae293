package textdir

import (
	"reflect"
	"testing"
)

func TestRunsOrderMixedLines(t *testing.T) {
	for line, want := range map[string][]string{
		"Hanna Ablab":    {"Hanna Ablab"},
		"Ганна · آستیاژ": {"Ганна · ", "آستیاژ"},
		"۱۰ سال و ۶ ماه": {" ماه", "۶", " سال و ", "۱۰"},
		// Hebrew is laid out like Persian (issue 18).
		"שלום BMW עליכם": {" עליכם", "BMW", "שלום "},
		"שלום 2025":      {"2025", "שלום "},
		"Ганна · שלום":   {"Ганна · ", "שלום"},
	} {
		var got []string
		for _, r := range Runs(line) {
			got = append(got, r.Text)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%q: %q, want %q", line, got, want)
		}
	}
}

func TestReorderReversesRightToLeftRuns(t *testing.T) {
	type seg struct {
		s  string
		lv int
	}
	got := Reorder([]seg{{"a", 0}, {"b", 1}, {"c", 1}, {"d", 2}, {"e", 1}, {"f", 0}}, func(s seg) int { return s.lv })
	var order string
	for _, s := range got {
		order += s.s
	}
	if order != "aedcbf" {
		t.Fatalf("reordered %q, want aedcbf (levels 1-2 reversed as one, the 2 inside kept)", order)
	}
	if !RightToLeft("۱۲ آستیاژ") || RightToLeft("12 Hanna") {
		t.Fatal("a line's direction is its first letter's")
	}
}
