package ui

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/poster"
)

// runScript is for the real-window test (scripts/studio-window.sh): once
// the first preview is on screen it runs steps, separated by ";", through
// the same handlers as the window's buttons and dialogs:
//
//	export=PATH            Export… with PATH chosen
//	sign=KEY,PASSWORDFILE  the Sign dialog, filled in and confirmed (no PASSWORDFILE: no password)
//	copy=DIR               Copy to… with DIR chosen
//	placards=PAPER,PATH    the Placards dialog with PAPER (a4, letter, a3-strips) chosen and confirmed, PATH chosen
//	import                 Import into this kiosk
//	wall                   the Wall tab chosen
//	pause=DURATION         wait (a screenshot is taken meanwhile)
//	quit                   close the window
//
// A failing step ends the script and the studio with its error.
func (w *studioWindow) runScript(script string) {
	shown := make(chan struct{})
	w.onShown = func() { close(shown) }
	go func() {
		select {
		case <-shown:
		case <-time.After(5 * time.Minute):
			w.scriptFailed(errors.New("studio script: no preview within 5 minutes"))
			return
		}
		for _, step := range strings.Split(script, ";") {
			if step = strings.TrimSpace(step); step == "" {
				continue
			}
			w.opts.Logger.Info("studio script step", "step", step)
			if err := w.scriptStep(step); err != nil {
				w.scriptFailed(fmt.Errorf("studio script: %s: %w", step, err))
				return
			}
		}
	}()
}

// scriptStep runs one step and waits until it is done.
func (w *studioWindow) scriptStep(step string) error {
	name, arg, _ := strings.Cut(step, "=")
	done := make(chan error, 1)
	after := func(err error) { done <- err }
	switch name {
	case "export":
		onUI(func() { w.export(arg, after) })
	case "copy":
		onUI(func() { w.copyTo(arg, after) })
	case "import":
		onUI(func() { w.importInto(after) })
	case "placards":
		paper, path, _ := strings.Cut(arg, ",")
		i := slices.Index(poster.Papers, paper)
		if i < 0 || path == "" {
			return fmt.Errorf("want placards=PAPER,PATH with PAPER one of %s", strings.Join(poster.Papers, ", "))
		}
		onUI(func() {
			d, papers := w.placardsForm(func(paper string) { w.placards(path, paper, after) })
			papers.SetSelectedIndex(i)
			d.Submit()
		})
	case "sign":
		key, pwFile, _ := strings.Cut(arg, ",")
		password := ""
		if pwFile != "" {
			data, err := os.ReadFile(pwFile)
			if err != nil {
				return err
			}
			password = strings.TrimRight(string(data), "\r\n")
		}
		onUI(func() {
			d, k, p := w.signForm(after)
			k.SetText(key)
			p.SetText(password)
			d.Submit()
		})
	case "wall":
		shown := make(chan struct{})
		onUI(func() {
			w.onShown = func() { close(shown) }
			w.tabs.SelectIndex(1)
		})
		<-shown
		return nil
	case "pause":
		d, err := time.ParseDuration(arg)
		if err != nil {
			return err
		}
		time.Sleep(d)
		return nil
	case "quit":
		onUI(w.win.Close)
		return nil
	default:
		return errors.New("unknown step")
	}
	return <-done
}

// scriptFailed ends the studio with err.
func (w *studioWindow) scriptFailed(err error) {
	w.opts.Logger.Error("studio script failed", "err", err)
	onUI(func() {
		w.scriptErr = err
		w.win.Close()
	})
}
