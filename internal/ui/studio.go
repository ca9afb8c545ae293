package ui

import (
	"context"
	"fmt"
	"image"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/solidarity-kiosk/kiosk/assets"
	"github.com/solidarity-kiosk/kiosk/internal/i18n"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/render"
	"github.com/solidarity-kiosk/kiosk/internal/sign"
	"github.com/solidarity-kiosk/kiosk/internal/studio"
)

// StudioOptions configure the studio window.
type StudioOptions struct {
	Path    string    // opened at once when not ""; a .csv, a pack folder or a .zip
	Photos  string    // the spreadsheet's photo folder; "" finds it
	Trusted sign.Keys // keys whose signatures count
	// Import installs the pack into this machine's kiosk cache.
	Import studio.Importer
	Icon   fyne.Resource
	Logger *slog.Logger
	// Script, for tests only, runs steps once the first preview is on
	// screen (see runScript); "" for none.
	Script string
}

// RunStudio opens the studio as an application of its own and blocks until
// its window is closed.
func RunStudio(opts StudioOptions) error {
	if err := displayReady(); err != nil {
		return err
	}
	fonts, err := render.LoadFonts()
	if err != nil {
		return err
	}
	words, err := i18n.Embedded()
	if err != nil {
		return err
	}
	a := app.NewWithID(AppID)
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil && opts.Logger != nil {
		opts.Logger.Warn("studio translations", "err", err)
	}
	a.Settings().SetTheme(newKioskTheme())
	if opts.Icon != nil {
		a.SetIcon(opts.Icon)
	}
	w, err := newStudioWindow(a, fonts, words, opts)
	if err != nil {
		return err
	}
	w.win.SetMaster()
	w.start()
	w.win.ShowAndRun()
	return w.scriptErr
}

// openStudio opens the studio in a's window list (from the operator panel).
func openStudio(a fyne.App, fonts *render.Fonts, words *i18n.Catalog, opts StudioOptions) error {
	w, err := newStudioWindow(a, fonts, words, opts)
	if err != nil {
		return err
	}
	w.start()
	w.win.Show()
	return nil
}

// studioWindow is the organizer's desk: what is open, its problems, its
// people and the preview of the one chosen. Building and drawing run off
// the UI goroutine (w.async); their results come back through w.do.
type studioWindow struct {
	win    fyne.Window
	st     *studio.Studio
	draw   *studio.Drawer
	opts   StudioOptions
	ctx    context.Context
	cancel context.CancelFunc

	// do runs f on the UI goroutine (soon); async runs f on a goroutine
	// of its own. Tests run both inline.
	do     func(f func())
	async  func(f func())
	inline bool // tests: do and async run inline, previews are drawn at once

	// UI goroutine only:
	snap     *studio.Snapshot
	problems []studio.Problem
	chosen   int // index into snap.People, -1 none
	screen   string
	lang     string
	opening  time.Time   // when the last open began, for the first-preview figure
	full     *image.RGBA // the last preview at full size (tests compare it)
	onShown  func()      // called once after the next preview is on screen

	scriptErr error // the test script's failure, returned by RunStudio
	checking  bool  // pack verify's check of every photo is under way
	// verifyAfter is the snapshot whose photos are checked once its first
	// preview is on screen.
	verifyAfter *studio.Snapshot

	status    *widget.Label
	probList  *widget.List
	probTitle *widget.Label
	people    *widget.List
	preview   *canvas.Image
	wall      *canvas.Image
	tabs      *container.AppTabs
	langs     *widget.Select
	screens   *widget.Select
	deliverBn []*widget.Button // Export, Sign, Copy, Placards, Import: need a pack

	drawing chan previewJob // the latest preview wanted; one waits at most
}

// previewJob is one preview to draw.
type previewJob struct {
	snap  *studio.Snapshot
	i     int
	px    imageprep.Size
	box   imageprep.Size // the preview's pixel size on screen
	lang  string
	wall  bool
	start time.Time
}

// Screen choices.
const (
	screenHD       = "1920×1080"
	screenPortrait = "1080×1920"
	screen4K       = "3840×2160"
	screenThis     = "this screen" // shown as studio.this_screen
)

