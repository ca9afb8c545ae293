package hostile

import (
	"fmt"
	"strings"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

// head is a valid manifest's start, before people.
const head = `{"format":1,"id":"hostile","version":"1","title":"Hostile input","publisher":{"name":"Test"},"published":"2024-05-20","languages":["en"]`

// manifest is a manifest with extra top-level fields (each starting with a
// comma) and the people given as JSON objects.
func manifest(extra string, people ...string) []byte {
	var b strings.Builder
	b.WriteString(head)
	b.WriteString(extra)
	b.WriteString(`,"people":[`)
	for i, p := range people {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(p)
	}
	b.WriteString("]}\n")
	return []byte(b.String())
}

// person is a valid person p-i with extra fields (each starting with a comma).
func person(i int, extra string) string {
	return fmt.Sprintf(`{"id":"p-%d","name":"Person %d","country":"BY","status":"in_custody"%s}`, i, i, extra)
}

// people is n valid people, each with extra fields.
func people(n int, extra string) []string {
	ps := make([]string, n)
	for i := range ps {
		ps[i] = person(i, extra)
	}
	return ps
}

// joinN joins n items made by f with commas.
func joinN(n int, f func(i int) string) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(f(i))
	}
	return b.String()
}

// tag is the i-th of many distinct valid language tags.
func tag(i int) string { return fmt.Sprintf("en-x-t%04d", i) }

// manifestCase is a pack folder holding only pack.json.
func manifestCase(name string, exit int, want, avoid string, data func() []byte) Case {
	c := Case{Name: name, Command: Verify, Args: []string{"$D/" + name}, Exit: exit, Want: want, Avoid: avoid}
	c.write = func(dir string) error { return files(name, map[string][]byte{pack.ManifestFile: data()})(dir) }
	return c
}

