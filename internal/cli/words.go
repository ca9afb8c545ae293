package cli

import (
	"os"
	"strconv"
	"strings"

	"github.com/solidarity-kiosk/kiosk/internal/i18n"
)

// words are the CLI's messages in the user's language (LC_ALL,
// LC_MESSAGES or LANG, as for any command-line program); English when
// there is none or the kiosk lacks it.
func (env Env) words() *i18n.Words {
	c, err := i18n.Embedded()
	if err != nil {
		panic(err) // the translations are embedded: a failure is a build error
	}
	lang := env.Lang
	if lang == "" {
		lang = localeLanguage()
	}
	return c.For(lang)
}

// localeLanguage reads the language from the POSIX locale variables
// (ru_RU.UTF-8 → ru); "" for C/POSIX or none.
func localeLanguage() string {
	for _, v := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		loc := os.Getenv(v)
		if loc == "" {
			continue
		}
		lang, _, _ := strings.Cut(loc, ".")
		lang, _, _ = strings.Cut(lang, "@")
		lang = strings.ReplaceAll(lang, "_", "-")
		if lang == "C" || lang == "POSIX" {
			return ""
		}
		return lang
	}
	return ""
}

// quote writes s as the messages show ids and versions.
func quote(s string) string { return strconv.Quote(s) }