func newStudioWindow(a fyne.App, fonts *render.Fonts, words *i18n.Catalog, opts StudioOptions) (*studioWindow, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	st, err := studio.New(studio.Options{Trusted: opts.Trusted, Logger: opts.Logger})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	w := &studioWindow{
		win: a.NewWindow(lang.X("studio.title", "Solidarity Kiosk studio")), st: st, opts: opts, ctx: ctx, cancel: cancel,
		draw: &studio.Drawer{Fonts: fonts, Words: words, Log: opts.Logger},
		do:   soon, async: func(f func()) { go f() }, chosen: -1, screen: screenHD,
		drawing: make(chan previewJob, 1),
	}
	w.win.SetContent(w.layout())
	w.win.Resize(fyne.NewSize(1200, 800))
	w.win.SetOnDropped(func(_ fyne.Position, uris []fyne.URI) { w.dropped(uris) })
	w.win.SetOnClosed(func() {
		cancel()
		if err := st.Close(); err != nil {
			opts.Logger.Warn("studio: removing its temporary files", "err", err)
		}
	})
	w.setDelivery(false)
	return w, nil
}

// start begins drawing previews and watching for changes, and opens the
// path given on the command line.
func (w *studioWindow) start() {
	if !w.inline {
		go w.drawPreviews()
		go w.st.Watch(w.ctx, time.Second, func(s *studio.Snapshot, err error) {
			w.do(func() { w.opened(s, err, lang.X("studio.reloaded", "reloaded: it changed on disk")) })
		})
	}
	if w.opts.Path != "" {
		w.open(w.opts.Path, w.opts.Photos)
	}
	if w.opts.Script != "" {
		w.runScript(w.opts.Script)
	}
}

