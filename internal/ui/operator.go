package ui

import (
	"fmt"
	"image/color"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/solidarity-kiosk/kiosk/internal/director"
	"github.com/solidarity-kiosk/kiosk/internal/intake"
	"github.com/solidarity-kiosk/kiosk/internal/show"
)

// surface is the show's top-level content. It reports mouse movements to
// the idle cursor, which hides the pointer 3 s after the mouse last moved.
// Until that works on this window (X11), and wherever it cannot, the
// surface hides the pointer outright: Fyne asks for the cursor only when
// the mouse moves, so a surface alone cannot hide it after a delay.
type surface struct {
	widget.BaseWidget
	content  fyne.CanvasObject
	hideAll  bool   // read and written on the UI goroutine
	onMove   func() // called on the UI goroutine
	onResize func() // called on the UI goroutine when the size changes
}

func newSurface(content fyne.CanvasObject, onMove, onResize func()) *surface {
	s := &surface{content: content, hideAll: true, onMove: onMove, onResize: onResize}
	s.ExtendBaseWidget(s)
	return s
}

// Resize lays the content out at size and tells the show, which draws its
// slides at the window's exact pixel size.
func (s *surface) Resize(size fyne.Size) {
	changed := size != s.Size()
	s.BaseWidget.Resize(size)
	if changed && s.onResize != nil {
		s.onResize()
	}
}

// CreateRenderer draws the content.
func (s *surface) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(s.content) }

// Cursor hides the pointer outright until the idle cursor takes over.
func (s *surface) Cursor() desktop.Cursor {
	if s.hideAll {
		return desktop.HiddenCursor
	}
	return desktop.DefaultCursor
}

// MouseIn reports a movement.
func (s *surface) MouseIn(*desktop.MouseEvent) { s.onMove() }

// MouseMoved reports a movement.
func (s *surface) MouseMoved(*desktop.MouseEvent) { s.onMove() }

// MouseOut does nothing: leaving the window is not a movement over it.
func (s *surface) MouseOut() {}

// operatorPanel opens the operator panel, asking for the PIN first when one is set.
func (k *kiosk) operatorPanel() {
	k.cursor.keep(true)
	if k.opts.PIN == "" {
		k.showPanel()
		return
	}
	pin := widget.NewPasswordEntry()
	pin.SetPlaceHolder("PIN")
	msg := widget.NewLabel(lang.X("panel.pin", "Operator PIN:"))
	var pop *widget.PopUp
	check := func() {
		if pin.Text == k.opts.PIN {
			pop.Hide()
			k.showPanel()
			return
		}
		k.opts.Logger.Warn("wrong operator PIN entered")
		msg.SetText(lang.X("panel.wrong_pin", "Wrong PIN. Operator PIN:"))
		pin.SetText("")
	}
	pin.OnSubmitted = func(string) { check() }
	cancel := widget.NewButton(lang.X("panel.cancel", "Cancel"), func() {
		pop.Hide()
		k.cursor.keep(false)
	})
	pop = widget.NewModalPopUp(container.NewVBox(msg, pin, container.NewHBox(widget.NewButton(lang.X("panel.open", "Open"), check), cancel)), k.win.Canvas())
	pop.Show()
	k.win.Canvas().Focus(pin)
}

