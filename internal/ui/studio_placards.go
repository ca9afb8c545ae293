package ui

import (
	"os"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/solidarity-kiosk/kiosk/internal/poster"
)

// paperLabels name poster.Papers, in their order, for the organizer.
func paperLabels() []string {
	return []string{
		lang.X("studio.paper_a4", "A4 placards, one person a page"),
		lang.X("studio.paper_letter", "US Letter placards, one person a page"),
		lang.X("studio.paper_strips", "A3 wire strips, several portraits a sheet"),
	}
}

// letterRegions are the countries that print on US Letter rather than A4.
var letterRegions = map[string]bool{"US": true, "CA": true, "MX": true, "PH": true, "CL": true, "CO": true, "VE": true}

// defaultPaper is the placard paper of the locale's country ("en_US.UTF-8",
// "en-US"): US Letter where Letter is the paper sold, else A4.
func defaultPaper(locale string) string {
	locale, _, _ = strings.Cut(locale, ".")
	locale, _, _ = strings.Cut(locale, "@")
	parts := strings.FieldsFunc(locale, func(r rune) bool { return r == '_' || r == '-' })
	if len(parts) >= 2 && letterRegions[strings.ToUpper(parts[len(parts)-1])] {
		return poster.PaperLetter
	}
	return poster.PaperA4
}

// systemPaper is this machine's placard paper: from LC_ALL, LC_PAPER or
// LANG where set (Linux), else from the system's locale.
func systemPaper() string {
	for _, v := range []string{"LC_ALL", "LC_PAPER", "LANG"} {
		if l := os.Getenv(v); l != "" {
			return defaultPaper(l)
		}
	}
	return defaultPaper(lang.SystemLocale().String())
}

// placardsDialog asks for the paper, then where to save the PDF.
func (w *studioWindow) placardsDialog() {
	if !w.snap.HasPack() {
		return
	}
	w.placardsForm(w.placardsSaveDialog)
}

// placardsForm shows the dialog that asks for the paper and calls chosen
// with it (one of poster.Papers) when confirmed; it returns the dialog and
// its select (the test script chooses and submits).
func (w *studioWindow) placardsForm(chosen func(paper string)) (*dialog.FormDialog, *widget.Select) {
	papers := widget.NewSelect(paperLabels(), nil)
	papers.SetSelectedIndex(max(0, slices.Index(poster.Papers, systemPaper())))
	items := []*widget.FormItem{widget.NewFormItem(lang.X("studio.paper", "Paper"), papers)}
	d := dialog.NewForm(lang.X("studio.placards_title", "Placards to print"), lang.X("studio.save_as", "Save as…"), lang.X("panel.cancel", "Cancel"), items,
		func(ok bool) {
			if i := papers.SelectedIndex(); ok && i >= 0 {
				chosen(poster.Papers[i])
			}
		}, w.win)
	d.Resize(fyne.NewSize(480, d.MinSize().Height))
	d.Show()
	return d, papers
}

// placardsSaveDialog asks where to save the placards on paper.
func (w *studioWindow) placardsSaveDialog(paper string) {
	if !w.snap.HasPack() {
		return
	}
	w.saveDialog(w.snap.PlacardsName(paper), []string{".pdf", ".PDF"}, func(path string, after func(error)) {
		w.placards(path, paper, after)
	}).Show()
}

// placards writes the open pack's placards on paper to path, in the
// captions' language, off the UI goroutine.
func (w *studioWindow) placards(path, paper string, after func(error)) {
	w.status.SetText(lang.X("studio.placards_making", "Making placards in {{.Path}}…", map[string]any{"Path": path}))
	opt := poster.Options{Paper: paper, Lang: w.lang}
	w.async(func() {
		rep, err := w.st.WritePlacards(w.ctx, path, opt)
		w.do(func() {
			defer then(after, err)
			if err != nil {
				w.fail(err)
				return
			}
			w.done(lang.X("studio.placards_made", "Placards ready to print: {{.Path}} (pages: {{.Pages}}, people: {{.People}}).",
				map[string]any{"Path": path, "Pages": rep.Pages, "People": rep.People}))
		})
	})
}
