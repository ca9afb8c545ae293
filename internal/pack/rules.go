package pack

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/language"

	"github.com/solidarity-kiosk/kiosk/internal/linkhost"
)

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// checkID returns why s is not a valid pack or person id, or "".
func checkID(s string) string {
	switch {
	case s == "":
		return "missing"
	case !idPattern.MatchString(s):
		return fmt.Sprintf("%q must be 1 to 64 of a-z, 0-9 and -, starting with a letter or digit", s)
	}
	return ""
}

// EarliestDate is the earliest date a pack may hold: a date before it is a
// typing mistake (0001-01-02 for an unknown arrest date), and would make
// "day N behind bars" absurd.
const EarliestDate = "1900-01-01"

// isDate reports whether s is an ISO date, YYYY-MM-DD.
func isDate(s string) bool {
	t, err := time.Parse(time.DateOnly, s)
	return err == nil && t.Format(time.DateOnly) == s
}

// checkDate returns why s is not a valid ISO date from EarliestDate to
// latest, or "". latest "" allows any date from EarliestDate on.
func checkDate(s, latest string) string {
	switch {
	case !isDate(s):
		return fmt.Sprintf("%q is not a date (want YYYY-MM-DD)", s)
	case s < EarliestDate:
		return fmt.Sprintf("%q is before %s, the earliest date a pack may hold", s, EarliestDate)
	case latest != "" && s > latest:
		return fmt.Sprintf("%q is in the future", s)
	}
	return ""
}

// checkBorn accepts YYYY-MM-DD, --MM-DD or YYYY.
func checkBorn(s, latest string) string {
	switch {
	case len(s) == 4:
		if _, err := time.Parse("2006", s); err != nil || s > latest[:4] {
			return fmt.Sprintf("%q is not a year, a date or --MM-DD", s)
		}
		if s < EarliestDate[:4] {
			return fmt.Sprintf("%q is before %s, the earliest year a pack may hold", s, EarliestDate[:4])
		}
		return ""
	case strings.HasPrefix(s, "--"):
		if t, err := time.Parse(time.DateOnly, "2000"+s[1:]); err != nil || t.Format("--01-02") != s {
			return fmt.Sprintf("%q is not a birthday (want --MM-DD)", s)
		}
		return ""
	}
	return checkDate(s, latest)
}

// text checks every language of t: valid text, at most max characters.
func (v *validator) text(t Text, max int) string {
	for lang, s := range t {
		if msg := checkString(s, max); msg != "" {
			if lang == "" {
				return msg
			}
			return lang + ": " + msg
		}
		if lang != "" && !v.validTag(lang) {
			return fmt.Sprintf("%q is not a language tag", lang)
		}
	}
	return ""
}

// validTag parses a language tag once per validation.
func (v *validator) validTag(tag string) bool {
	ok, seen := v.tags[tag]
	if !seen {
		_, err := language.Parse(tag)
		ok = err == nil
		v.tags[tag] = ok
	}
	return ok
}

// checkString: valid UTF-8, no control characters but newline and tab, at most max characters.
func checkString(s string, max int) string {
	if !utf8.ValidString(s) {
		return "is not valid UTF-8 text"
	}
	if n := utf8.RuneCountInString(s); n > max {
		return fmt.Sprintf("is %d characters long; the limit is %d", n, max)
	}
	for _, r := range s {
		if unicode.IsControl(r) && r != '\n' && r != '\t' || r == utf8.RuneError {
			return fmt.Sprintf("contains the control character %U", r)
		}
	}
	return ""
}

// maxURLBytes is the longest link the kiosk accepts.
const maxURLBytes = 512

// checkLink returns why u cannot be a QR target, or "".
func checkLink(u string, allowed []string) string {
	if msg := checkURL(u, true); msg != "" {
		return msg
	}
	if len(allowed) == 0 {
		return ""
	}
	host := normHost(mustParse(u).Hostname())
	for _, a := range allowed {
		a = normHost(a)
		if host == a || strings.HasSuffix(host, "."+a) {
			return ""
		}
	}
	return fmt.Sprintf("host %q is not in allowed_link_hosts", host)
}

func mustParse(u string) *url.URL {
	p, _ := url.Parse(u)
	return p
}

// normHost is the host as allowed_link_hosts compares it: the form a
// phone looks up (punycode, lower case, no trailing dot), so that пример.рф
// and xn--e1afmkfd.xn--p1ai are one host, and ｅｘａｍｐｌｅ.org is example.org.
func normHost(h string) string { return linkhost.ASCII(h) }