// showPanel lists the packs and offers the operator's controls.
func (k *kiosk) showPanel() {
	var pop *widget.PopUp
	stop := make(chan struct{})
	var once sync.Once
	closePanel := func() {
		once.Do(func() { close(stop) })
		pop.Hide()
		k.onImports = nil
		k.cursor.keep(false)
	}
	hoursBox, updateHours := k.hoursSection()
	go k.refreshPanel(stop, updateHours)
	blank := canvas.NewRectangle(color.Black)
	info := widget.NewLabel(k.cacheSummary())
	info.Wrapping = fyne.TextWrapWord
	imports := k.importSection(info)
	buttons := container.NewGridWithColumns(3,
		widget.NewButton(lang.X("panel.previous", "Previous"), func() { k.dir.Send(director.Prev) }),
		widget.NewButton(lang.X("panel.pause", "Pause / resume"), func() { k.dir.Send(director.Pause) }),
		widget.NewButton(lang.X("panel.next", "Next"), func() { k.dir.Send(director.Next) }),
		widget.NewButton(lang.X("panel.blank", "Blank screen"), func() {
			closePanel()
			k.blankScreen(blank)
		}),
		widget.NewButton(lang.X("panel.close", "Close panel"), closePanel),
		widget.NewButton(lang.X("panel.quit", "Quit kiosk"), func() {
			k.opts.Logger.Info("quit from the operator panel")
			k.app.Quit()
		}),
	)
	title := widget.NewLabelWithStyle(lang.X("panel.title", "Operator panel"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	dwell, caption := k.dir.Current()
	pace := widget.NewSelect(paces, func(v string) {
		if d, err := time.ParseDuration(v); err == nil {
			if k.dir.SetPace(d) {
				k.opts.Logger.Info("pace changed by the operator", "dwell", d)
			}
		}
	})
	pace.SetSelected(dwell.String())
	rotate := lang.X("panel.rotate_captions", "all, in turn")
	language := widget.NewSelect(append([]string{rotate}, k.dir.Languages()...), func(v string) {
		if v == rotate {
			v = ""
		}
		if k.dir.SetLanguage(v) {
			k.opts.Logger.Info("caption language changed by the operator", "language", v)
		}
	})
	if caption == "" {
		caption = rotate
	}
	language.SetSelected(caption)
	labels := make([]string, len(show.Modes))
	for i, m := range show.Modes {
		labels[i] = modeLabel(m)
	}
	mode := widget.NewSelect(labels, func(v string) {
		m := show.Modes[max(0, slices.Index(labels, v))]
		if k.dir.SetMode(m) {
			k.opts.Logger.Info("mode changed by the operator", "mode", m)
		}
	})
	mode.SetSelected(modeLabel(k.dir.Mode()))
	settings := container.NewGridWithColumns(4, widget.NewLabel(lang.X("panel.each", "Each portrait:")), pace, widget.NewLabel(lang.X("panel.language", "Language:")), language,
		widget.NewLabel(lang.X("panel.mode", "Show:")), mode)
	pop = widget.NewModalPopUp(container.NewVBox(title, k.daysSection(), info, imports, settings, hoursBox, buttons, k.studioButton()), k.win.Canvas())
	pop.Resize(fyne.NewSize(640, pop.MinSize().Height))
	pop.Show()
}

// refreshPanel redraws the panel's import and download lines every second
// while it is open, so a download's bytes, rate and time keep moving, and
// the line on opening hours (the screen falls asleep or wakes meanwhile).
func (k *kiosk) refreshPanel(stop <-chan struct{}, hours func()) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			k.do(func() {
				if k.onImports != nil && k.opts.Intake != nil {
					k.onImports(k.opts.Intake.Status())
				}
				hours()
			})
		}
	}
}

// importSection shows the import under way (a progress bar of photos,
// people in its label), the latest results and the state of URL packs,
// kept up to date while the panel is open. info is refreshed after each
// import, as the packs it lists change.
func (k *kiosk) importSection(info *widget.Label) fyne.CanvasObject {
	if k.opts.Intake == nil {
		return container.NewVBox()
	}
	bar := widget.NewProgressBar()
	label := widget.NewLabel("")
	label.Wrapping = fyne.TextWrapWord
	notes := widget.NewLabel("")
	notes.Wrapping = fyne.TextWrapWord
	done := -1
	update := func(st intake.Status) {
		label.SetText(importText(st))
		if st.Current != "" && st.Progress.Photos > 0 {
			bar.SetValue(float64(st.Progress.PhotosDone) / float64(st.Progress.Photos))
			bar.Show()
		} else {
			bar.Hide()
		}
		if n := st.Imported + st.Skipped; n != done {
			done = n
			info.SetText(k.cacheSummary())
		}
		lines := k.dir.Notes()
		if k.opts.Notes != nil {
			lines = append(lines, k.opts.Notes()...)
		}
		notes.SetText(strings.Join(lines, "\n"))
	}
	update(k.opts.Intake.Status())
	k.onImports = update
	return container.NewVBox(label, bar, notes)
}

