package packbuild

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// cyrillic transliterates Russian, Belarusian and Ukrainian letters to
// Latin, close to the passport systems; beCyrillic overrides it for
// Belarusian text (Ганна → hanna).
var cyrillic = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "io", 'ж': "zh",
	'з': "z", 'и': "i", 'й': "i", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o",
	'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts",
	'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "iu",
	'я': "ia", 'і': "i", 'ў': "u", 'ґ': "g", 'є': "ie", 'ї': "i",
}

var beCyrillic = map[rune]string{'г': "h", 'х': "ch", 'ё': "io", 'е': "e"}

// latin replaces Latin letters that do not decompose into a base letter and marks.
var latin = map[rune]string{
	'ł': "l", 'ø': "o", 'đ': "d", 'ð': "d", 'þ': "th", 'ß': "ss", 'æ': "ae", 'œ': "oe", 'ı': "i",
}

// fold lowercases s and removes accents (Šimonytė → simonyte); with
// translit it also writes Cyrillic in Latin letters, by Belarusian rules
// when lang is "be".
func fold(s, lang string, translit bool) string {
	var b strings.Builder
	for _, r := range norm.NFC.String(strings.ToLower(s)) {
		if t, ok := latin[r]; ok {
			b.WriteString(t)
			continue
		}
		if translit {
			if t, ok := beCyrillic[r]; ok && lang == "be" {
				b.WriteString(t)
				continue
			}
			if t, ok := cyrillic[r]; ok {
				b.WriteString(t)
				continue
			}
		}
		b.WriteRune(r)
	}
	var out strings.Builder
	for _, r := range norm.NFD.String(b.String()) {
		if !unicode.Is(unicode.Mn, r) {
			out.WriteRune(r)
		}
	}
	return norm.NFC.String(out.String())
}

// matchKey is how photo file names are compared with ids and names: case
// and accents folded, and _, -, . and spaces all one space.
func matchKey(s string) string {
	return strings.Join(strings.FieldsFunc(fold(s, "", false), func(r rune) bool {
		return r == '_' || r == '-' || r == '.' || unicode.IsSpace(r)
	}), " ")
}

// maxSlug leaves room for a -NNNNN suffix within the 64 characters of an id.
const maxSlug = 56

// slug makes an id from text: Latin letters, digits and single hyphens.
func slug(s, lang string) string {
	var b strings.Builder
	dash := false
	for _, r := range fold(s, lang, true) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
			continue
		}
		dash = true
	}
	out := b.String()
	if len(out) > maxSlug {
		out = strings.TrimRight(out[:maxSlug], "-")
	}
	return out
}
