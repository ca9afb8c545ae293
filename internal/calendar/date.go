// Package calendar decides, from one local date, which days matter and
// what each person's day holds: the built-in days (21 May, the Day of
// Solidarity with Political Prisoners of Belarus; 8 March, when women
// political prisoners are remembered), a pack's own days, birthdays,
// 1,000 days behind bars and every further 500, anniversaries of arrests
// and of deaths in custody; how much more often each person is shown
// that day (never above 3× their pack weight), and the postcard hour's
// choice of people. Nothing here reads the clock: the date is passed in,
// and screens in step pass the date of the slot's start (SlotDate), so
// that every screen of a row decides from the same day.
package calendar

import (
	"fmt"
	"time"
)

// Date is a day of the kiosk's local calendar.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf is the date of t in t's location (the kiosk's local time).
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// SlotDate is the date a slide decides from when it fills a slot that
// starts at start: the local date of the slot's start, not of the moment
// the slide is drawn. Screens in step draw slot k at slightly different
// moments (one at 23:59:59, its neighbour at 00:00:00); from the slot's
// start they all decide the same day.
func SlotDate(start time.Time) Date { return DateOf(start) }

// ParseDate reads an ISO date (YYYY-MM-DD).
func ParseDate(s string) (Date, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, false
	}
	return DateOf(t), true
}

// noon is the date as a time in UTC: date arithmetic on it never meets a
// daylight-saving change.
func (d Date) noon() time.Time { return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC) }

// AddDays is the date n days later (earlier for negative n).
func (d Date) AddDays(n int) Date { return DateOf(d.noon().AddDate(0, 0, n)) }

// Since is the number of days from e to d (negative when d is earlier),
// exact for any two dates: counted on day numbers, never through a
// time.Duration, which saturates at about 292 years.
func (d Date) Since(e Date) int { return int(d.dayNumber() - e.dayNumber()) }

// dayNumber is the number of days from 1970-01-01 to d.
func (d Date) dayNumber() int64 {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.Since(e) < 0 }

// Weekday is the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.noon().Weekday() }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String writes d as an ISO date.
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Midnight is the start of d in loc.
func (d Date) Midnight(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// MonthDay is a day that comes every year.
type MonthDay struct {
	Month time.Month
	Day   int
}

// In is the date of md in year. 29 February falls on 28 February in a
// year that has no 29th: a birthday or anniversary stays in its month
// (and a "birthday this month" card in February) rather than moving to
// March.
func (md MonthDay) In(year int) Date {
	if md.Month == time.February && md.Day == 29 && !leap(year) {
		return Date{year, time.February, 28}
	}
	return Date{year, md.Month, md.Day}
}

// Next is the first date of md on or after d, and how many days away it is.
func (md MonthDay) Next(d Date) (Date, int) {
	on := md.In(d.Year)
	if on.Before(d) {
		on = md.In(d.Year + 1)
	}
	return on, on.Since(d)
}

func leap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// ParseMonthDay reads a day every year: "--MM-DD" (a pack's day, a
// birthday without the year) or the month and day of "YYYY-MM-DD"; ok is
// false for anything else (a birth year alone, "YYYY").
func ParseMonthDay(s string) (MonthDay, bool) {
	if len(s) == 7 && s[:2] == "--" {
		s = "2000" + s[1:] // a leap year: --02-29 is a day of the year
	}
	d, ok := ParseDate(s)
	if !ok {
		return MonthDay{}, false
	}
	return MonthDay{d.Month, d.Day}, true
}

// DayOn reports whether a pack's day (its date "--MM-DD" every year, or
// "YYYY-MM-DD" once) falls on d; a date it cannot read never does.
func DayOn(date string, d Date) bool {
	if len(date) == 7 && date[:2] == "--" {
		md, ok := ParseMonthDay(date)
		return ok && md.In(d.Year) == d
	}
	once, ok := ParseDate(date)
	return ok && once == d
}
