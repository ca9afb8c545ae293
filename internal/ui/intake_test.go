package ui

import (
	"bytes"
	"context"
	"image"
	"image/jpeg"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"

	"github.com/solidarity-kiosk/kiosk/internal/importer"
	"github.com/solidarity-kiosk/kiosk/internal/intake"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// TestDroppingAPackImportsItIntoTheRunningShow goes through the code the
// window's drop handler calls: the pack is queued, imported in the
// background, the playlist is renewed, and the operator panel says so.
func TestDroppingAPackImportsItIntoTheRunningShow(t *testing.T) {
	k := testKiosk(t, Options{})
	iopt := importer.DefaultOptions()
	iopt.SpoolTo = t.TempDir()
	k.opts.Intake = intake.New(k.st, intake.Options{Import: iopt, Logger: k.opts.Logger})
	uiCalls := make(chan func(), 1024)
	k.do = func(f func()) { uiCalls <- f }
	pump := func() { // this goroutine is the UI goroutine
		for {
			select {
			case f := <-uiCalls:
				f()
			default:
				return
			}
		}
	}
	k.install()
	k.listen()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go k.opts.Intake.Run(ctx)

	dir := filepath.Join(t.TempDir(), "dropped")
	enc := func(img *image.RGBA) ([]byte, error) {
		var b bytes.Buffer
		err := jpeg.Encode(&b, img, nil)
		return b.Bytes(), err
	}
	if err := testpack.Write(dir, testpack.Options{ID: "dropped", People: 3, W: 90, H: 120, Encode: enc}); err != nil {
		t.Fatal(err)
	}
	k.showPanel()
	web, err := storage.ParseURI("https://example.org/x.zip")
	if err != nil {
		t.Fatal(err)
	}
	k.dropped([]fyne.URI{storage.NewFileURI(dir), web})

	deadline := time.Now().Add(20 * time.Second)
	for !k.dir.ReloadPending() {
		pump()
		if time.Now().After(deadline) {
			t.Fatal("the dropped pack did not reach the show")
		}
		time.Sleep(10 * time.Millisecond)
	}
	recs, err := k.st.Packs()
	if err != nil || len(recs) != 1 || recs[0].ID != "dropped" {
		t.Fatalf("cache after the drop: %v, %v (want only the dropped pack: the demo steps aside)", recs, err)
	}
	var text string
	for time.Now().Before(deadline) {
		pump()
		text = overlayText(k.win.Canvas())
		if strings.Contains(text, `imported "dropped"`) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(text, `imported "dropped"`) || !strings.Contains(text, "• dropped, version") {
		t.Fatalf("the open operator panel does not show the import and the new pack:\n%s", text)
	}
}
