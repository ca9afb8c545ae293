package packbuild

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

var now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func testOptions() Options {
	return Options{CSV: "/some/where/list.csv", Out: "out.zip", Now: func() time.Time { return now }}
}

// want is a problem expected at a row and column, with part of its reason.
type want struct {
	row    int
	column string
	reason string // a substring of the reason; "" for any
}

type mapCase struct {
	name  string
	csv   string
	langs []string
	fatal []want // Map fails with exactly these problems
	probs []want // Map succeeds with exactly these problems
	check func(t *testing.T, sh *Sheet)
}

var mapCases = []mapCase{
	{
		name: "kiosk columns, comma, English",
		csv: "id,name,name.be,country,status,born,arrested,sentence,charges,occupation.be,facility,address,letter_url,petition_url,consent.address,weight,source,source_url,contact,verified,photo_credit,bio\n" +
			"hanna-ablab,Hanna Ablab,Ганна Аблаб,by,In custody,--03-02,2022-03-15,11 years of imprisonment,356 High treason; 130,Чыгуначніца,IK-4,\"IK-4\nul. Antoshkina 3\n246035 Gomel\",https://example.org/letters/hanna,https://example.org/petition,yes,\"1,5\",Viasna,https://spring96.org,Restricted,1.6.2025,Family archive,\"Line one\nline two\"\n",
		check: func(t *testing.T, sh *Sheet) {
			m := sh.Manifest
			eq(t, "family", sh.Family, FamilyKiosk)
			eq(t, "languages", m.Languages, []string{"en", "be"})
			eq(t, "title", m.Title, pack.Text{"en": "list"})
			eq(t, "id", m.ID, "out")
			eq(t, "version", m.Version, "2025-06-01.1200")
			eq(t, "published", m.Published, "2025-06-01")
			eq(t, "publisher", m.Publisher.Name, DefaultPublisher)
			p := onlyPerson(t, sh)
			w := 1.5
			yes := true
			eq(t, "person", p, pack.Person{
				ID: "hanna-ablab", Name: pack.Text{"en": "Hanna Ablab", "be": "Ганна Аблаб"}, Country: "BY",
				PhotoCredit: "Family archive", Status: pack.StatusInCustody, Born: "--03-02", Arrested: "2022-03-15",
				Sentence:   pack.Text{"en": "11 years of imprisonment"},
				Charges:    []pack.Charge{{Code: "356", Label: pack.Text{"en": "High treason"}}, {Code: "130"}},
				Occupation: pack.Text{"be": "Чыгуначніца"},
				Facility:   &pack.Facility{Name: pack.Text{"en": "IK-4"}, Address: "IK-4\nul. Antoshkina 3\n246035 Gomel"},
				Bio:        pack.Text{"en": "Line one\nline two"},
				Links:      []pack.Link{{Kind: "letter", URL: "https://example.org/letters/hanna"}, {Kind: "petition", URL: "https://example.org/petition"}},
				Consent:    pack.Consent{Address: &yes}, Contact: pack.ContactRestricted, Weight: &w,
				Verified: "2025-06-01", Source: &pack.Source{Name: "Viasna", URL: "https://spring96.org"},
			})
			eq(t, "line", sh.Rows[0].Line, 2)
		},
	},
	{
		name: "Viasna export, Russian headers, semicolons, BOM, multi-line prison cell",
		csv: "\uFEFFИмя и фамилия;Статус;Дата рождения;Дата задержания;Предъявлены обвинения;Решение суда;Вид наказания;Место заключения\r\n" +
			"Аблаб Ганна Михайловна;Действующий политзаключенный;2.3.1980;15.03.2022;ч. 1 ст. 356 УК;11 лет;лишение свободы в колонии;\"ИК №4\r\nул. Антошкина, 3\r\n246035, г. Гомель\"\r\n" +
			"Иванов Иван;бывший;;01.02.2021;;;;\r\n",
		check: func(t *testing.T, sh *Sheet) {
			m := sh.Manifest
			eq(t, "family", sh.Family, FamilyViasna)
			eq(t, "languages", m.Languages, []string{"ru", "en"})
			eq(t, "title", m.Title, pack.Text{"ru": "list"})
			eq(t, "people", len(m.People), 2)
			p := m.People[0]
			eq(t, "id", p.ID, "ablab-ganna-mikhailovna")
			eq(t, "name", p.Name, pack.Text{"ru": "Аблаб Ганна Михайловна"})
			eq(t, "country", p.Country, "BY")
			eq(t, "status", p.Status, pack.StatusInCustody)
			eq(t, "born", p.Born, "1980-03-02")
			eq(t, "arrested", p.Arrested, "2022-03-15")
			eq(t, "charges", p.Charges, []pack.Charge{{Code: "356", Label: pack.Text{"ru": "ч. 1 ст. 356 УК"}}})
			eq(t, "sentence", p.Sentence, pack.Text{"ru": "11 лет; лишение свободы в колонии"})
			eq(t, "facility", *p.Facility, pack.Facility{Name: pack.Text{"ru": "ИК №4"}, Address: "ИК №4\nул. Антошкина, 3\n246035, г. Гомель"})
			eq(t, "source", *p.Source, pack.Source{Name: "Viasna", URL: "https://spring96.org"})
			eq(t, "second id", m.People[1].ID, "ivanov-ivan")
			eq(t, "second status", m.People[1].Status, pack.StatusReleased)
			eq(t, "lines", []int{sh.Rows[0].Line, sh.Rows[1].Line}, []int{2, 5})
		},
	},
	{
		name: "Viasna export, Belarusian headers, typographic apostrophe",
		csv: "Імя і прозвішча,Статус,Дата нараджэння,Дата затрымання,Прад’яўлены абвінавачванні,Рашэнне суда,Від пакарання,Месца зняволення\n" +
			"Ганна Аблаб,дзейная,1980,15.03.2022,356,,,\n" +
			"Ігар Лосік,былы,,25.06.2020,,,,\n",
		check: func(t *testing.T, sh *Sheet) {
			m := sh.Manifest
			eq(t, "family", sh.Family, FamilyViasna)
			eq(t, "languages", m.Languages, []string{"be", "en"})
			eq(t, "ids", []string{m.People[0].ID, m.People[1].ID}, []string{"hanna-ablab", "ihar-losik"})
			eq(t, "name", m.People[0].Name, pack.Text{"be": "Ганна Аблаб"})
			eq(t, "born", m.People[0].Born, "1980")
			eq(t, "charges", m.People[0].Charges, []pack.Charge{{Code: "356"}})
			eq(t, "statuses", []string{m.People[0].Status, m.People[1].Status}, []string{pack.StatusInCustody, pack.StatusReleased})
		},
	},
	{
		name: "Viasna export, English headers",
		csv: "name,status,birthday,arrested,articles,decision,penalty,prison,release_date\n" +
			"Hanna Ablab,active,02.03.1980,2022-03-15,356 High treason,11 years,imprisonment,IK-4,\n" +
			"Ihar Losik,former,,2020-06-25,,,,,2024-07-03\n",
		check: func(t *testing.T, sh *Sheet) {
			m := sh.Manifest
			eq(t, "family", sh.Family, FamilyViasna)
			eq(t, "languages", m.Languages, []string{"en"})
			p := m.People[0]
			eq(t, "name", p.Name, pack.Text{"en": "Hanna Ablab"})
			eq(t, "country", p.Country, "BY")
			eq(t, "sentence", p.Sentence, pack.Text{"en": "11 years; imprisonment"})
			eq(t, "facility", *p.Facility, pack.Facility{Name: pack.Text{"en": "IK-4"}})
			eq(t, "released", m.People[1].Released, "2024-07-03")
			eq(t, "status", m.People[1].Status, pack.StatusReleased)
		},
	},
	{
		name:  "Viasna export, languages given",
		csv:   "Имя и фамилия;Статус\nАнна Иванова;действующий\n",
		langs: []string{"en", "ru"},
		check: func(t *testing.T, sh *Sheet) {
			eq(t, "languages", sh.Manifest.Languages, []string{"en", "ru"})
			eq(t, "name", onlyPerson(t, sh).Name, pack.Text{"ru": "Анна Иванова"})
			eq(t, "title", sh.Manifest.Title, pack.Text{"en": "list"})
		},
	},
	{
		name: "bad and future dates",
		csv: "name,country,status,arrested,born,released\n" +
			"A,BY,in_custody,31.02.2022,,\n" +
			"B,BY,in_custody,2030-01-01,,\n" +
			"C,BY,in_custody,2022-01-01,1999-13-01,\n" +
			"D,BY,in_custody,2022/01/01,,\n" +
			"E,BY,released,2022-01-01,,2021-01-01\n" +
			"F,BY,in_custody,2022-1-5,7.11,\n",
		probs: []want{
			{2, "arrested", `"31.02.2022" is not a date (want YYYY-MM-DD or DD.MM.YYYY)`},
			{3, "arrested", `"2030-01-01" is in the future`},
			{4, "born", `"1999-13-01" is not a date`},
			{5, "arrested", "not a date"},
			{6, "released", "before the arrest"},
		},
		check: func(t *testing.T, sh *Sheet) {
			p := onlyPerson(t, sh)
			eq(t, "name", p.Name, pack.Text{"en": "F"})
			eq(t, "arrested", p.Arrested, "2022-01-05")
			eq(t, "born", p.Born, "--11-07")
			eq(t, "string", sh.Problems[0].String(), `list.csv: row 2, column "arrested": "31.02.2022" is not a date (want YYYY-MM-DD or DD.MM.YYYY)`)
		},
	},
	{
		name: "unknown status",
		csv:  "name,country,status\nA,BY,jailed\nB,BY,Active\nC,BY,\n",
		probs: []want{
			{2, "status", `"jailed" is not a status; use one of in_custody, pretrial, house_arrest, released, died_in_custody, unknown`},
			{4, "status", "missing"},
		},
		check: func(t *testing.T, sh *Sheet) {
			eq(t, "status", onlyPerson(t, sh).Status, pack.StatusInCustody)
		},
	},
	{
		name: "duplicate names and ids",
		csv: "id,name,country,status\n" +
			"a,Hanna Ablab,BY,in_custody\n" +
			"b,HANNA  ÁBLAB,BY,in_custody\n" +
			"a,Someone Else,BY,in_custody\n" +
			",Third Person,BY,in_custody\n",
		probs: []want{
			{3, "name", `"HANNA  ÁBLAB" is also the name in row 2`},
			{4, "id", `"a" is also the id in row 2`},
		},
		check: func(t *testing.T, sh *Sheet) {
			eq(t, "ids", ids(sh), []string{"a", "third-person"})
		},
	},
	{
		name: "wrong cell counts, invalid UTF-8, CSV quoting",
		csv: "name,country,status\n" +
			"A,BY\n" +
			"B,BY,in_custody,extra\n" +
			"C\xff,BY,in_custody\n" +
			"D\"x,BY,in_custody\n" +
			"\n" +
			"E,BY,in_custody\n" +
			"F,BY,\"in_custody\" \n",
		probs: []want{
			{2, "", "has 2 cells; the header has 3"},
			{3, "", "has 4 cells"},
			{4, "name", "not valid UTF-8"},
			{5, "", "a \" inside a cell"},
			{8, "", "quoted cell"},
		},
		check: func(t *testing.T, sh *Sheet) {
			eq(t, "ids", ids(sh), []string{"e"})
			eq(t, "line", sh.Rows[0].Line, 7)
		},
	},
	{
		name: "unknown column, derived ids made unique, Excel sep line",
		csv:  "sep=;\nname.ru;country;status;arested\nАнна Иванова;BY;in_custody;x\nAnna Ivanova;by;pretrial;\n",
		probs: []want{
			{2, "arested", "unknown column"},
		},
		check: func(t *testing.T, sh *Sheet) {
			eq(t, "ids", ids(sh), []string{"anna-ivanova", "anna-ivanova-2"})
			eq(t, "languages", sh.Manifest.Languages, []string{"en", "ru"})
			eq(t, "lines", sh.Rows[1].Line, 4)
		},
	},
	{
		name: "pack rules reported on their column",
		csv: "name,country,status,letter_url,sentence.en,name.de,charges\n" +
			"A,Belarus,in_custody,,,,\n" +
			"B,BY,in_custody,http://example.org/x,,,\n" +
			"C,BY,in_custody,," + strings.Repeat("x", 201) + ",,\n" +
			"D,BY,in_custody,,,\"a\x01b\",\n" +
			"E,BY,in_custody,,,," + strings.Repeat("1", 40) + "\n",
		probs: []want{
			{2, "country", `"Belarus" is not an ISO 3166-1 country code`},
			{3, "letter_url", "must use https://"},
			{4, "sentence.en", "201 characters long"},
			{5, "name.de", "control character"},
			{6, "charges", "characters long; the limit is 32"},
		},
		check: func(t *testing.T, sh *Sheet) {
			eq(t, "people", len(sh.Manifest.People), 0)
		},
	},
	{
		name: "impossible dates and hidden characters reported on their column",
		csv: "name,country,status,born,arrested,released,verified,letter_url\n" +
			"A,BY,in_custody,,0001-01-02,,,\n" +
			"B,BY,in_custody,2023-01-01,2022-03-15,,,\n" +
			"C,BY,in_custody,,2022-03-15,2023-01-01,,\n" +
			"D,BY,in_custody,,2030-01-01,,,\n" +
			"E,BY,in_custody,,2024-06-01,,2024-05-20,\n" +
			"F,BY,in_custody,,,,,https://\u202egro.elpmaxe\u202c/letter\n" +
			"G,BY,released,1899,2022-03-15,2023-01-01,,\n" +
			"H,BY,released,1990,2022-03-15,2023-01-01,2024-05-20,https://пример.рф/letters\n",
		probs: []want{
			{2, "arrested", `"0001-01-02" is before 1900-01-01`},
			{3, "born", `"2023-01-01" is after the arrest on "2022-03-15"`},
			{4, "released", `"2023-01-01" is given, but the status is in_custody`},
			{5, "arrested", `"2030-01-01" is in the future`},
			{6, "arrested", `"2024-06-01" is after the record was verified on "2024-05-20"`},
			{7, "letter_url", `has the bidi control U+202E RIGHT-TO-LEFT OVERRIDE in its host`},
			{8, "born", `"1899" is before 1900`},
		},
		check: func(t *testing.T, sh *Sheet) {
			eq(t, "ids", ids(sh), []string{"h"})
		},
	},
	{
		name: "Viasna export: born after the arrest names the Viasna column",
		csv:  "Имя и фамилия;Статус;Дата рождения;Дата задержания\nА Б;Действующий политзаключенный;01.01.2023;15.03.2022\nВ Г;Действующий политзаключенный;01.01.1980;02.01.0001\n",
		probs: []want{
			{2, "Дата рождения", `"2023-01-01" is after the arrest on "2022-03-15"`},
			{3, "Дата задержания", `"0001-01-02" is before 1900-01-01`},
		},
	},
	{
		name: "Viasna text too long names the Viasna column",
		csv:  "Имя и фамилия;Статус;Решение суда;Вид наказания\nА Б;бывший;" + strings.Repeat("я", 150) + ";" + strings.Repeat("ю", 60) + "\n",
		probs: []want{
			{2, "Решение суда", "ru: is 212 characters long; the limit is 200"},
		},
	},
	{
		name: "no name, status or country column",
		csv:  "foo,bar\n1,2\n",
		fatal: []want{
			{1, "name", "no name column"},
			{1, "status", "no status column"},
			{1, "country", "no country column"},
			{1, "foo", "unknown column"},
			{1, "bar", "unknown column"},
		},
	},
	{
		name:  "gender in the kiosk's words, a letter or Russian",
		csv:   "name,country,status,gender\nA,BY,released,female\nB,BY,released,М\nC,BY,released,\nD,BY,released,x\n",
		probs: []want{{5, "gender", `"x" is not a gender`}},
		check: func(t *testing.T, sh *Sheet) {
			var got []string
			for _, p := range sh.Manifest.People {
				got = append(got, p.Gender)
			}
			if strings.Join(got, ",") != "female,male," {
				t.Errorf("genders %q, want female, male and none (the row with x left out)", got)
			}
		},
	},
	{
		name:  "same column twice",
		csv:   "name,name.en,country,status\n",
		fatal: []want{{1, "name.en", `says the same as column "name"`}},
	},
	{
		name:  "empty file",
		csv:   "\uFEFF",
		fatal: []want{{0, "", "the file is empty"}},
	},
	{
		name:  "header not UTF-8",
		csv:   "\xc8\xec\xff,status\n",
		fatal: []want{{1, "#1", "not valid UTF-8"}},
	},
	{
		name:  "bad language option",
		csv:   "name,country,status\nA,BY,in_custody\n",
		langs: []string{"english"},
		fatal: []want{{0, "", `pack languages: "english" is not a BCP 47 language tag`}},
	},
}

