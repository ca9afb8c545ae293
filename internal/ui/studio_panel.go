package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/solidarity-kiosk/kiosk/internal/importer"
	"github.com/solidarity-kiosk/kiosk/internal/intake"
	"github.com/solidarity-kiosk/kiosk/internal/render"
)

// studioButton is the operator panel's way into the studio: a window of
// its own beside the show, whose Import goes through the show's import
// queue (as a dropped pack does), so the show takes the pack in at once.
func (k *kiosk) studioButton() fyne.CanvasObject {
	return widget.NewButton(lang.X("panel.studio", "Studio…"), func() {
		opts := StudioOptions{Logger: k.opts.Logger}
		if in := k.opts.Intake; in != nil {
			opts.Import = intakeImporter(in)
		}
		// Fonts of its own: a render.Fonts is used by one goroutine at a
		// time, and the show's is drawing slides.
		fonts, err := render.LoadFonts()
		if err == nil {
			err = openStudio(k.app, fonts, k.words, opts)
		}
		if err != nil {
			dialog.ShowError(err, k.win)
		}
	})
}

// intakeImporter imports through the show's queue and reports the result.
func intakeImporter(in *intake.Service) func(ctx context.Context, path, source string) (importer.Report, error) {
	return func(ctx context.Context, path, _ string) (importer.Report, error) {
		if err := in.ImportAndWait(ctx, path, "studio"); err != nil {
			return importer.Report{}, err
		}
		for _, r := range in.Status().Recent {
			if r.Path == path && r.Err == nil {
				return r.Report, nil
			}
		}
		return importer.Report{}, nil
	}
}
