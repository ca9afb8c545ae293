package ui

import (
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/solidarity-kiosk/kiosk/internal/director"
)

// panelLang is the language of the panel's calendar lines: the machine's,
// as for the rest of the panel (i18n falls back to English).
func panelLang() string { return lang.SystemLocale().LanguageString() }

// daysSection is the panel's calendar: the line for today ("Today: 21
// May, Day of Solidarity…; 3 birthdays this week") and, in red, each
// pack whose review date has passed.
func (k *kiosk) daysSection() fyne.CanvasObject {
	l := panelLang()
	box := container.NewVBox()
	if today := k.dir.Today(l); today != "" {
		line := widget.NewLabel(today)
		line.Wrapping = fyne.TextWrapWord
		box.Add(line)
	}
	words := k.words.For(l)
	for _, p := range k.dir.Stale(l) {
		line := widget.NewLabel(p.Line(words))
		line.Wrapping = fyne.TextWrapWord
		line.Importance = widget.DangerImportance
		box.Add(line)
	}
	return box
}

// hoursSection shows the opening hours in force and lets the operator
// change them (applied at once; an error names the column and changes
// nothing) or wake a sleeping screen for 10 minutes. The returned update
// refreshes the line that says whether the screen sleeps (UI goroutine).
func (k *kiosk) hoursSection() (fyne.CanvasObject, func()) {
	entry := widget.NewEntry()
	shown := func() string {
		if h := k.dir.Hours(); h != "closed" {
			return h
		}
		return "Mo-Su off" // never open: the summary "closed" would not parse again
	}
	entry.SetText(shown())
	entry.SetPlaceHolder(lang.X("panel.hours_none", "always open, e.g. Mo-Fr 10:00-19:00; Sa 11:00-17:00"))
	status := widget.NewLabel("")
	status.Wrapping = fyne.TextWrapWord
	problem := ""
	update := func() {
		if problem != "" {
			status.Importance = widget.DangerImportance
			status.SetText(problem)
			return
		}
		status.Importance = widget.MediumImportance
		status.SetText(asleepLine(k.dir, time.Now()))
	}
	apply := func() {
		problem = ""
		if err := k.dir.SetHours(entry.Text); err != nil {
			problem = err.Error()
		} else {
			k.opts.Logger.Info("opening hours changed by the operator", "hours", entry.Text)
			entry.SetText(shown())
		}
		update()
	}
	entry.OnSubmitted = func(string) { apply() }
	wake := widget.NewButton(lang.X("panel.wake", "Wake for 10 minutes"), func() {
		k.opts.Logger.Info("woken from the operator panel")
		k.dir.Send(director.Wake)
	})
	row := container.NewBorder(nil, nil, widget.NewLabel(lang.X("panel.hours", "Opening hours:")),
		container.NewHBox(widget.NewButton(lang.X("panel.apply", "Apply"), apply), wake), entry)
	update()
	return container.NewVBox(row, status), update
}

// asleepLine says until when the screen sleeps outside opening hours; ""
// when it does not sleep.
func asleepLine(d *director.Director, now time.Time) string {
	asleep, until := d.Sleeping()
	if !asleep {
		return ""
	}
	at := lang.X("panel.no_opening", "the hours set never open")
	if !until.IsZero() {
		until = until.Local()
		y1, m1, d1 := until.Date()
		y2, m2, d2 := now.Date()
		at = until.Format("15:04")
		if y1 != y2 || m1 != m2 || d1 != d2 {
			at = until.Format("2006-01-02 15:04")
		}
	}
	return lang.X("panel.asleep", "Outside opening hours: the screen sleeps until {{.Time}}.", map[string]any{"Time": at})
}