// layout builds the window's content.
func (w *studioWindow) layout() fyne.CanvasObject {
	w.status = widget.NewLabel(lang.X("studio.hello", "Open a spreadsheet (CSV) with its photo folder, a pack folder or a pack .zip, or drop one on this window."))
	w.status.Wrapping = fyne.TextWrapWord
	w.probList = widget.NewList(func() int { return len(w.problems) },
		func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(problemLine(w.problems[i])) })
	w.probList.OnSelected = w.problemChosen
	w.probTitle = widget.NewLabelWithStyle(lang.X("studio.problems", "Problems"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	w.people = widget.NewList(func() int {
		if w.snap == nil {
			return 0
		}
		return len(w.snap.People)
	}, func() fyne.CanvasObject { return widget.NewLabel("") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(w.personLine(i)) })
	w.people.OnSelected = func(i widget.ListItemID) { w.choose(i) }
	w.preview = previewImage()
	w.wall = previewImage()
	w.tabs = container.NewAppTabs(
		container.NewTabItem(lang.X("studio.spotlight", "Spotlight"), w.preview),
		container.NewTabItem(lang.X("studio.wall", "Wall"), w.wall))
	w.tabs.OnSelected = func(*container.TabItem) { w.redraw() }
	this := lang.X("studio.this_screen", "this screen")
	w.screens = widget.NewSelect([]string{screenHD, screenPortrait, screen4K, this}, func(v string) {
		if v == this {
			v = screenThis
		}
		w.screen = v
		w.redraw()
	})
	w.screens.SetSelected(screenHD)
	w.langs = widget.NewSelect(nil, func(v string) { w.lang = v; w.redraw() })
	controls := container.NewHBox(widget.NewLabel(lang.X("studio.screen", "Screen:")), w.screens,
		widget.NewLabel(lang.X("studio.language", "Captions:")), w.langs)
	lists := container.NewVSplit(
		container.NewBorder(w.probTitle, nil, nil, nil, w.probList),
		container.NewBorder(widget.NewLabelWithStyle(lang.X("studio.people", "People"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, nil, nil, w.people))
	split := container.NewHSplit(lists, container.NewBorder(controls, nil, nil, nil, w.tabs))
	split.Offset = 0.38
	return container.NewBorder(w.toolbar(), w.status, nil, nil, split)
}

func previewImage() *canvas.Image {
	img := canvas.NewImageFromImage(image.NewRGBA(image.Rect(0, 0, 1, 1)))
	img.FillMode = canvas.ImageFillContain
	img.ScaleMode = canvas.ImageScaleFastest
	img.SetMinSize(fyne.NewSize(320, 180))
	return img
}

// toolbar is the row of the organizer's actions.
func (w *studioWindow) toolbar() fyne.CanvasObject {
	export := widget.NewButton(lang.X("studio.export", "Export…"), w.exportDialog)
	signBn := widget.NewButton(lang.X("studio.sign", "Sign…"), w.signDialog)
	copyBn := widget.NewButton(lang.X("studio.copy", "Copy to…"), w.copyDialog)
	placardsBn := widget.NewButton(lang.X("studio.placards", "Placards…"), w.placardsDialog)
	importBn := widget.NewButton(lang.X("studio.import", "Import into this kiosk"), w.importPack)
	w.deliverBn = []*widget.Button{export, signBn, copyBn, placardsBn, importBn}
	if w.opts.Import == nil {
		importBn.Hide()
	}
	return container.NewHBox(
		widget.NewButton(lang.X("studio.open_sheet", "Open spreadsheet…"), w.openSheetDialog),
		widget.NewButton(lang.X("studio.open_pack", "Open pack…"), w.openPackDialog),
		widget.NewButton(lang.X("studio.open_folder", "Open pack folder…"), w.openFolderDialog),
		widget.NewSeparator(), export, signBn, copyBn, placardsBn, importBn)
}

func (w *studioWindow) setDelivery(on bool) {
	for _, b := range w.deliverBn {
		if on {
			b.Enable()
		} else {
			b.Disable()
		}
	}
}

// problemLine is a problem as listed.
func problemLine(p studio.Problem) string {
	if p.Note {
		return lang.X("studio.note", "Note: ") + p.Text
	}
	return p.Text
}

// personLine is a person as listed: name, id, row, and whether left out.
func (w *studioWindow) personLine(i int) string {
	if w.snap == nil || i >= len(w.snap.People) {
		return ""
	}
	p := w.snap.People[i]
	e := p.Entry
	name := e.Person.Name.Get(w.lang, e.Manifest.Languages)
	line := fmt.Sprintf("%s (%s)", name, e.Person.ID)
	if p.Row > 0 {
		line += lang.X("studio.row", ", row {{.Row}}", map[string]any{"Row": p.Row})
	}
	if p.LeftOut {
		line += lang.X("studio.left_out", ": left out of the pack")
	}
	return line
}

// open opens path off the UI goroutine.
func (w *studioWindow) open(path, photos string) {
	w.opening = time.Now()
	w.status.SetText(lang.X("studio.opening", "Opening {{.Path}}…", map[string]any{"Path": path}))
	w.async(func() {
		s, err := w.st.Open(w.ctx, path, photos)
		w.do(func() { w.opened(s, err, "") })
	})
}

// opened shows a snapshot (UI goroutine).
func (w *studioWindow) opened(s *studio.Snapshot, err error, why string) {
	if err != nil {
		w.fail(err)
		return
	}
	keep := ""
	if w.snap != nil && w.chosen >= 0 && w.chosen < len(w.snap.People) {
		keep = w.snap.People[w.chosen].Entry.Person.ID
	}
	w.snap, w.problems = nil, s.Problems // no preview until the lists are set
	w.checking = s.HasPack()
	w.setDelivery(s.HasPack())
	langs := w.draw.Languages(s)
	w.langs.Options = langs
	if w.lang == "" || !contains(langs, w.lang) {
		w.lang = langs[0]
	}
	w.langs.SetSelected(w.lang)
	w.snap = s
	w.status.SetText(w.summary(why))
	w.probList.UnselectAll()
	w.problemsChanged()
	w.people.Refresh()
	i := s.Find(keep)
	if i < 0 && len(s.People) > 0 {
		i = 0
	}
	if s.HasPack() {
		w.verifyAfter = s // once its first preview is up: both want the cores
	}
	w.people.UnselectAll()
	if i >= 0 {
		w.people.Select(i) // draws the preview
	} else {
		w.choose(-1)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// problemsChanged shows the problems anew, with their count in the title.
func (w *studioWindow) problemsChanged() {
	n, notes := w.counts()
	w.probTitle.SetText(lang.X("studio.problems_n", "Problems: {{.N}}, notes: {{.Notes}}", map[string]any{"N": n, "Notes": notes}))
	w.probList.Refresh()
}

// counts are the problems and the notes listed.
func (w *studioWindow) counts() (n, notes int) {
	for _, p := range w.problems {
		if p.Note {
			notes++
		} else {
			n++
		}
	}
	return n, notes
}

// summary is the status line for what is open.
func (w *studioWindow) summary(why string) string {
	s := w.snap
	n, notes := w.counts()
	line := lang.X("studio.summary", "{{.Source}} ({{.Kind}}): {{.People}} people in the pack, {{.Problems}} problem(s), {{.Notes}} note(s).",
		map[string]any{"Source": s.Source, "Kind": kindWord(s.Kind), "People": len(s.Entries()), "Problems": n, "Notes": notes})
	if !s.HasPack() {
		line += " " + lang.X("studio.no_pack", "No pack could be made: fix the problems listed.")
	}
	if w.checking {
		line += " " + checkingText()
	}
	if why != "" {
		line += " (" + why + ")"
	}
	return line
}

// kindWord names what kind of source is open, in the window's language.
func kindWord(k studio.Kind) string {
	switch k {
	case studio.Spreadsheet:
		return lang.X("studio.kind_sheet", "spreadsheet")
	case studio.Folder:
		return lang.X("studio.kind_folder", "pack folder")
	}
	return lang.X("studio.kind_zip", "pack zip")
}

func checkingText() string {
	return lang.X("studio.checking", "Checking every photo as kiosk pack verify does…")
}

// verify checks the pack as pack verify does (every photo decoded) once
// the first preview is up, and lists what it adds.
func (w *studioWindow) verify(s *studio.Snapshot) {
	w.async(func() {
		full, err := w.st.Verify(w.ctx, s)
		w.do(func() {
			if w.snap != s {
				return
			}
			w.checking = false
			if strings.Contains(w.status.Text, checkingText()) { // nothing reported since
				defer func() { w.status.SetText(w.summary("")) }()
			}
			if err != nil {
				w.opts.Logger.Warn("studio: verifying the pack", "err", err)
				return
			}
			seen := map[string]bool{}
			for _, p := range w.problems {
				seen[p.Text] = true
			}
			added := false
			for _, p := range full {
				if !seen[p.Text] {
					w.problems = append(w.problems, p)
					added = true
				}
			}
			if added {
				w.problemsChanged()
			}
		})
	})
}

// problemChosen shows the person a problem is about.
func (w *studioWindow) problemChosen(i widget.ListItemID) {
	if w.snap == nil || i >= len(w.problems) {
		return
	}
	if j := w.snap.Find(w.problems[i].Person); j >= 0 {
		w.people.Select(j)
		w.people.ScrollTo(j)
	}
}

// choose previews person i.
func (w *studioWindow) choose(i int) {
	w.chosen = i
	w.redraw()
}

// screenSize is the chosen screen's pixel size.
func (w *studioWindow) screenSize() imageprep.Size {
	switch w.screen {
	case screenPortrait:
		return imageprep.Size{W: 1080, H: 1920}
	case screen4K:
		return imageprep.Size{W: 3840, H: 2160}
	case screenThis:
		if sw, sh, ok := screenSize(); ok {
			return imageprep.Size{W: sw, H: sh}
		}
	}
	return imageprep.Size{W: 1920, H: 1080}
}

// redraw asks for the chosen person's preview in the open tab.
func (w *studioWindow) redraw() {
	if w.snap == nil || w.tabs == nil {
		return
	}
	target := w.preview
	wall := w.tabs.SelectedIndex() == 1
	if wall {
		target = w.wall
	}
	scale := w.win.Canvas().Scale()
	sz := target.Size()
	job := previewJob{
		snap: w.snap, i: w.chosen, px: w.screenSize(), lang: w.lang, wall: wall, start: w.opening,
		box: imageprep.Size{W: max(int(sz.Width*scale), 320), H: max(int(sz.Height*scale), 180)},
	}
	select { // a newer wish replaces one not yet begun
	case <-w.drawing:
	default:
	}
	w.drawing <- job
	if w.inline {
		w.drawOne(<-w.drawing)
	}
}

// drawPreviews draws the wanted previews, one at a time, until the window closes.
func (w *studioWindow) drawPreviews() {
	for {
		select {
		case <-w.ctx.Done():
			return
		case job := <-w.drawing:
			w.drawOne(job)
		}
	}
}

// drawOne draws a preview at the screen's size, then scales it down to
// the window's (Fyne would scale it on the UI goroutine otherwise).
func (w *studioWindow) drawOne(job previewJob) {
	var img *image.RGBA
	if job.wall {
		img = w.draw.Wall(job.snap, job.i, job.px, job.lang, 7*time.Second)
	} else {
		img = w.draw.Spotlight(job.snap, job.i, job.px, job.lang)
	}
	full := img
	if img.Rect.Dx() > job.box.W || img.Rect.Dy() > job.box.H {
		img = imageprep.Fit(img, job.box)
	} else {
		full = cloneRGBA(img) // the Composer draws over its buffers later
		img = full
	}
	w.do(func() {
		target := w.preview
		if job.wall {
			target = w.wall
		}
		target.Image = img
		target.Refresh()
		w.full = full
		if !job.start.IsZero() && job.snap == w.snap {
			w.opts.Logger.Info("studio preview on screen", "since_open", time.Since(job.start).Round(time.Millisecond),
				"people", len(job.snap.People), "wall", job.wall)
			w.opening = time.Time{}
		}
		if w.verifyAfter == job.snap {
			w.verifyAfter = nil
			w.verify(job.snap)
		}
		if f := w.onShown; f != nil {
			w.onShown = nil
			f()
		}
	})
}

// then calls after with err, when there is an after.
func then(after func(error), err error) {
	if after != nil {
		after(err)
	}
}

func cloneRGBA(src *image.RGBA) *image.RGBA {
	dst := image.NewRGBA(src.Rect)
	copy(dst.Pix, src.Pix)
	return dst
}

// fail shows an error in a dialog and in the status line.
func (w *studioWindow) fail(err error) {
	w.opts.Logger.Warn("studio", "err", err)
	first, _, _ := strings.Cut(err.Error(), "\n")
	w.status.SetText(first)
	dialog.ShowError(err, w.win)
}

// done reports a finished action in the status line.
func (w *studioWindow) done(msg string) {
	w.opts.Logger.Info("studio: " + msg)
	w.status.SetText(msg)
}

// dropped opens the first file or folder dropped on the window.
func (w *studioWindow) dropped(uris []fyne.URI) {
	for _, u := range uris {
		if u.Scheme() == "file" {
			w.open(u.Path(), "")
			return
		}
	}
}

func (w *studioWindow) openSheetDialog() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		_ = r.Close()
		w.open(r.URI().Path(), "")
	}, w.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".csv", ".CSV"}))
	d.Show()
}

