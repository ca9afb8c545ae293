// Package linkhost says where a link goes, in a form a visitor can trust:
// the host printed under a QR code, on screen and on paper, comes from
// Display and nowhere else. A host that mixes scripts, or is made of letters
// that only look like Latin ones, is printed as its punycode (the xn-- form
// a phone visits anyway), so that раураl.com, with Cyrillic letters, can
// never read as paypal.com. Hidden finds the characters a pack may not put
// in a link at all: bidi controls and other invisible format characters,
// control characters and separators, which can make the printed address
// read other than where the code leads (docs/PACK-FORMAT.md, "Links").
//
// The package has no dependency on the screen, so that the validator
// (internal/pack), the slides, the placards and the studio share it.
package linkhost

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// Display is the host of the link u as the kiosk prints it under a code:
// lower case, without a leading "www." or a trailing dot, in Unicode when
// Readable allows it and as punycode otherwise. A host that cannot be made
// safe (one holding a character Hidden finds) is printed with every
// character outside printable ASCII written as a \u escape, never as the
// text it would pretend to be; one that IDNA refuses otherwise (a label
// mixing right-to-left and left-to-right letters) as the punycode of its
// letters. "" when u does not parse.
func Display(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return Host(p.Hostname())
}

// Host is Display for a host name alone (no scheme, no port).
func Host(h string) string {
	h = strings.TrimSuffix(h, ".")
	if plainASCII(h) {
		return trimWWW(strings.ToLower(h))
	}
	if _, _, bad := Hidden(h, true); bad {
		return escaped(strings.ToLower(h))
	}
	a, err := idna.Lookup.ToASCII(h)
	if err != nil { // e.g. a label mixing right-to-left and left-to-right letters
		if a, err = idna.Punycode.ToASCII(strings.ToLower(h)); err != nil {
			return escaped(strings.ToLower(h))
		}
		return trimWWW(a)
	}
	u, err := idna.Lookup.ToUnicode(a)
	if u = trimWWW(u); err != nil || !Readable(u) {
		return trimWWW(a)
	}
	return u
}

// ASCII is the host in the form compared with allowed_link_hosts and
// visited by a phone: the IDNA lookup form (punycode, lower case, without a
// trailing dot). A host IDNA refuses is only lower-cased.
func ASCII(h string) string {
	h = strings.TrimSuffix(h, ".")
	if plainASCII(h) {
		return strings.ToLower(h)
	}
	if a, err := idna.Lookup.ToASCII(h); err == nil {
		return a
	}
	return strings.ToLower(h)
}

// plainASCII reports whether h is printable ASCII with no punycode label,
// so that it reads as it is.
func plainASCII(h string) bool {
	for i := 0; i < len(h); i++ {
		if h[i] <= ' ' || h[i] >= 0x7f {
			return false
		}
	}
	for label := range strings.SplitSeq(strings.ToLower(h), ".") {
		if strings.HasPrefix(label, "xn--") {
			return false
		}
	}
	return true
}

func trimWWW(h string) string { return strings.TrimPrefix(h, "www.") }

// escaped writes every character of h outside printable ASCII as a \u (or
// \U) escape.
func escaped(h string) string {
	q := strconv.QuoteToASCII(h)
	return q[1 : len(q)-1]
}

// Readable reports whether the host h, in Unicode and as IDNA maps it
// (lower case, NFC), may be printed as it is:
//
//   - all its letters are of one script: Latin, Cyrillic, Greek, Arabic,
//     Hebrew, Georgian, … (digits, hyphens and combining marks belong to
//     every script; Han with Hiragana and Katakana, with Hangul, or with
//     Bopomofo counts as one script, as Japanese, Korean and Chinese are
//     written);
//   - in a Latin host, every letter outside ASCII is an ASCII letter with
//     marks (é, ü, ą, ş) or one of the letters ß æ ø œ ð þ ł đ ħ ŋ ŧ; a
//     letter such as ɑ or ı that only looks like an ASCII one is not;
//   - in a Cyrillic, Greek or Armenian host, no label but the last (the
//     top-level domain) is made only of letters that look like Latin
//     ones (сосо, ехс, οκ).
//
// A host that is not readable is printed as its punycode.
func Readable(h string) bool {
	if h == "" || !utf8.ValidString(h) {
		return false
	}
	scripts := map[string]bool{}
	for _, r := range h {
		if !unicode.IsLetter(r) {
			if unicode.IsDigit(r) || r == '-' || r == '.' || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Mc, r) {
				continue
			}
			return false // a symbol, a space, punctuation: not a host a visitor reads
		}
		s := scriptOf(r)
		if s == "" {
			return false
		}
		scripts[s] = true
	}
	if !oneScript(scripts) {
		return false
	}
	switch {
	case scripts["Latin"]:
		return latinReadable(h)
	case scripts["Cyrillic"], scripts["Greek"], scripts["Armenian"]:
		labels := strings.Split(h, ".")
		for _, l := range labels[:len(labels)-1] {
			if latinAlike(l) {
				return false
			}
		}
	}
	return true
}

// oneScript reports whether the scripts are one, or a combination that
// one language writes with (Japanese, Korean, Chinese).
func oneScript(s map[string]bool) bool {
	if len(s) <= 1 {
		return true
	}
	for _, group := range [][]string{{"Han", "Hiragana", "Katakana"}, {"Han", "Hangul"}, {"Han", "Bopomofo"}} {
		in := 0
		for _, name := range group {
			if s[name] {
				in++
			}
		}
		if in == len(s) {
			return true
		}
	}
	return false
}

