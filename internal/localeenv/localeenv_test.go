package localeenv

import (
	"testing"

	"golang.org/x/text/language"
)

func TestLanguages(t *testing.T) {
	cases := []struct {
		name, lcAll, lang, language string
		want                        string
		change                      bool
	}{
		{name: "unset"},
		{name: "C", lang: "C"},
		{name: "POSIX", lang: "POSIX"},
		{name: "C.UTF-8", lang: "C.UTF-8", want: "en", change: true},
		{name: "C.utf8", lang: "C.utf8", want: "en", change: true},
		{name: "POSIX.UTF-8", lang: "POSIX.UTF-8", want: "en", change: true},
		{name: "LC_ALL wins", lcAll: "C.UTF-8", lang: "be_BY.UTF-8", want: "en", change: true},
		{name: "an ordinary locale", lang: "be_BY.UTF-8"},
		{name: "a script", lang: "zh_Hant.UTF-8"},
		{name: "a modifier after the charset", lang: "sr_RS.UTF-8@latin"},
		{name: "a modifier", lang: "sr_RS@latin", want: "sr_RS", change: true},
		{name: "LANGUAGE kept", lang: "en_US.UTF-8", language: "pl:en", want: "pl:en"},
		{name: "LANGUAGE with C", lang: "C.UTF-8", language: "C", want: "en", change: true},
		{name: "LANGUAGE cleaned", lang: "de_DE.UTF-8", language: "uk_UA@x:C:de", want: "uk_UA:de", change: true},
		{name: "exactly C ignores LANGUAGE", lang: "C", language: "C"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := map[string]string{"LC_ALL": c.lcAll, "LANG": c.lang, "LANGUAGE": c.language}
			got, change := languages(func(k string) string { return env[k] })
			if change != c.change || change && got != c.want {
				t.Fatalf("LANGUAGE %q (change %v), want %q (%v)", got, change, c.want, c.change)
			}
			if change {
				env["LANGUAGE"] = got
			}
			// What go-locale hands to Fyne parses.
			for _, tag := range goLocale(env) {
				if _, err := language.Parse(tag); err != nil {
					t.Errorf("Fyne is given %q: %v", tag, err)
				}
			}
		})
	}
}

// goLocale is what github.com/jeandeaual/go-locale's GetLocales returns on
// Linux for env (locale_unix.go, util.go).
func goLocale(env map[string]string) []string {
	loc := env["LC_ALL"]
	if loc == "" {
		loc = env["LANG"]
	}
	if loc == "" || loc == "C" || loc == "POSIX" {
		return nil
	}
	if env["LANGUAGE"] != "" {
		loc = env["LANGUAGE"]
	}
	var out []string
	for _, e := range split(loc) {
		if i := index(e, '.'); i >= 0 {
			e = e[:i]
		}
		lang, terr := cut(e)
		if terr != "" {
			lang += "-" + terr
		}
		out = append(out, lang)
	}
	return out
}
