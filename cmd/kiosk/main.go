//go:debug zipinsecurepath=0

// Command kiosk is Solidarity Kiosk: a fullscreen exhibit of political
// prisoners' portraits with QR codes for letters and petitions.
//
//	kiosk                      the show (the demo pack on first start)
//	kiosk pack verify PATH     check a pack, listing every problem
//	kiosk pack import PATH     install a pack into the offline cache
//	kiosk pack list | remove   manage the cache
package main

import (
	"os"

	"fyne.io/fyne/v2"

	"github.com/solidarity-kiosk/kiosk/assets"
	"github.com/solidarity-kiosk/kiosk/internal/cli"
	_ "github.com/solidarity-kiosk/kiosk/internal/localeenv" // before Fyne reads the locale: see the package
	"github.com/solidarity-kiosk/kiosk/internal/store"
	"github.com/solidarity-kiosk/kiosk/internal/ui"
)

// version is the release's version, stamped by scripts/cross.sh
// (-ldflags "-X main.version=…"); a development build leaves it empty.
var version string

func main() {
	os.Exit(cli.Run(os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Show: show, Studio: studio, Version: version}))
}

// show starts the window on the open cache.
func show(st *store.Store, opts cli.ShowOptions) error {
	return ui.Run(st, ui.Options{
		Options: opts.Options, Icon: fyne.NewStaticResource("icon.png", assets.Icon),
		PIN: opts.PIN, Intake: opts.Intake, Background: opts.Background, Notes: opts.Notes,
	})
}

// studio opens the organizer's studio window.
func studio(opts cli.StudioOptions) error {
	return ui.RunStudio(ui.StudioOptions{
		Icon: fyne.NewStaticResource("icon.png", assets.Icon), Path: opts.Path, Photos: opts.Photos,
		Trusted: opts.Trusted, Import: opts.Import, Logger: opts.Logger, Script: opts.Script,
	})
}