// commonScripts are tried first: they are where host letters come from.
var commonScripts = []string{"Latin", "Cyrillic", "Greek", "Arabic", "Hebrew", "Han", "Hiragana", "Katakana", "Hangul", "Georgian", "Armenian", "Devanagari", "Thai"}

// scriptOf is the name of the script of the letter r, "" when none.
func scriptOf(r rune) string {
	for _, name := range commonScripts {
		if unicode.Is(unicode.Scripts[name], r) {
			return name
		}
	}
	for name, table := range unicode.Scripts {
		if name != "Common" && name != "Inherited" && unicode.Is(table, r) {
			return name
		}
	}
	return ""
}

// latinLetters are the Latin letters outside ASCII, with no ASCII letter
// under them, that do not pass for an ASCII letter.
const latinLetters = "ßæøœðþłđħŋŧ"

func latinReadable(h string) bool {
	for _, r := range h {
		if r < utf8.RuneSelf || !unicode.IsLetter(r) || strings.ContainsRune(latinLetters, r) {
			continue
		}
		base, _ := utf8.DecodeRuneInString(norm.NFD.String(string(r)))
		if base >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// latinAlikes are Cyrillic, Greek and Armenian lower-case letters that
// look like Latin ones (after the lists browsers keep for the same check).
const latinAlikes = "" +
	"асԁеһіјӏорԛѕԝхуъьҽпгѵѡүӑӓӗӧ" + // Cyrillic: a c d e h i j l o p q s w x y b b e n r v w y ă ä ĕ ö
	"αικνορτυχγϲϳω" + // Greek: a i k v o p t u x y c j w
	"ագհոսօքզցւ" // Armenian: w q h n u o p q g l

// latinAlike reports whether the label has letters, all of them latinAlikes.
func latinAlike(label string) bool {
	letters := 0
	for _, r := range label {
		switch {
		case unicode.IsLetter(r):
			if !strings.ContainsRune(latinAlikes, r) {
				return false
			}
			letters++
		case unicode.IsDigit(r), r == '-':
		default:
			return false
		}
	}
	return letters > 0
}

// Hidden finds the first character of s a pack may not put in a link:
// a bidi control (U+202A to U+202E, U+2066 to U+2069, the marks U+200E,
// U+200F and U+061C) or any other format character (Unicode category Cf:
// zero-width space, soft hyphen, byte-order mark, tag characters, …), a
// control character (Cc) or a line or paragraph separator (Zl, Zp). In a
// host (inHost true) spaces (Zs) and the joiners U+200C and U+200D are
// refused too; elsewhere the joiners are allowed, since Persian words
// write U+200C between their parts. It returns the character, the byte
// offset where it starts, and whether there is one.
func Hidden(s string, inHost bool) (r rune, at int, found bool) {
	for i, c := range s {
		switch {
		case c == '\u200c' || c == '\u200d':
			if inHost {
				return c, i, true
			}
		case unicode.Is(unicode.Cf, c), unicode.Is(unicode.Cc, c), unicode.Is(unicode.Zl, c), unicode.Is(unicode.Zp, c):
			return c, i, true
		case inHost && unicode.Is(unicode.Zs, c):
			return c, i, true
		}
	}
	return 0, 0, false
}

// names are the names of the characters Hidden finds most often.
var names = map[rune]string{
	'\u00a0': "NO-BREAK SPACE",
	'\u00ad': "SOFT HYPHEN",
	'\u061c': "ARABIC LETTER MARK",
	'\u200b': "ZERO WIDTH SPACE",
	'\u200c': "ZERO WIDTH NON-JOINER",
	'\u200d': "ZERO WIDTH JOINER",
	'\u200e': "LEFT-TO-RIGHT MARK",
	'\u200f': "RIGHT-TO-LEFT MARK",
	'\u2028': "LINE SEPARATOR",
	'\u2029': "PARAGRAPH SEPARATOR",
	'\u202a': "LEFT-TO-RIGHT EMBEDDING",
	'\u202b': "RIGHT-TO-LEFT EMBEDDING",
	'\u202c': "POP DIRECTIONAL FORMATTING",
	'\u202d': "LEFT-TO-RIGHT OVERRIDE",
	'\u202e': "RIGHT-TO-LEFT OVERRIDE",
	'\u2060': "WORD JOINER",
	'\u2066': "LEFT-TO-RIGHT ISOLATE",
	'\u2067': "RIGHT-TO-LEFT ISOLATE",
	'\u2068': "FIRST STRONG ISOLATE",
	'\u2069': "POP DIRECTIONAL ISOLATE",
	'\ufeff': "ZERO WIDTH NO-BREAK SPACE (byte-order mark)",
}

// Describe names a character Hidden found, e.g. "the bidi control U+202E
// RIGHT-TO-LEFT OVERRIDE".
func Describe(r rune) string {
	kind := "the invisible format character"
	switch {
	case r >= '\u202a' && r <= '\u202e', r >= '\u2066' && r <= '\u2069', r == '\u200e', r == '\u200f', r == '\u061c':
		kind = "the bidi control"
	case unicode.Is(unicode.Cc, r):
		kind = "the control character"
	case unicode.Is(unicode.Zs, r), unicode.Is(unicode.Zl, r), unicode.Is(unicode.Zp, r):
		kind = "the separator"
	}
	s := fmt.Sprintf("%s %U", kind, r)
	if n, ok := names[r]; ok {
		s += " " + n
	}
	return s
}
