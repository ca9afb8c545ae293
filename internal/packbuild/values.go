package packbuild

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
)

var (
	isoDate   = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})$`)
	dottyDate = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.(\d{4})$`)
	dottyDay  = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})$`)
	yearOnly  = regexp.MustCompile(`^\d{4}$`)
	birthday  = regexp.MustCompile(`^--(\d{2})-(\d{2})$`)
)

// latestDate is the last date that is not in the future anywhere on Earth
// at now (today in UTC+14), as pack.Validate decides it.
func latestDate(now time.Time) string {
	return now.In(time.FixedZone("UTC+14", 14*3600)).Format(time.DateOnly)
}

// ymd makes an ISO date of year, month and day, or "" when there is no such day.
func ymd(y, m, d string) string {
	yi, _ := strconv.Atoi(y)
	mi, _ := strconv.Atoi(m)
	di, _ := strconv.Atoi(d)
	t := time.Date(yi, time.Month(mi), di, 0, 0, 0, 0, time.UTC)
	if t.Year() != yi || int(t.Month()) != mi || t.Day() != di {
		return ""
	}
	return t.Format(time.DateOnly)
}

// parseDate reads YYYY-MM-DD, DD.MM.YYYY or D.M.YYYY as an ISO date not
// after latest, or says why it cannot.
func parseDate(s, latest string) (string, string) {
	var iso string
	if m := isoDate.FindStringSubmatch(s); m != nil {
		iso = ymd(m[1], m[2], m[3])
	} else if m := dottyDate.FindStringSubmatch(s); m != nil {
		iso = ymd(m[3], m[2], m[1])
	}
	if iso == "" {
		return "", fmt.Sprintf("%q is not a date (want YYYY-MM-DD or DD.MM.YYYY)", s)
	}
	if iso > latest {
		return "", fmt.Sprintf("%q is in the future", s)
	}
	return iso, ""
}

// parseBorn reads a date, a year, --MM-DD or DD.MM (a birthday without year).
func parseBorn(s, latest string) (string, string) {
	switch {
	case yearOnly.MatchString(s):
		if s > latest[:4] || s < "1800" {
			return "", fmt.Sprintf("%q is not a year of birth", s)
		}
		return s, ""
	case birthday.MatchString(s) || dottyDay.MatchString(s):
		var m, d string
		if b := birthday.FindStringSubmatch(s); b != nil {
			m, d = b[1], b[2]
		} else {
			b := dottyDay.FindStringSubmatch(s)
			m, d = b[2], b[1]
		}
		if iso := ymd("2000", m, d); iso != "" {
			return "-" + iso[4:], ""
		}
		return "", fmt.Sprintf("%q is not a birthday (want --MM-DD or DD.MM)", s)
	}
	iso, msg := parseDate(s, latest)
	if msg != "" {
		return "", strings.Replace(msg, "(want ", "(want a year, ", 1)
	}
	return iso, ""
}

// viasnaStatus maps the first word of a Viasna status, in any of its
// languages, to a pack status.
var viasnaStatus = []struct{ prefix, status string }{
	{"active", pack.StatusInCustody},
	{"former", pack.StatusReleased},
	{"действующ", pack.StatusInCustody},
	{"бывш", pack.StatusReleased},
	{"дзейн", pack.StatusInCustody},
	{"был", pack.StatusReleased},
}

// parseStatus reads a pack status (in any case, with spaces or hyphens for
// underscores) or a Viasna status.
func parseStatus(s string) (string, string) {
	v := strings.ToLower(strings.Join(strings.Fields(s), " "))
	norm := strings.NewReplacer(" ", "_", "-", "_").Replace(v)
	for _, st := range pack.StatusKeys() {
		if norm == st {
			return st, ""
		}
	}
	first, _, _ := strings.Cut(v, " ")
	for _, vs := range viasnaStatus {
		if strings.HasPrefix(first, vs.prefix) {
			return vs.status, ""
		}
	}
	return "", fmt.Sprintf("%q is not a status; use one of %s, or Viasna's active (действующий, дзейны) or former (бывший, былы)", s, strings.Join(pack.StatusKeys(), ", "))
}

// parseBool reads yes/no in English, Russian and Belarusian, true/false and 1/0.
func parseBool(s string) (bool, string) {
	switch strings.ToLower(s) {
	case "yes", "y", "true", "1", "да", "так":
		return true, ""
	case "no", "n", "false", "0", "нет", "не":
		return false, ""
	}
	return false, fmt.Sprintf("%q is not yes or no", s)
}

// parseWeight reads a number, with a decimal point or comma.
func parseWeight(s string) (float64, string) {
	f, err := strconv.ParseFloat(strings.Replace(s, ",", ".", 1), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Sprintf("%q is not a number", s)
	}
	if f < 0.1 || f > 10 {
		return 0, fmt.Sprintf("%s is outside 0.1 to 10", s)
	}
	return f, ""
}

var (
	leadingCode = regexp.MustCompile(`^(\d+(?:[.\-]\d+)*)\.?(?:[\s:–—-]+(.*))?$`)
	articleRef  = regexp.MustCompile(`(?i)(?:ст|стат[ьт]я|арт|артыкул|art|article)\.?\s*(\d+(?:[.\-]\d+)*)`)
)

// parseCharges splits a cell on semicolons and newlines into charges: a
// leading article number is the code and the rest the label ("356 High
// treason"); otherwise an article reference ("ч. 1 ст. 342") gives the code
// and the whole item is the label.
func parseCharges(s, lang string) []pack.Charge {
	var out []pack.Charge
	for _, item := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '\n' }) {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		var c pack.Charge
		if m := leadingCode.FindStringSubmatch(item); m != nil {
			c.Code = m[1]
			if label := strings.TrimSpace(m[2]); label != "" {
				c.Label = pack.Text{lang: label}
			}
		} else {
			if m := articleRef.FindStringSubmatch(item); m != nil {
				c.Code = m[1]
			}
			c.Label = pack.Text{lang: item}
		}
		out = append(out, c)
	}
	return out
}
