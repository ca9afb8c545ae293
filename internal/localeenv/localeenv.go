// Package localeenv gives Fyne a locale it can read, before Fyne reads it.
//
// Fyne's lang package reads the user's languages in its package init
// (through github.com/jeandeaual/go-locale): the first of LC_ALL,
// LC_MESSAGES and LANG, or LANGUAGE unless that is exactly C or POSIX. A
// locale such as C.UTF-8 (Debian's default in containers and minimal
// installs), POSIX.UTF-8 or sr_RS@latin reaches it as a tag that does not
// parse, and every command then prints "Fyne error: Error parsing user
// locale C" before it has started. This package's init sets LANGUAGE, which
// only message catalogues read, to the same languages in a form that
// parses ("en" for C.UTF-8, "sr_RS" for sr_RS@latin); the C library's locale
// (LC_ALL, LANG) is left as it is.
//
// It imports nothing but os, so that it runs first: Go initializes, in
// import-path order, each package whose imports are initialized, and Fyne's
// lang package needs log, which needs os and sorts after this package. main
// imports it for that effect alone; cmd/kiosk's tests run the binary with
// every LANG and look for the message.
package localeenv

import "os"

func init() {
	if v, change := languages(os.Getenv); change {
		_ = os.Setenv("LANGUAGE", v)
	}
}

// languages is the LANGUAGE value that gives Fyne the user's languages in a
// form it parses, and whether LANGUAGE must change to it.
func languages(getenv func(string) string) (string, bool) {
	loc := ""
	for _, v := range [...]string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if loc = getenv(v); loc != "" {
			break
		}
	}
	if loc == "" || loc == "C" || loc == "POSIX" {
		return "", false // read as no locale: English, and no message
	}
	src := getenv("LANGUAGE")
	if src == "" {
		src = loc
	}
	if parses(src) {
		return "", false
	}
	good := usable(getenv("LANGUAGE"))
	if good == "" {
		good = usable(loc)
	}
	if good == "" {
		good = "en"
	}
	return good, true
}

// parses tells whether every locale of a colon-separated list reaches Fyne
// as a tag it parses, as go-locale passes it on: the charset cut off, the
// rest split at the first _ or -.
func parses(list string) bool {
	for _, e := range split(list) {
		if i := index(e, '.'); i >= 0 {
			e = e[:i]
		}
		lang, terr := cut(e)
		if !isLang(lang) || terr != "" && !isTerr(terr) {
			return false
		}
	}
	return true
}

// usable keeps, of a colon-separated list of locales, those with a
// language Fyne can parse, each as language or language_TERRITORY.
func usable(list string) string {
	out := ""
	for _, e := range split(list) {
		if t := clean(e); t != "" {
			if out != "" {
				out += ":"
			}
			out += t
		}
	}
	return out
}

// clean turns ll_TT.charset@modifier (or ll-TT) into ll_TT, ll when the
// territory is odd, and "" when the language is not two or three letters
// (C, POSIX, anything else).
func clean(loc string) string {
	if i := index(loc, '@'); i >= 0 {
		loc = loc[:i]
	}
	if i := index(loc, '.'); i >= 0 {
		loc = loc[:i]
	}
	lang, terr := cut(loc)
	if !isLang(lang) {
		return ""
	}
	if !isTerr(terr) {
		return lang
	}
	return lang + "_" + terr
}

// cut splits a locale at its first _ or -.
func cut(loc string) (lang, terr string) {
	for i := 0; i < len(loc); i++ {
		if loc[i] == '_' || loc[i] == '-' {
			return loc[:i], loc[i+1:]
		}
	}
	return loc, ""
}

// split splits a colon-separated list, leaving out empty entries.
func split(list string) []string {
	var out []string
	for list != "" {
		e := list
		if i := index(list, ':'); i >= 0 {
			e, list = list[:i], list[i+1:]
		} else {
			list = ""
		}
		if e != "" {
			out = append(out, e)
		}
	}
	return out
}

// isLang: a language of two or three letters (C and POSIX are not).
func isLang(s string) bool { return len(s) >= 2 && len(s) <= 3 && all(s, isLetter) }

// isTerr: a territory (BY, 419) or script (Latn) subtag.
func isTerr(s string) bool { return len(s) >= 2 && len(s) <= 8 && all(s, isAlnum) }

func index(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}

func all(s string, ok func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool  { return isLetter(c) || c >= '0' && c <= '9' }