func (w *studioWindow) openPackDialog() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		_ = r.Close()
		w.open(r.URI().Path(), "")
	}, w.win)
	d.SetFilter(storage.NewExtensionFileFilter([]string{".zip", ".ZIP"}))
	d.Show()
}

func (w *studioWindow) openFolderDialog() {
	dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		w.open(u.Path(), "")
	}, w.win)
}

func (w *studioWindow) exportDialog() {
	if !w.snap.HasPack() {
		return
	}
	w.saveDialog(w.snap.FileName(), nil, w.export).Show()
}

// saveDialog asks where to save a file named name and hands the path to
// write, which writes it itself, atomically; when that fails, the empty
// file Fyne's dialog made on choosing it is removed.
func (w *studioWindow) saveDialog(name string, exts []string, write func(path string, after func(error))) *dialog.FileDialog {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		_ = wc.Close()
		path := wc.URI().Path()
		write(path, func(err error) {
			if fi, serr := os.Stat(path); err != nil && serr == nil && fi.Size() == 0 {
				_ = os.Remove(path)
			}
		})
	}, w.win)
	d.SetFileName(name)
	if len(exts) > 0 {
		d.SetFilter(storage.NewExtensionFileFilter(exts))
	}
	return d
}

// export writes the pack zip to path.
func (w *studioWindow) export(path string, after func(error)) {
	w.status.SetText(lang.X("studio.exporting", "Exporting to {{.Path}}…", map[string]any{"Path": path}))
	w.async(func() {
		err := w.st.Export(w.ctx, path)
		w.do(func() {
			defer then(after, err)
			if err != nil {
				w.fail(err)
				return
			}
			w.done(lang.X("studio.exported", "Exported the pack to {{.Path}}.", map[string]any{"Path": path}))
		})
	})
}

