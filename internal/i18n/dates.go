package i18n

import (
	"strconv"
	"strings"
	"time"
)

// dateStyle is how a language writes a date: the month names in the form
// a date takes (the genitive in Slavic and Baltic languages) and the order.
type dateStyle struct {
	months [12]string
	full   string // with "D", "M", "Y" for day, month name, year
	short  string // day and month only
}

var dateStyles = map[string]dateStyle{
	"en": {
		months: [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		full:   "D M Y", short: "D M",
	},
	"be": {
		months: [12]string{"студзеня", "лютага", "сакавіка", "красавіка", "мая", "чэрвеня", "ліпеня", "жніўня", "верасня", "кастрычніка", "лістапада", "снежня"},
		full:   "D M Y г.", short: "D M",
	},
	"ru": {
		months: [12]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"},
		full:   "D M Y г.", short: "D M",
	},
	"uk": {
		months: [12]string{"січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня", "листопада", "грудня"},
		full:   "D M Y р.", short: "D M",
	},
	"pl": {
		months: [12]string{"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia", "września", "października", "listopada", "grudnia"},
		full:   "D M Y", short: "D M",
	},
	"lt": {
		months: [12]string{"sausio", "vasario", "kovo", "balandžio", "gegužės", "birželio", "liepos", "rugpjūčio", "rugsėjo", "spalio", "lapkričio", "gruodžio"},
		full:   "Y m. M D d.", short: "M D d.",
	},
	"de": {
		months: [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
		full:   "D. M Y", short: "D. M",
	},
	// Persian: the Gregorian date (packs give Gregorian dates) with the
	// month names Persian uses for it, in Persian digits.
	"fa": {
		months: [12]string{"ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر"},
		full:   "D M Y", short: "D M",
	},
}

// Date writes an ISO date (2024-05-20) the way this language writes it:
// 20 May 2024, 20 мая 2024 г., 2024 m. gegužės 20 d., ۲۰ مه ۲۰۲۴. Text
// that is not an ISO date is returned as it is.
func (w *Words) Date(iso string) string {
	t, err := time.Parse(time.DateOnly, iso)
	if err != nil {
		return iso
	}
	return w.format(t, w.style().full)
}

// DayMonth writes a day and month without the year (a birthday).
func (w *Words) DayMonth(t time.Time) string { return w.format(t, w.style().short) }

func (w *Words) style() dateStyle {
	if s, ok := dateStyles[w.Lang]; ok {
		return s
	}
	return dateStyles["en"]
}

func (w *Words) format(t time.Time, pattern string) string {
	s := w.style()
	r := strings.NewReplacer(
		"D", w.digits(strconv.Itoa(t.Day())),
		"M", s.months[t.Month()-1],
		"Y", w.digits(strconv.Itoa(t.Year())),
	)
	return r.Replace(pattern)
}

// digits writes ASCII digits in this language's digits (Persian ۰–۹).
func (w *Words) digits(s string) string {
	if w.Lang != "fa" {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '۰' + (r - '0')
		}
		return r
	}, s)
}
