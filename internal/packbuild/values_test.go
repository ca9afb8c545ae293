package packbuild

import (
	"fmt"
	"strings"
	"testing"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

func TestParseDate(t *testing.T) {
	for _, c := range []struct{ in, iso, msg string }{
		{"2022-03-15", "2022-03-15", ""},
		{"2022-3-5", "2022-03-05", ""},
		{"15.03.2022", "2022-03-15", ""},
		{"5.3.2022", "2022-03-05", ""},
		{"2025-06-02", "2025-06-02", ""}, // tomorrow in UTC+14 is not yet the future
		{"2025-06-03", "", `"2025-06-03" is in the future`},
		{"29.02.2023", "", `"29.02.2023" is not a date (want YYYY-MM-DD or DD.MM.YYYY)`},
		{"03/15/2022", "", "is not a date"},
		{"15.03.22", "", "is not a date"},
		{"", "", "is not a date"},
	} {
		iso, msg := parseDate(c.in, latestDate(now.Add(12*60*60*1e9)))
		if iso != c.iso || !strings.Contains(msg, c.msg) || (c.msg == "") != (msg == "") {
			t.Errorf("parseDate(%q) = %q, %q; want %q, %q", c.in, iso, msg, c.iso, c.msg)
		}
	}
}

func TestParseBorn(t *testing.T) {
	for in, want := range map[string]string{
		"1980": "1980", "--03-02": "--03-02", "2.3": "--03-02", "02.03.1980": "1980-03-02",
		"1980-03-02": "1980-03-02", "2030": "", "--02-30": "", "31.02": "", "born 1980": "",
	} {
		got, msg := parseBorn(in, latestDate(now))
		if got != want || (want == "") != (msg != "") {
			t.Errorf("parseBorn(%q) = %q, %q; want %q", in, got, msg, want)
		}
	}
}

func TestParseStatus(t *testing.T) {
	for in, want := range map[string]string{
		"in_custody": pack.StatusInCustody, "In custody": pack.StatusInCustody, "HOUSE-ARREST": pack.StatusHouseArrest,
		"died_in_custody": pack.StatusDiedInCustody, "active": pack.StatusInCustody, "Former": pack.StatusReleased,
		"действующий": pack.StatusInCustody, "Действующая политзаключенная": pack.StatusInCustody,
		"бывший": pack.StatusReleased, "дзейны": pack.StatusInCustody, "былы": pack.StatusReleased,
		"jailed": "", "": "", "in custody now": "",
	} {
		got, msg := parseStatus(in)
		if got != want || (want == "") != (msg != "") {
			t.Errorf("parseStatus(%q) = %q, %q; want %q", in, got, msg, want)
		}
	}
}

func TestParseCharges(t *testing.T) {
	for in, want := range map[string][]pack.Charge{
		"356; 130":                   {{Code: "356"}, {Code: "130"}},
		"356 High treason":           {{Code: "356", Label: pack.Text{"en": "High treason"}}},
		"342.1 — Riots\n130: Hatred": {{Code: "342.1", Label: pack.Text{"en": "Riots"}}, {Code: "130", Label: pack.Text{"en": "Hatred"}}},
		"ч. 1 ст. 342 УК":            {{Code: "342", Label: pack.Text{"en": "ч. 1 ст. 342 УК"}}},
		"High treason; ;":            {{Label: pack.Text{"en": "High treason"}}},
	} {
		eq(t, fmt.Sprintf("parseCharges(%q)", in), parseCharges(in, "en"), want)
	}
}

func TestSlugAndMatchKey(t *testing.T) {
	for _, c := range []struct{ in, lang, want string }{
		{"Ганна Аблаб", "be", "hanna-ablab"},
		{"Ганна Аблаб", "ru", "ganna-ablab"},
		{"Ігар Лосік", "be", "ihar-losik"},
		{"Щербаков Ёжик", "ru", "shcherbakov-iozhik"},
		{"Ingrida Šimonytė", "en", "ingrida-simonyte"},
		{"  Łukasz O'Brien  ", "en", "lukasz-o-brien"},
		{"نرگس محمدی", "fa", ""},
		{strings.Repeat("a", 80), "en", strings.Repeat("a", maxSlug)},
	} {
		if got := slug(c.in, c.lang); got != c.want {
			t.Errorf("slug(%q, %q) = %q, want %q", c.in, c.lang, got, c.want)
		}
	}
	for a, b := range map[string]string{
		"Ganna Ablab": "ganna ablab", "Šimonytė": "simonyte", "hanna-ablab": "Hanna_Ablab",
		"ŠIMONYTĖ  x": "simonyte-x", "Ганна Аблаб": "ганна_аблаб",
	} {
		if matchKey(a) != matchKey(b) {
			t.Errorf("matchKey(%q) = %q != matchKey(%q) = %q", a, matchKey(a), b, matchKey(b))
		}
	}
	if matchKey("Hanna Ablab") == matchKey("Hanna Ablab 2") {
		t.Error("different names have the same key")
	}
}

func TestRowProblemString(t *testing.T) {
	for _, c := range []struct {
		p    RowProblem
		want string
	}{
		{RowProblem{File: "list.csv", Row: 14, Column: "arrested", Reason: "bad"}, `list.csv: row 14, column "arrested": bad`},
		{RowProblem{File: "list.csv", Row: 3, Reason: "has 2 cells"}, "list.csv: row 3: has 2 cells"},
		{RowProblem{File: "list.csv", Reason: "the file is empty"}, "list.csv: the file is empty"},
	} {
		eq(t, "String", c.p.String(), c.want)
	}
	eq(t, "Error", Problems{{File: "a", Reason: "x"}, {File: "a", Row: 2, Reason: "y"}}.Error(), "a: x\na: row 2: y")
	if (Problems{}).Err() != nil {
		t.Error("no problems is an error")
	}
}

func TestMapTooManyPeople(t *testing.T) {
	var b strings.Builder
	b.WriteString("name,country,status\n")
	for i := 0; i <= pack.MaxPeople; i++ {
		fmt.Fprintf(&b, "Person %d,BY,unknown\n", i)
	}
	sh, err := Map([]byte(b.String()), testOptions())
	if err != nil {
		t.Fatal(err)
	}
	eq(t, "people", len(sh.Manifest.People), pack.MaxPeople)
	matchProblems(t, sh.Problems, []want{{pack.MaxPeople + 2, "", "a pack holds at most 10000 people"}})
	checkSheet(t, sh)
}
