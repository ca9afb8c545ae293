package pack

import (
	"strings"
	"testing"
)

// TestHiddenCharactersInLinks: a link holding a bidi control, another
// invisible format character, a control character or a separator is
// refused, naming the person, the field and the character, wherever in the
// link it is, also %-escaped (issue 18: U+202E gro.elpmaxe U+202C printed
// example.org). Every URL field is checked, also those only printed.
func TestHiddenCharactersInLinks(t *testing.T) {
	link := func(u string) string { return `,"links":[{"kind":"letter","url":"` + u + `"}]` }
	for _, c := range []struct {
		name, top, person, want string
	}{
		{"an honest link", "", link("https://example.org/letters/p-0"), ""},
		{"a Cyrillic host", "", link("https://пример.рф/letters"), ""},
		{"a Persian path with the non-joiner", "", link("https://example.org/نامه\u200cها"), ""},
		{"%-escaped text", "", link("https://example.org/%D0%BF%D0%B8%D1%81%D1%8C%D0%BC%D0%B0?q=a%20b"), ""},
		{"right-to-left override in the host", "", link("https://\u202egro.elpmaxe\u202c/letter"), `people[0] "p-0": links[0].url: "https://\u202egro.elpmaxe\u202c/letter" has the bidi control U+202E RIGHT-TO-LEFT OVERRIDE in its host`},
		{"%-escaped override in the host", "", link("https://%E2%80%AEgro.elpmaxe/letter"), `links[0].url: "https://%E2%80%AEgro.elpmaxe/letter" has the bidi control U+202E RIGHT-TO-LEFT OVERRIDE in its host`},
		{"isolate in the path", "", link("https://example.org/a\u2067b"), `has the bidi control U+2067 RIGHT-TO-LEFT ISOLATE in its path`},
		{"%-escaped override in the path", "", link("https://example.org/%E2%80%AE"), `has the bidi control U+202E RIGHT-TO-LEFT OVERRIDE in its path`},
		{"mark in the query", "", link("https://example.org/?to=%E2%80%8F"), `has the bidi control U+200F RIGHT-TO-LEFT MARK in its query`},
		{"arabic letter mark in the fragment", "", link("https://example.org/#a\u061c"), `U+061C ARABIC LETTER MARK in its fragment`},
		{"zero-width space in the host", "", link("https://exa\u200bmple.org/"), `has the invisible format character U+200B ZERO WIDTH SPACE in its host`},
		{"joiner in the host", "", link("https://exa\u200dmple.org/"), `U+200D ZERO WIDTH JOINER in its host`},
		{"soft hyphen in the host", "", link("https://ex\u00adample.org/"), `U+00AD SOFT HYPHEN in its host`},
		{"byte-order mark", "", link("https://example.org/\ufeff"), `U+FEFF ZERO WIDTH NO-BREAK SPACE (byte-order mark) in its path`},
		{"C1 control", "", link("https://example.org/\u0085"), `the control character U+0085 in its path`},
		{"%-escaped NUL", "", link("https://example.org/a%00"), `the control character U+0000 in its path`},
		{"line separator", "", link("https://example.org/\u2028"), `the separator U+2028 LINE SEPARATOR in its path`},
		{"no-break space in the host", "", link("https://example\u00a0.org/"), `U+00A0 NO-BREAK SPACE in its host`},
		{"no-break space in the path", "", link("https://example.org/a\u00a0b"), `the separator U+00A0 NO-BREAK SPACE; a link must not`},
		{"ideographic space in the query", "", link("https://example.org/?a=\u3000"), `the separator U+3000; a link must not`},
		{"a pack action", `,"actions":[{"kind":"petition","url":"https://example.org/\u202e"}]`, "", `pack.json: actions[0].url: "https://example.org/\u202e" has the bidi control U+202E`},
		{"a source printed, not encoded", "", `,"source":{"name":"s","url":"https://\u202egro.elpmaxe"}`, `people[0] "p-0": source.url: "https://\u202egro.elpmaxe" has the bidi control U+202E`},
		{"publisher", `,"publisher":{"name":"T","url":"https://ex\u2066ample.org"}`, "", `publisher.url: "https://ex\u2066ample.org" has the bidi control U+2066`},
		{"an allowed host", `,"allowed_link_hosts":["\u202egro.elpmaxe"]`, "", `allowed_link_hosts[0]: "\u202egro.elpmaxe" is not a host name`},
		{"allowed hosts compare as a phone looks them up", `,"allowed_link_hosts":["xn--e1afmkfd.xn--p1ai"]`, link("https://ПРИМЕР.РФ/letters"), ""},
		{"a confusable host outside the allowed ones", `,"allowed_link_hosts":["paypal.com"]`, link("https://раураl.com/"), `host "xn--l-7sba6dbr.com" is not in allowed_link_hosts`},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := minimal(c.top, c.person)
			if strings.HasPrefix(c.top, `,"publisher"`) {
				data = strings.Replace(data, `"publisher":{"name":"T"},`, "", 1)
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