// importText describes the import queue for the operator.
func importText(st intake.Status) string {
	var b strings.Builder
	switch {
	case st.Current != "":
		p := st.Progress
		b.WriteString(lang.X("panel.importing", "Importing {{.Path}}: people {{.People}} of {{.PeopleTotal}}, photos {{.Photos}} of {{.PhotosTotal}}",
			map[string]any{"Path": st.Current, "People": p.PeopleDone, "PeopleTotal": p.People, "Photos": p.PhotosDone, "PhotosTotal": p.Photos}))
		if st.Queued > 0 {
			fmt.Fprintf(&b, " (%d more waiting)", st.Queued)
		}
	default:
		b.WriteString(lang.X("panel.no_import", "No import under way. Drop a pack (.zip or folder) on this window to import it."))
	}
	if st.Imported+st.Skipped > 0 {
		b.WriteString("\n" + lang.X("panel.since_start", "Since start: imported {{.Imported}} pack(s), skipped {{.Skipped}}.",
			map[string]any{"Imported": st.Imported, "Skipped": st.Skipped}))
	}
	for _, r := range st.Recent {
		b.WriteString("\n• " + r.String())
	}
	return b.String()
}

// blankScreen covers the show with black until any key is pressed.
func (k *kiosk) blankScreen(cover *canvas.Rectangle) {
	c := k.win.Canvas()
	pop := widget.NewPopUp(cover, c)
	pop.Resize(c.Size())
	pop.Show()
	prev := c.OnTypedKey()
	c.SetOnTypedKey(func(*fyne.KeyEvent) {
		pop.Hide()
		c.SetOnTypedKey(prev)
	})
}

// cacheSummary describes the installed packs for the operator.
func (k *kiosk) cacheSummary() string {
	recs, err := k.st.Packs()
	if err != nil {
		return "The cache cannot be read: " + err.Error()
	}
	stats, _ := k.st.Stats()
	var b strings.Builder
	b.WriteString(lang.X("panel.cache", "Cache {{.Path}}: {{.MB}} MB, {{.Packs}} pack(s)",
		map[string]any{"Path": k.st.Path(), "MB": fmt.Sprintf("%.1f", float64(stats.FileBytes)/1e6), "Packs": len(recs)}) + "\n")
	for _, r := range recs {
		marks := []string{}
		if r.Demo {
			marks = append(marks, lang.X("panel.demo", "DEMO PACK"))
		}
		if !r.Signed {
			marks = append(marks, lang.X("panel.unsigned", "unsigned"))
		}
		b.WriteString("• " + lang.X("panel.pack", "{{.ID}}, version {{.Version}}: {{.People}} people, {{.Photos}} photos",
			map[string]any{"ID": r.ID, "Version": r.Version, "People": r.People, "Photos": len(r.Photos)}))
		if len(marks) > 0 {
			b.WriteString(" (" + strings.Join(marks, ", ") + ")")
		}
		b.WriteString("\n")
	}
	b.WriteString(lang.X("panel.keys", "Keys: → next, ← previous, P pause."))
	return b.String()
}

// modeLabel names a show mode (show.Modes) on the panel, in the
// panel's language.
func modeLabel(m string) string {
	switch m {
	case show.ModeSpotlight:
		return lang.X("panel.mode_spotlight", "one portrait at a time")
	case show.ModeWall:
		return lang.X("panel.mode_wall", "the wall")
	case show.ModeMixed:
		return lang.X("panel.mode_mixed", "the wall, then portraits")
	case show.ModePostcards:
		return lang.X("panel.mode_postcards", "postcard hour")
	}
	return m
}

// paces are the dwell times the operator can pick.
var paces = []string{"6s", "8s", "12s", "20s", "30s", "1m0s"}
