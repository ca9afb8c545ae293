// Command ttff-bare is the toolkit's floor for scripts/ttff.sh: a bare
// fullscreen Fyne window showing one light rectangle, nothing else.
package main

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
)

func main() {
	a := app.NewWithID("org.solidaritykiosk.ttff-bare")
	w := a.NewWindow("bare")
	w.SetContent(canvas.NewRectangle(color.Gray{Y: 0xE0}))
	w.SetPadded(false)
	w.SetFullScreen(true)
	go func() {
		time.Sleep(3 * time.Second)
		fyne.Do(a.Quit)
	}()
	w.ShowAndRun()
}