func manifestCases() []Case {
	nest := func(open, close string, n int, inner string) string {
		return strings.Repeat(open, n) + inner + strings.Repeat(close, n)
	}
	deep := fmt.Sprintf("nested too deeply (more than %d levels)", pack.MaxDepth)
	over := func(n int, noun string) string { return fmt.Sprintf("more than %d %s; the limit is %d", n, noun, n) }
	text := func(n int) string {
		return "{" + joinN(n, func(i int) string { return fmt.Sprintf("%q:\"a\"", tag(i)) }) + "}"
	}
	tags := func(n int) string {
		return "[" + joinN(n, func(i int) string { return fmt.Sprintf("%q", tag(i)) }) + "]"
	}
	sha := `"sha256:` + strings.Repeat("0", 64) + `"`
	cs := []Case{
		manifestCase("valid-minimal", 0, "", "", func() []byte { return manifest("", person(0, "")) }),
		manifestCase("valid-bom", 0, "", "", func() []byte { return append([]byte("\xEF\xBB\xBF"), manifest("", person(0, ""))...) }),
		// Issue 10: 100,000 [ then 100,000 ] grew a token walker to 24 GB.
		manifestCase("issue10-deep-arrays", 1, deep+" at line 1, column 11", "", func() []byte {
			return []byte(nest("[", "]", 100_000, ""))
		}),
		manifestCase("deep-objects", 1, deep+" at line 1, column 51", "", func() []byte {
			return []byte(nest(`{"a":`, "}", 100_000, "0"))
		}),
		manifestCase("deep-in-person", 1, `people[0] "p-0": bio.en[0][0][0][0][0][0]: `+deep, "", func() []byte {
			return manifest("", person(0, `,"bio":{"en":`+nest("[", "]", 1000, "")+`}`))
		}),
		manifestCase("depth-at-limit", 1, "x: unknown field", deep, func() []byte {
			return manifest(`,"x":`+nest("[", "]", pack.MaxDepth-1, ""), person(0, ""))
		}),
		manifestCase("depth-over-limit", 1, "x[0][0][0][0][0][0][0][0][0]: "+deep+" at line 1, column 151", "", func() []byte {
			return manifest(`,"x":`+nest("[", "]", pack.MaxDepth, ""), person(0, ""))
		}),
		manifestCase("string-at-limit", 1, `people[0] "p-0": bio: en: is 65536 characters long; the limit is 2000`, "no text in pack.json", func() []byte {
			return manifest("", person(0, `,"bio":"`+strings.Repeat("a", pack.MaxStringBytes)+`"`))
		}),
		manifestCase("string-over-limit", 1, `people[0] "p-0": bio: is 65537 bytes long; no text in pack.json may be longer than 65536 bytes`, "", func() []byte {
			return manifest("", person(0, `,"bio":"`+strings.Repeat("a", pack.MaxStringBytes+1)+`"`))
		}),
		manifestCase("string-16mib", 1, "x: is 16776000 bytes long; no text in pack.json", "", func() []byte {
			return manifest(`,"x":"`+strings.Repeat("я", 16776000/2)+`"`, person(0, ""))
		}),
		manifestCase("string-escapes", 1, "x: is 2400000 bytes long", "", func() []byte {
			return manifest(`,"x":"`+strings.Repeat(`\u0444`, 1_200_000)+`"`, person(0, ""))
		}),
		manifestCase("key-at-limit", 1, "is 1024 characters long; the limit is 255", "the key is", func() []byte {
			return manifest(`,"files":{"`+strings.Repeat("a", pack.MaxKeyBytes)+`":`+sha+`}`, person(0, ""))
		}),
		manifestCase("key-over-limit", 1, "the key is 1025 bytes long; the limit is 1024", "", func() []byte {
			return manifest(`,"files":{"`+strings.Repeat("a", pack.MaxKeyBytes+1)+`":`+sha+`}`, person(0, ""))
		}),
		manifestCase("number-at-limit", 0, "", "", func() []byte {
			return manifest("", person(0, `,"weight":1.`+strings.Repeat("0", pack.MaxNumberBytes-2)))
		}),
		manifestCase("number-over-limit", 1, `people[0] "p-0": weight: is a number 33 characters long; the limit is 32`, "", func() []byte {
			return manifest("", person(0, `,"weight":1.`+strings.Repeat("0", pack.MaxNumberBytes-1)))
		}),
		manifestCase("number-16mib", 1, "x: is a number 16000000 characters long", "", func() []byte {
			return manifest(`,"x":`+strings.Repeat("9", 16_000_000), person(0, ""))
		}),
		manifestCase("number-huge-exponent", 1, `people[0] "p-0": weight: 1e999999 is too large a number`, "", func() []byte {
			return manifest("", person(0, `,"weight":1e999999`))
		}),
		manifestCase("format-fraction", 1, "format: 1.5 must be a whole number", "", func() []byte {
			return []byte(strings.Replace(string(manifest("", person(0, ""))), `"format":1`, `"format":1.5`, 1))
		}),
		manifestCase("people-at-limit", 0, "", "", func() []byte { return manifest("", people(pack.MaxPeople, "")...) }),
		manifestCase("people-over-limit", 1, "people: "+over(pack.MaxPeople, "people"), "", func() []byte {
			return manifest("", people(pack.MaxPeople+1, "")...)
		}),
		manifestCase("people-empty-objects", 1, "people: "+over(pack.MaxPeople, "people"), "", func() []byte {
			return []byte(head + `,"people":[` + joinN(5_000_000, func(int) string { return "{}" }) + "]}")
		}),
		manifestCase("files-at-limit", 1, fmt.Sprintf("… and %d more problems (only the first %d are listed)", pack.MaxFiles-pack.MaxProblems, pack.MaxProblems), "more than", func() []byte {
			return manifest(`,"files":{`+joinN(pack.MaxFiles, func(i int) string { return fmt.Sprintf(`"f/%05d":%s`, i, sha) })+`}`, person(0, ""))
		}),
		manifestCase("files-over-limit", 1, "files: "+over(pack.MaxFiles, "files"), "", func() []byte {
			return manifest(`,"files":{`+joinN(pack.MaxFiles+1, func(i int) string { return fmt.Sprintf(`"f/%05d":%s`, i, sha) })+`}`, person(0, ""))
		}),
		manifestCase("text-languages-at-limit", 0, "", "", func() []byte { return manifest("", person(0, `,"bio":`+text(pack.MaxLanguages))) }),
		manifestCase("text-languages-over-limit", 1, `people[0] "p-0": bio: `+over(pack.MaxLanguages, "languages"), "", func() []byte {
			return manifest("", person(0, `,"bio":`+text(pack.MaxLanguages+1)))
		}),
		manifestCase("languages-at-limit", 0, "", "", func() []byte {
			return []byte(strings.Replace(string(manifest("", person(0, ""))), `"languages":["en"]`, `"languages":`+tags(pack.MaxLanguages), 1))
		}),
		manifestCase("languages-over-limit", 1, "languages: "+over(pack.MaxLanguages, "languages"), "", func() []byte {
			return []byte(strings.Replace(string(manifest("", person(0, ""))), `"languages":["en"]`, `"languages":`+tags(pack.MaxLanguages+1), 1))
		}),
		manifestCase("hosts-at-limit", 0, "", "", func() []byte {
			return manifest(`,"allowed_link_hosts":[`+joinN(pack.MaxLinkHosts, func(i int) string { return fmt.Sprintf(`"h%d.example.org"`, i) })+`]`, person(0, ""))
		}),
		manifestCase("hosts-over-limit", 1, "allowed_link_hosts: "+over(pack.MaxLinkHosts, "hosts"), "", func() []byte {
			return manifest(`,"allowed_link_hosts":[`+joinN(pack.MaxLinkHosts+1, func(i int) string { return fmt.Sprintf(`"h%d.example.org"`, i) })+`]`, person(0, ""))
		}),
		manifestCase("stats-at-limit", 0, "", "", func() []byte {
			return manifest(`,"stats":[`+joinN(pack.MaxStats, func(int) string { return `{"label":"n","value":1,"as_of":"2024-05-20","source":"s"}` })+`]`, person(0, ""))
		}),
		manifestCase("stats-over-limit", 1, "stats: "+over(pack.MaxStats, "figures"), "", func() []byte {
			return manifest(`,"stats":[`+joinN(pack.MaxStats+1, func(int) string { return `{"label":"n","value":1,"as_of":"2024-05-20","source":"s"}` })+`]`, person(0, ""))
		}),
		manifestCase("actions-at-limit", 0, "", "", func() []byte {
			return manifest(`,"actions":[`+joinN(pack.MaxActions, func(int) string { return `{"kind":"petition","url":"https://example.org/p"}` })+`]`, person(0, ""))
		}),
		manifestCase("actions-over-limit", 1, "actions: "+over(pack.MaxActions, "actions"), "", func() []byte {
			return manifest(`,"actions":[`+joinN(pack.MaxActions+1, func(int) string { return `{"kind":"petition","url":"https://example.org/p"}` })+`]`, person(0, ""))
		}),
		manifestCase("letter-rules-at-limit", 1, "is not an ISO 3166-1 country code", "more than", func() []byte {
			return manifest(`,"letter_rules":{`+joinN(pack.MaxLetterRules, func(i int) string { return fmt.Sprintf(`"Q%d":{}`, i) })+`}`, person(0, ""))
		}),
		manifestCase("letter-rules-over-limit", 1, "letter_rules: "+over(pack.MaxLetterRules, "countries"), "", func() []byte {
			return manifest(`,"letter_rules":{`+joinN(pack.MaxLetterRules+1, func(i int) string { return fmt.Sprintf(`"Q%d":{}`, i) })+`}`, person(0, ""))
		}),
		manifestCase("charges-at-limit", 0, "", "", func() []byte {
			return manifest("", person(0, `,"charges":[`+joinN(pack.MaxCharges, func(i int) string { return fmt.Sprintf(`{"code":"%d","label":"x"}`, i) })+`]`))
		}),
		manifestCase("charges-over-limit", 1, `people[0] "p-0": charges: `+over(pack.MaxCharges, "charges"), "", func() []byte {
			return manifest("", person(0, `,"charges":[`+joinN(pack.MaxCharges+1, func(i int) string { return fmt.Sprintf(`{"code":"%d","label":"x"}`, i) })+`]`))
		}),
		manifestCase("links-at-limit", 0, "", "", func() []byte {
			return manifest("", person(0, `,"links":[`+joinN(pack.MaxLinks, func(i int) string { return fmt.Sprintf(`{"kind":"other","url":"https://example.org/%d"}`, i) })+`]`))
		}),
		manifestCase("links-over-limit", 1, `people[0] "p-0": links: `+over(pack.MaxLinks, "links"), "", func() []byte {
			return manifest("", person(0, `,"links":[`+joinN(pack.MaxLinks+1, func(i int) string { return fmt.Sprintf(`{"kind":"other","url":"https://example.org/%d"}`, i) })+`]`))
		}),
		manifestCase("keys-at-limit", 1, `people[0] "p-0": x95: unknown field`, "more than", func() []byte {
			return manifest("", person(0, ","+joinN(pack.MaxKeys-4, func(i int) string { return fmt.Sprintf(`"x%d":0`, i) })))
		}),
		manifestCase("keys-over-limit", 1, `people[0] "p-0": `+over(pack.MaxKeys, "keys"), "", func() []byte {
			return manifest("", person(0, ","+joinN(pack.MaxKeys-3, func(i int) string { return fmt.Sprintf(`"x%d":0`, i) })))
		}),
		manifestCase("unknown-list-at-limit", 1, "x: unknown field", "more than", func() []byte {
			return manifest(`,"x":[`+joinN(pack.MaxElements, func(int) string { return "0" })+`]`, person(0, ""))
		}),
		manifestCase("unknown-list-over-limit", 1, "x: "+over(pack.MaxElements, "entries"), "", func() []byte {
			return manifest(`,"x":[`+joinN(pack.MaxElements+1, func(int) string { return "0" })+`]`, person(0, ""))
		}),
		manifestCase("many-problems", 1, fmt.Sprintf("… and %d more problems (only the first %d are listed)", pack.MaxPeople-pack.MaxProblems, pack.MaxProblems), "", func() []byte {
			ps := people(pack.MaxPeople, "")
			for i := range ps {
				ps[i] = strings.Replace(ps[i], `"BY"`, `"XX"`, 1)
			}
			return manifest("", ps...)
		}),
		manifestCase("largest-valid", 0, "", "", func() []byte {
			bio := strings.Repeat("Слова ", 127)
			return manifest("", people(pack.MaxPeople, `,"bio":{"be":"`+bio+`"},"links":[{"kind":"letter","url":"https://example.org/letters"}]`)...)
		}),
		manifestCase("most-text-entries", 0, "", "", func() []byte {
			return manifest("", people(9000, `,"bio":`+text(pack.MaxLanguages))...)
		}),
		manifestCase("manifest-over-16mib", 1, "pack.json: larger than the limit of 16777216 bytes", "", func() []byte {
			return append(manifest("", person(0, "")), strings.Repeat(" ", pack.MaxManifestBytes)...)
		}),
		manifestCase("utf8-invalid", 1, `people[0] "p-0": name: is not valid UTF-8 text`, "", func() []byte {
			return []byte(strings.Replace(string(manifest("", person(0, ""))), "Person 0", "Person \xff", 1))
		}),
		manifestCase("utf8-overlong", 1, `people[0] "p-0": name: is not valid UTF-8 text`, "", func() []byte {
			return []byte(strings.Replace(string(manifest("", person(0, ""))), "Person 0", "Person \xc0\xaf", 1))
		}),
		manifestCase("utf8-surrogate", 1, `people[0] "p-0": name: is not valid UTF-8 text`, "", func() []byte {
			return []byte(strings.Replace(string(manifest("", person(0, ""))), "Person 0", "Person \xed\xa0\x80", 1))
		}),
		manifestCase("utf8-escaped-surrogate", 1, `people[0] "p-0": name: en: contains the control character U+FFFD`, "", func() []byte {
			return []byte(strings.Replace(string(manifest("", person(0, ""))), "Person 0", `Person \ud800`, 1))
		}),
		manifestCase("utf8-invalid-key", 1, "the key is not valid UTF-8", "", func() []byte {
			return manifest(",\"x\xff\":1", person(0, ""))
		}),
		manifestCase("utf8-truncated", 1, "not valid JSON", "", func() []byte {
			return []byte(head + `,"people":[{"id":"p-0","name":"Пе` + "\xd0")
		}),
		manifestCase("utf16", 1, "not valid JSON at line 1, column 1", "", func() []byte {
			m := manifest("", person(0, ""))
			out := []byte{0xff, 0xfe}
			for _, b := range m {
				out = append(out, b, 0)
			}
			return out
		}),
		manifestCase("nul-in-text", 1, `people[0] "p-0": name: en: contains the control character U+0000`, "", func() []byte {
			return []byte(strings.Replace(string(manifest("", person(0, ""))), "Person 0", `Person\u0000`, 1))
		}),
		manifestCase("empty", 1, "pack.json: the file is empty", "", func() []byte { return nil }),
		manifestCase("blank", 1, "pack.json: the file is empty", "", func() []byte { return []byte(strings.Repeat(" \n\t", 1000)) }),
		manifestCase("cut-off", 1, "the file ends too early", "", func() []byte { return manifest("", person(0, ""))[:100] }),
		manifestCase("trailing-garbage", 1, "more content after the end of the manifest", "", func() []byte {
			return append(manifest("", person(0, "")), "{}"...)
		}),
		manifestCase("binary", 1, "not valid JSON at line 1, column 1", "", func() []byte {
			b := make([]byte, 4096)
			for i := range b {
				b[i] = byte(i*7 + 3)
			}
			return b
		}),
		manifestCase("duplicate-keys", 1, `people[0] "p-0": country: appears twice`, "", func() []byte {
			return manifest("", person(0, `,"country":"RU"`))
		}),
		// Issue 18: hosts that lie and dates that cannot be.
		manifestCase("issue18-bidi-host", 1, `people[0] "p-0": links[0].url: "https://\u202egro.elpmaxe\u202c/letter" has the bidi control U+202E RIGHT-TO-LEFT OVERRIDE in its host`, "", func() []byte {
			return manifest("", person(0, `,"links":[{"kind":"letter","url":"https://\u202egro.elpmaxe\u202c/letter"}]`))
		}),
		manifestCase("issue18-escaped-bidi-path", 1, `people[0] "p-0": links[0].url: "https://example.org/%E2%80%AE" has the bidi control U+202E`, "", func() []byte {
			return manifest("", person(0, `,"links":[{"kind":"letter","url":"https://example.org/%E2%80%AE"}]`))
		}),
		manifestCase("issue18-confusable-host", 0, "", "", func() []byte { // accepted: printed as punycode
			return manifest("", person(0, `,"links":[{"kind":"letter","url":"https://раураl.com/letter"}]`))
		}),
		manifestCase("issue18-arrest-year-1", 1, `people[0] "p-0": arrested: "0001-01-02" is before 1900-01-01`, "", func() []byte {
			return manifest("", person(0, `,"arrested":"0001-01-02"`))
		}),
		manifestCase("issue18-born-after-arrest", 1, `people[0] "p-0": born: "2023-01-01" is after the arrest on "2022-03-15"`, "", func() []byte {
			return manifest("", person(0, `,"born":"2023-01-01","arrested":"2022-03-15"`))
		}),
		manifestCase("issue18-released-in-custody", 1, `people[0] "p-0": released: "2023-01-01" is given, but the status is in_custody`, "", func() []byte {
			return manifest("", person(0, `,"arrested":"2022-03-15","released":"2023-01-01"`))
		}),
		manifestCase("issue18-arrest-after-verified", 1, `people[0] "p-0": arrested: "2024-06-01" is after the record was verified on "2024-05-20"`, "", func() []byte {
			return manifest("", person(0, `,"arrested":"2024-06-01","verified":"2024-05-20"`))
		}),
	}
	for i := range cs {
		cs[i].Keep = cs[i].Name == "issue10-deep-arrays" // the issue's own file, 200 KB
	}
	return cs
}