func (w *studioWindow) copyDialog() {
	dialog.ShowFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		w.copyTo(u.Path(), nil)
	}, w.win)
}

// copyTo copies the pack zip into the folder dir and checks the copy.
func (w *studioWindow) copyTo(dir string, after func(error)) {
	w.status.SetText(lang.X("studio.copying", "Copying to {{.Path}}…", map[string]any{"Path": dir}))
	w.async(func() {
		path, err := w.st.CopyTo(w.ctx, dir)
		w.do(func() {
			defer then(after, err)
			if err != nil {
				w.fail(err)
				return
			}
			w.done(lang.X("studio.copied", "Copied and checked: {{.Path}}. The drive can be removed once your system says so.", map[string]any{"Path": path}))
		})
	})
}

// signDialog asks for the secret key and its password.
func (w *studioWindow) signDialog() { w.signForm(nil) }

// signForm shows the sign dialog, which signs with what is entered and
// then calls after (nil for nothing); it returns the dialog and its
// entries (the test script fills them).
func (w *studioWindow) signForm(after func(error)) (*dialog.FormDialog, *widget.Entry, *widget.Entry) {
	key := widget.NewEntry()
	key.SetText(studio.DefaultSecretKey())
	password := widget.NewPasswordEntry()
	password.SetPlaceHolder(lang.X("studio.password_hint", "empty for a key without a password"))
	choose := widget.NewButton(lang.X("studio.choose", "Choose…"), func() {
		dialog.ShowFileOpen(func(r fyne.URIReadCloser, err error) {
			if err == nil && r != nil {
				_ = r.Close()
				key.SetText(r.URI().Path())
			}
		}, w.win)
	})
	items := []*widget.FormItem{
		widget.NewFormItem(lang.X("studio.key", "Secret key"), container.NewBorder(nil, nil, nil, choose, key)),
		widget.NewFormItem(lang.X("studio.password", "Password"), password),
	}
	d := dialog.NewForm(lang.X("studio.sign_title", "Sign the pack"), lang.X("studio.sign", "Sign…"), lang.X("panel.cancel", "Cancel"), items,
		func(ok bool) {
			if ok {
				w.sign(key.Text, password.Text, after)
			}
		}, w.win)
	d.Resize(fyne.NewSize(560, d.MinSize().Height))
	d.Show()
	return d, key, password
}

