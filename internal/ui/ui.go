// Package ui draws the kiosk. It is the only package that imports Fyne
// widgets; everything it shows comes from the store.
//
// Until the fullscreen show exists, Run opens a plain window listing the
// people in the cache, so an operator can see what was imported.
package ui

import (
	"encoding/json"
	"fmt"
	"log/slog"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/store"
)

// AppID is the application identifier, as in FyneApp.toml.
const AppID = "org.solidaritykiosk.kiosk"

// Options configure the window.
type Options struct {
	Icon     fyne.Resource
	Windowed bool
	Logger   *slog.Logger
}

// Entry is one line of the people list.
type Entry struct {
	Pack, Name, Country, Status string
}

// Entries reads the people of every cached pack, in pack order.
func Entries(st *store.Store, lang string) ([]Entry, error) {
	recs, err := st.Packs()
	if err != nil {
		return nil, err
	}
	var out []Entry
	for _, rec := range recs {
		var m pack.Manifest
		if err := json.Unmarshal(rec.Manifest, &m); err != nil {
			return nil, fmt.Errorf("pack %q: %w", rec.ID, err)
		}
		title := m.Title.Get(lang, m.Languages)
		if rec.Demo {
			title += " (demo)"
		}
		for _, p := range m.People {
			out = append(out, Entry{Pack: title, Name: p.Name.Get(lang, m.Languages), Country: p.Country, Status: p.Status})
		}
	}
	return out, nil
}

// Run opens the window and blocks until it is closed.
func Run(st *store.Store, opts Options) error {
	a := app.NewWithID(AppID)
	if opts.Icon != nil {
		a.SetIcon(opts.Icon)
	}
	w := a.NewWindow("Solidarity Kiosk")
	content, err := PeopleList(st)
	if err != nil {
		return err
	}
	w.SetContent(content)
	w.Resize(fyne.NewSize(800, 600))
	w.SetFullScreen(!opts.Windowed)
	w.ShowAndRun()
	return nil
}

// PeopleList builds the list of cached people.
func PeopleList(st *store.Store) (fyne.CanvasObject, error) {
	entries, err := Entries(st, "en")
	if err != nil {
		return nil, err
	}
	list := widget.NewList(
		func() int { return len(entries) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			e := entries[i]
			o.(*widget.Label).SetText(fmt.Sprintf("%s — %s · %s · %s", e.Name, e.Country, e.Status, e.Pack))
		},
	)
	header := widget.NewLabel(fmt.Sprintf("%d people in the cache %s", len(entries), st.Path()))
	return container.NewBorder(header, nil, nil, nil, list), nil
}