func TestMap(t *testing.T) {
	for _, c := range mapCases {
		t.Run(c.name, func(t *testing.T) {
			opt := testOptions()
			opt.Languages = c.langs
			sh, err := Map([]byte(c.csv), opt)
			if c.fatal != nil {
				probs, ok := err.(Problems)
				if !ok {
					t.Fatalf("want problems %v, got %v", c.fatal, err)
				}
				matchProblems(t, probs, c.fatal)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			matchProblems(t, sh.Problems, c.probs)
			checkSheet(t, sh)
			if c.check != nil {
				c.check(t, sh)
			}
		})
	}
}

// matchProblems requires exactly the wanted problems, in order.
func matchProblems(t *testing.T, got Problems, wants []want) {
	t.Helper()
	if len(got) != len(wants) {
		t.Fatalf("got %d problems, want %d:\n%v", len(got), len(wants), got)
	}
	for i, w := range wants {
		g := got[i]
		if g.Row != w.row || g.Column != w.column || !strings.Contains(g.Reason, w.reason) || g.File != "list.csv" {
			t.Errorf("problem %d: got %s (row %d, column %q); want row %d, column %q, reason containing %q", i, g, g.Row, g.Column, w.row, w.column, w.reason)
		}
	}
}

// checkSheet requires a sheet whose people make a valid pack.
func checkSheet(t *testing.T, sh *Sheet) {
	t.Helper()
	if len(sh.Rows) != len(sh.Manifest.People) {
		t.Fatalf("%d rows for %d people", len(sh.Rows), len(sh.Manifest.People))
	}
	if len(sh.Manifest.People) == 0 {
		return
	}
	if probs := sh.Manifest.Validate(now); len(probs) > 0 {
		t.Fatalf("the manifest is invalid:\n%v", probs)
	}
	data, err := json.Marshal(sh.Manifest)
	if err != nil {
		t.Fatal(err)
	}
	if _, probs := pack.Parse(data); len(probs) > 0 {
		t.Fatalf("the manifest does not parse:\n%v", probs)
	}
}

func onlyPerson(t *testing.T, sh *Sheet) pack.Person {
	t.Helper()
	if len(sh.Manifest.People) != 1 {
		t.Fatalf("want 1 person, got %d: %v", len(sh.Manifest.People), ids(sh))
	}
	return sh.Manifest.People[0]
}

func ids(sh *Sheet) []string {
	var out []string
	for _, p := range sh.Manifest.People {
		out = append(out, p.ID)
	}
	return out
}

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		t.Errorf("%s:\n got %s\nwant %s", what, gj, wj)
	}
}