// checkHidden refuses a link holding a character that can make its printed
// form read other than where it leads (linkhost.Hidden): anywhere in the
// host, and anywhere else in the link, also once %-escapes are decoded.
func checkHidden(u string) string {
	bad := func(r rune, where string) string {
		if where != "" {
			where = " in its " + where
		}
		return fmt.Sprintf("%q has %s%s; a link must not hold invisible or direction-changing characters or spaces (the printed address could read other than where the code leads)", u, linkhost.Describe(r), where)
	}
	if p, err := url.Parse(u); err == nil {
		if r, _, found := linkhost.Hidden(p.Hostname(), true); found {
			return bad(r, "host")
		}
		query, _ := url.QueryUnescape(p.RawQuery)
		for _, part := range []struct{ where, s string }{{"path", p.Path}, {"query", query}, {"fragment", p.Fragment}} {
			if r, _, found := linkhost.Hidden(part.s, false); found {
				return bad(r, part.where)
			}
		}
	}
	if r, _, found := linkhost.Hidden(u, false); found {
		return bad(r, "")
	}
	// A space written as it is (not %20) reads as the end of the link.
	if i := strings.IndexFunc(u, func(r rune) bool { return unicode.Is(unicode.Zs, r) }); i >= 0 {
		r, _ := utf8.DecodeRuneInString(u[i:])
		return bad(r, "")
	}
	return ""
}

// checkURL returns why u is not a well-formed link, or "". httpsOnly refuses http.
func checkURL(u string, httpsOnly bool) string {
	if len(u) > maxURLBytes {
		return fmt.Sprintf("is %d bytes long; the limit is %d", len(u), maxURLBytes)
	}
	if strings.ContainsFunc(u, func(r rune) bool { return r <= ' ' || r == 0x7f || r == utf8.RuneError }) {
		return fmt.Sprintf("%q contains spaces or control characters", u)
	}
	if msg := checkHidden(u); msg != "" {
		return msg
	}
	p, err := url.Parse(u)
	if err != nil || p.Scheme == "" {
		return fmt.Sprintf("%q is not a link", u)
	}
	scheme := strings.ToLower(p.Scheme)
	switch {
	case scheme == "http" && httpsOnly:
		return fmt.Sprintf("%q must use https://, not http://", u)
	case scheme != "https" && scheme != "http":
		if httpsOnly {
			return fmt.Sprintf("%q must be an https:// link (a %s: link is never encoded)", u, scheme)
		}
		return fmt.Sprintf("%q must be an http:// or https:// link", u)
	case p.User != nil:
		return fmt.Sprintf("%q must not contain a user name or password", u)
	case p.Hostname() == "" || p.Opaque != "":
		return fmt.Sprintf("%q has no host", u)
	}
	return ""
}

// checkPackPath returns why a path inside the pack is unsafe, or "".
func checkPackPath(p string) string {
	switch {
	case p == "":
		return "missing"
	case strings.Contains(p, "\\"):
		return fmt.Sprintf("%q must use / between folders, not \\", p)
	case strings.HasPrefix(p, "/") || len(p) >= 2 && p[1] == ':':
		return fmt.Sprintf("%q must be a path inside the pack, not an absolute path", p)
	case path.Clean(p) != p || p == "." || strings.HasPrefix(p, "../") || p == "..":
		return fmt.Sprintf("%q must be a plain path inside the pack (no .., no //, no ./)", p)
	}
	return checkString(p, 255)
}

// PhotoExtensions are the file extensions a photo may have (the pack
// format: JPEG, PNG, WebP), in the order messages list them.
var PhotoExtensions = []string{".jpg", ".jpeg", ".png", ".webp"}

// PhotoFormat is the image format a photo's extension names ("jpeg",
// "png", "webp"), in any case; "" for an extension a photo may not have.
func PhotoFormat(ext string) string {
	switch strings.ToLower(ext) {
	case ".jpg", ".jpeg":
		return "jpeg"
	case ".png":
		return "png"
	case ".webp":
		return "webp"
	}
	return ""
}

func checkPhotoPath(p string) string {
	if msg := checkPackPath(p); msg != "" {
		return msg
	}
	ext := strings.ToLower(path.Ext(p))
	if ext == ".heic" || ext == ".heif" {
		return fmt.Sprintf("%q: HEIC photos are not supported, export it as JPEG", p)
	}
	if PhotoFormat(ext) == "" {
		last := len(PhotoExtensions) - 1
		return fmt.Sprintf("%q must be a %s or %s file", p, strings.Join(PhotoExtensions[:last], ", "), PhotoExtensions[last])
	}
	return ""
}

var hashPattern = regexp.MustCompile(`^sha256:[0-9a-f]{64}$`)

func checkLang(tag string) string {
	if _, err := language.Parse(tag); err != nil || tag == "" {
		return fmt.Sprintf("%q is not a BCP 47 language tag", tag)
	}
	return ""
}

// checkCountry accepts an ISO 3166-1 alpha-2 code in capitals.
func checkCountry(c string) string {
	if c == "" {
		return "missing"
	}
	r, err := language.ParseRegion(c)
	if err != nil || len(c) != 2 || r.String() != c || !r.IsCountry() {
		return fmt.Sprintf("%q is not an ISO 3166-1 country code like BY, IR or RU", c)
	}
	return ""
}

// LinkProblem says why u may not become a QR code, or "" when it may: the
// same policy the validator applies (https only, a host, no user info, at
// most 512 bytes, the host in allowed when allowed is not empty).
func LinkProblem(u string, allowed []string) string { return checkLink(u, allowed) }
