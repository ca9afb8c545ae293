package linkhost

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// TestDisplay: the host printed under a code, for honest hosts and for
// hosts that would read as another (issue 18: раураl.com read as
// paypal.com; a right-to-left override printed example.org).
func TestDisplay(t *testing.T) {
	for _, c := range []struct{ url, want string }{
		// As they are: ASCII, lower-cased, without www. or the trailing dot.
		{"https://example.org/letters/hanna", "example.org"},
		{"https://www.Example.ORG/", "example.org"},
		{"https://example.org./x", "example.org"},
		{"https://spring96.org:8443/x", "spring96.org"},
		{"https://a_b.example.org", "a_b.example.org"},
		{"https://[::1]:8443/", "::1"},
		// One script: in Unicode, whether the pack wrote it so or as punycode.
		{"https://пример.рф/", "пример.рф"},
		{"https://ПРИМЕР.РФ/", "пример.рф"},
		{"https://xn--e1afmkfd.xn--p1ai/", "пример.рф"},
		{"https://www.укр.укр/", "укр.укр"},
		{"https://bücher.de/", "bücher.de"},
		{"https://BÜCHER.de", "bücher.de"},
		{"https://kraków.pl", "kraków.pl"},
		{"https://łódź.pl", "łódź.pl"},
		{"https://中国.中国/", "中国.中国"},
		{"https://例え.テスト/", "例え.テスト"},
		{"https://مثال.إختبار/", "مثال.إختبار"},
		// Full-width letters and the ideographic full stop are what the phone
		// visits once mapped: example.org.
		{"https://ｅｘａｍｐｌｅ.org", "example.org"},
		{"https://example。org", "example.org"},
		// Mixed scripts: punycode.
		{"https://раураl.com/", "xn--l-7sba6dbr.com"},
		{"https://pаypal.com/", "xn--pypal-4ve.com"},
		{"https://ехаmple.org", "xn--mple-43d3a6i.org"},
		{"https://пример.com/", "xn--e1afmkfd.com"},
		{"https://日本語.jp", "xn--wgv71a119e.jp"},
		{"https://مثالa.com", "xn--a-ymcl5hc.com"},
		// One script, but letters that pass for Latin ones: punycode.
		{"https://paypɑl.com", "xn--paypl-3jc.com"},
		{"https://сосо.рф", "xn--n1aahb.xn--p1ai"},
		{"https://οκ.ελ", "xn--vxaj.xn--qxam"},
		// Invisible characters: escaped, never read as what they pretend.
		{"https://\u202egro.elpmaxe\u202c/letter", `\u202egro.elpmaxe\u202c`},
		{"https://%E2%80%AEgro.elpmaxe/", `\u202egro.elpmaxe`},
		{"https://exa\u200dmple.org", `exa\u200dmple.org`},
		{"https://ex\u00adample.org", `ex\u00adample.org`},
		// Nothing to print.
		{"://nothing", ""},
	} {
		if got := Display(c.url); got != c.want {
			t.Errorf("Display(%q) = %q, want %q", c.url, got, c.want)
		}
	}
}

// TestDisplayNeverPrintsHidden: whatever the host, what is printed holds no
// character Hidden finds and is the same for the same host in any case.
func TestDisplayNeverPrintsHidden(t *testing.T) {
	for _, h := range []string{"\u202egro.elpmaxe\u202c", "a\u2066b.org", "a\u200bb.org", "e\u0301xample.org", "a\u061cb.org", "\u0007.org", "a\u2028b"} {
		got := Display("https://" + h + "/")
		if r, _, bad := Hidden(got, true); bad {
			t.Errorf("Display of %q printed %U: %q", h, r, got)
		}
		if got != Display("https://"+strings.ToUpper(h)+"/") {
			t.Errorf("Display of %q depends on case", h)
		}
	}
}

func TestHidden(t *testing.T) {
	for _, c := range []struct {
		s      string
		inHost bool
		want   rune // 0 for none
	}{
		{"example.org", true, 0},
		{"пример.рф", true, 0},
		{"\u202egro.elpmaxe\u202c", true, '\u202e'},
		{"/letter\u202c", false, '\u202c'},
		{"/a\u2067b", false, '\u2067'},
		{"/a\u200eb", false, '\u200e'},
		{"/a\u061cb", false, '\u061c'},
		{"/\ufeffx", false, '\ufeff'},
		{"/x\u00ad", false, '\u00ad'},
		{"/x\U000e0041", false, '\U000e0041'}, // a tag character
		{"/x\u0085", false, '\u0085'},         // a C1 control
		{"/x\u2028", false, '\u2028'},
		{"/نامه\u200cها", false, 0}, // the Persian non-joiner, in a path
		{"نامه\u200cها.ir", true, '\u200c'},
		{"/a b", false, 0},
		{"a\u00a0b.org", true, '\u00a0'},
		{"a\u3000b.org", true, '\u3000'},
	} {
		r, _, found := Hidden(c.s, c.inHost)
		if found != (c.want != 0) || r != c.want {
			t.Errorf("Hidden(%q, %v) = %U, %v; want %U", c.s, c.inHost, r, found, c.want)
		}
	}
}

func TestDescribe(t *testing.T) {
	for r, want := range map[rune]string{
		'\u202e': "the bidi control U+202E RIGHT-TO-LEFT OVERRIDE",
		'\u200b': "the invisible format character U+200B ZERO WIDTH SPACE",
		'\u0085': "the control character U+0085",
		'\u00a0': "the separator U+00A0 NO-BREAK SPACE",
	} {
		if got := Describe(r); got != want {
			t.Errorf("Describe(%U) = %q, want %q", r, got, want)
		}
	}
}

func TestASCII(t *testing.T) {
	for h, want := range map[string]string{
		"Example.ORG.": "example.org",
		"пример.рф":    "xn--e1afmkfd.xn--p1ai",
		"ｅｘａｍｐｌｅ.org":  "example.org",
		"a_b.example":  "a_b.example",
	} {
		if got := ASCII(h); got != want {
			t.Errorf("ASCII(%q) = %q, want %q", h, got, want)
		}
	}
}

// FuzzDisplay: whatever the link, the printed host holds no character
// Hidden finds, is valid UTF-8, and is outside ASCII only when Readable.
func FuzzDisplay(f *testing.F) {
	for _, u := range []string{
		"https://example.org/x", "https://раураl.com/", "https://пример.рф/", "https://\u202egro.elpmaxe\u202c/letter",
		"https://%E2%80%AEgro.elpmaxe/", "https://ｅｘａｍｐｌｅ.org", "https://مثالa.com", "https://xn--zz.com", "https://[::1]:1/",
		"https://例え.テスト/", "https://e\u0301xample.org", "https://a\u200db.org", "https://www.укр.укр",
	} {
		f.Add(u)
	}
	f.Fuzz(func(t *testing.T, u string) {
		got := Display(u)
		if r, _, bad := Hidden(got, true); bad {
			t.Fatalf("Display(%q) = %q prints %U", u, got, r)
		}
		if !utf8.ValidString(got) {
			t.Fatalf("Display(%q) = %q is not UTF-8", u, got)
		}
		for _, r := range got {
			if r >= utf8.RuneSelf {
				if !Readable(got) {
					t.Fatalf("Display(%q) = %q is not readable", u, got)
				}
				break
			}
		}
	})
}
