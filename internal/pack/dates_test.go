package pack

import (
	"strings"
	"testing"
)

// TestImpossibleDates: each date a person cannot have is a problem naming
// the person and the field (issue 18: an arrest on 0001-01-02, born after
// the arrest, a release date on someone in custody). now is 2025-06-01.
func TestImpossibleDates(t *testing.T) {
	for _, c := range []struct {
		name, top, person, want string // want "" for no problem
	}{
		{"a plain record", "", `,"born":"1990-04-01","arrested":"2022-03-15","verified":"2024-05-20"`, ""},
		{"arrest before 1900", "", `,"arrested":"0001-01-02"`, `people[0] "p-0": arrested: "0001-01-02" is before 1900-01-01`},
		{"arrest on 1899-12-31", "", `,"arrested":"1899-12-31"`, `arrested: "1899-12-31" is before 1900-01-01`},
		{"arrest on 1900-01-01", "", `,"arrested":"1900-01-01"`, ""},
		{"release before 1900", "", `,"status":"released","released":"1812-06-24"`, `released: "1812-06-24" is before 1900-01-01`},
		{"death before 1900", "", `,"status":"died_in_custody","died":"1899-01-01"`, `died: "1899-01-01" is before 1900-01-01`},
		{"verified before 1900", "", `,"verified":"0999-01-01"`, `verified: "0999-01-01" is before 1900-01-01`},
		{"born before 1900", "", `,"born":"1850-01-01"`, `born: "1850-01-01" is before 1900-01-01`},
		{"born in a year before 1900", "", `,"born":"1066"`, `born: "1066" is before 1900`},
		{"published before 1900", "", "", ""},
		{"arrest in the future", "", `,"arrested":"2025-06-03"`, `arrested: "2025-06-03" is in the future`},
		{"arrest today, anywhere on Earth", "", `,"arrested":"2025-06-02"`, ""},
		{"arrest after the record was verified", "", `,"arrested":"2024-06-01","verified":"2024-05-20"`, `people[0] "p-0": arrested: "2024-06-01" is after the record was verified on "2024-05-20"`},
		{"death after the record was verified", "", `,"status":"died_in_custody","died":"2024-06-01","verified":"2024-05-20"`, `died: "2024-06-01" is after the record was verified`},
		{"born after the arrest", "", `,"born":"2023-01-01","arrested":"2022-03-15"`, `people[0] "p-0": born: "2023-01-01" is after the arrest on "2022-03-15"`},
		{"born in a year after the arrest", "", `,"born":"2023","arrested":"2022-03-15"`, `born: "2023" is after the arrest on "2022-03-15"`},
		{"born the year of the arrest", "", `,"born":"2022","arrested":"2022-03-15"`, ""},
		{"born on the day of the arrest", "", `,"born":"2022-03-15","arrested":"2022-03-15"`, ""},
		{"a birthday without a year", "", `,"born":"--12-31","arrested":"2022-03-15"`, ""},
		{"born after death", "", `,"status":"died_in_custody","born":"2024-01-01","died":"2023-01-01"`, `born: "2024-01-01" is after the death on "2023-01-01"`},
		{"released while in custody", "", `,"arrested":"2022-03-15","released":"2023-01-01"`, `people[0] "p-0": released: "2023-01-01" is given, but the status is in_custody`},
		{"released while in pretrial detention", "", `,"status":"pretrial","released":"2023-01-01"`, `released: "2023-01-01" is given, but the status is pretrial`},
		{"released to house arrest", "", `,"status":"house_arrest","arrested":"2022-03-15","released":"2023-01-01"`, ""},
		{"released", "", `,"status":"released","arrested":"2022-03-15","released":"2023-01-01"`, ""},
		{"died while in custody", "", `,"died":"2023-01-01"`, `died: "2023-01-01" is given, but the status is in_custody`},
		{"stat before 1900", `,"stats":[{"label":"x","value":1,"as_of":"1800-01-01","source":"s"}]`, "", `stats[0].as_of: "1800-01-01" is before 1900-01-01`},
		{"a pack's day before 1900", `,"days":[{"date":"1899-05-21","title":"x"}]`, "", `days[0].date: "1899-05-21" is before 1900-01-01`},
		{"review_by before 1900", `,"review_by":"0001-01-01"`, "", `review_by: "0001-01-01" is before 1900-01-01`},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := minimal(c.top, c.person)
			if strings.Contains(c.person, `"status"`) {
				data = strings.Replace(data, `,"status":"in_custody"`, "", 1)
			}
			if c.name == "published before 1900" {
				data = strings.Replace(data, `"published":"2024-05-20"`, `"published":"1899-12-31"`, 1)
				c.want = `published: "1899-12-31" is before 1900-01-01`
			}
			got, ok := parseProblems(t, data)
			if !ok {
				t.Fatalf("not parsed: %s", got)
			}
			if c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
				t.Errorf("\n got %q\nwant %q", got, c.want)
			}
		})
	}
}