// sign signs the pack (and the copies exported) with the key.
func (w *studioWindow) sign(key, password string, after func(error)) {
	w.status.SetText(lang.X("studio.signing", "Signing with {{.Key}}…", map[string]any{"Key": key}))
	w.async(func() {
		err := w.st.Sign(w.ctx, key, password)
		w.do(func() {
			defer then(after, err)
			if err != nil {
				w.fail(err)
				return
			}
			w.done(lang.X("studio.signed", "Signed with {{.Key}}; the copies exported are signed too. Kiosks with your public key (trusted_key) accept it.",
				map[string]any{"Key": filepath.Base(key)}))
		})
	})
}

// importPack installs the pack into this machine's kiosk cache.
func (w *studioWindow) importPack() { w.importInto(nil) }

// importInto imports, then calls after (nil for nothing).
func (w *studioWindow) importInto(after func(error)) {
	if w.opts.Import == nil {
		return
	}
	w.status.SetText(lang.X("studio.importing", "Importing into this kiosk…"))
	w.async(func() {
		rep, err := w.st.Import(w.ctx, w.opts.Import)
		w.do(func() {
			defer then(after, err)
			if err != nil {
				w.fail(err)
				return
			}
			w.done(lang.X("studio.imported", "Imported {{.ID}} into this kiosk: {{.People}} people, {{.Photos}} photos.",
				map[string]any{"ID": rep.PackID, "People": rep.People, "Photos": rep.Photos}))
		})
	})
}
