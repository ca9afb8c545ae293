package pack

import (
	"strings"
	"testing"
)

func TestPhotoExtensionsAreOneList(t *testing.T) {
	for _, ext := range PhotoExtensions {
		if PhotoFormat(ext) == "" || PhotoFormat(strings.ToUpper(ext)) == "" {
			t.Errorf("%s has no format", ext)
		}
		if msg := checkPhotoPath("photos/a" + ext); msg != "" {
			t.Errorf("photos/a%s refused: %s", ext, msg)
		}
	}
	msg := checkPhotoPath("photos/a.gif")
	for _, ext := range PhotoExtensions {
		if !strings.Contains(msg, ext) {
			t.Errorf("the refusal %q does not name %s", msg, ext)
		}
	}
	if PhotoFormat(".gif") != "" || PhotoFormat(".heic") != "" {
		t.Error("a format the pack format does not have")
	}
}

func TestStatusTable(t *testing.T) {
	for _, s := range Statuses {
		got, ok := StatusOf(s.Key)
		if !ok || got.Key != s.Key {
			t.Errorf("StatusOf(%s) = %v %v", s.Key, got.Key, ok)
		}
		if s.Colour.A != 0xFF {
			t.Errorf("%s has no colour", s.Key)
		}
	}
	if got, ok := StatusOf("jailed"); ok || got.Key != StatusUnknown {
		t.Errorf("StatusOf(jailed) = %v %v, want unknown's entry and false", got.Key, ok)
	}
	if !IsDetention(StatusHouseArrest) || IsDetention(StatusReleased) || !IsMemorial(StatusDiedInCustody) || IsMemorial(StatusUnknown) {
		t.Error("detention or memorial wrong in the table")
	}
}

func TestGenderAndDaysAreRead(t *testing.T) {
	cases := []struct{ top, person, want string }{
		{`,"days":[{"date":"--05-21","title":{"en":"Day of Solidarity"},"people":["p-0"]},{"date":"2030-03-08","title":"8 March"}]`, `,"gender":"female"`, ""},
		{"", `,"gender":"male"`, ""},
		{"", `,"gender":"f"`, `gender: "f" is not one of female, male`},
		{`,"days":[{"date":"--02-30","title":"x"}]`, "", `days[0].date: "--02-30" is not a day of the year`},
		{`,"days":[{"date":"21.05.2024","title":"x"}]`, "", `days[0].date: "21.05.2024" is not a date`},
		{`,"days":[{"date":"--05-21"}]`, "", `days[0].title: missing`},
		{`,"days":[{"date":"--05-21","title":"` + strings.Repeat("x", 121) + `"}]`, "", `days[0].title`},
		{`,"days":[{"date":"--05-21","title":"x","people":["nobody"]}]`, "", `days[0].people[0]: "nobody" is not a person of this pack`},
		{`,"days":[{"date":"--05-21","title":"x","colour":"red"}]`, "", `colour`},
	}
	for _, c := range cases {
		got, ok := parseProblems(t, minimal(c.top, c.person))
		if !ok {
			t.Fatalf("%s %s: not parsed: %s", c.top, c.person, got)
		}
		if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%s %s:\n got %q\nwant %q", c.top, c.person, got, c.want)
		}
	}
	m, _ := Parse([]byte(minimal(cases[0].top, cases[0].person)))
	if m.People[0].Gender != GenderFemale || len(m.Days) != 2 || m.Days[0].People[0] != "p-0" || m.Days[1].Title.Get("en", nil) != "8 March" {
		t.Errorf("read %+v %+v", m.People[0].Gender, m.Days)
	}
}
