package ui

import (
	"bytes"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/test"

	"github.com/solidarity-kiosk/kiosk/internal/demo/demotest"
	"github.com/solidarity-kiosk/kiosk/internal/director"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/slides"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// studioSheet has a good row, a row with an impossible date and a row
// whose photo is missing.
const studioSheet = `id,name,name.ru,country,status,arrested,photo
hanna-ablab,Hanna Ablab,Ганна Аблаб,BY,in_custody,2021-06-01,hanna.jpg
ivan-bad,Ivan Bad,Иван,BY,in_custody,31.02.2022,
olga-lost,Olga Lost,Ольга,BY,in_custody,2022-01-01,olga.jpg
petra-free,Petra Free,Пятра,BY,released,2020-01-01,
`

// testStudio is a studio window on Fyne's test driver, with everything
// run inline on the test goroutine (which plays the UI goroutine).
func testStudio(t *testing.T) *studioWindow {
	t.Helper()
	a := test.NewTempApp(t)
	fonts, words := demotest.Drawing(t)
	w, err := newStudioWindow(a, fonts, words, StudioOptions{Logger: demotest.Quiet()})
	if err != nil {
		t.Fatal(err)
	}
	w.inline = true
	w.do = func(f func()) { f() }
	w.async = func(f func()) { f() }
	w.win.Resize(fyne.NewSize(1200, 800))
	t.Cleanup(w.win.Close)
	w.start()
	return w
}

func studioCSV(t *testing.T) string {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testpack.Photo(300, 400, 1), &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := testpack.WriteFiles(dir, map[string][]byte{"list.csv": []byte(studioSheet), "photos/hanna.jpg": buf.Bytes()}); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "list.csv")
}

// TestStudioOpensSpreadsheet: dropping a spreadsheet on the window lists
// its problems by row and column; choosing one shows that person, drawn
// exactly as the kiosk's Composer draws them.
func TestStudioOpensSpreadsheet(t *testing.T) {
	w := testStudio(t)
	w.dropped([]fyne.URI{storage.NewFileURI(studioCSV(t))})
	if w.snap == nil {
		t.Fatalf("nothing open; status %q", w.status.Text)
	}
	if w.probList.Length() != len(w.problems) || len(w.problems) < 2 {
		t.Fatalf("the list shows %d of %d problems", w.probList.Length(), len(w.problems))
	}
	dateRow, photoRow := -1, -1
	for i, p := range w.problems {
		line := problemLine(p)
		switch {
		case strings.Contains(line, `list.csv: row 3, column "arrested"`):
			dateRow = i
		case strings.Contains(line, `list.csv: row 4, column "photo"`):
			photoRow = i
		}
	}
	if dateRow < 0 || photoRow < 0 {
		t.Fatalf("problems listed: %+v", w.problems)
	}
	if w.probTitle.Text != "Problems: 2, notes: 1" {
		t.Errorf("problems title %q", w.probTitle.Text)
	}
	if !strings.Contains(w.status.Text, "2 people in the pack") {
		t.Errorf("status: %q", w.status.Text)
	}
	// The first person is previewed at once.
	hanna := w.snap.Find("hanna-ablab")
	if w.chosen != hanna || w.full == nil {
		t.Fatalf("chosen %d, preview %v", w.chosen, w.full != nil)
	}
	// The kiosk's own Composer, over the open pack, draws the same slide.
	c := &slides.Composer{Photos: w.snap, Fonts: w.draw.Fonts, Words: w.draw.Words, Now: time.Now, Log: demotest.Quiet()}
	want := c.Draw(w.snap.People[hanna].Entry, true, 0, imageprep.Size{W: 1920, H: 1080}, "en", w.snap.Entries())
	if !bytes.Equal(w.full.Pix, want.Pix) {
		t.Error("the preview is not the Composer's slide of hanna-ablab")
	}
	if b := w.preview.Image.Bounds(); b.Dx() < 320 || b.Dy() < 180 {
		t.Errorf("the preview on screen is %v", b)
	}
	// Choosing the photo problem shows olga-lost, left out.
	w.probList.Select(photoRow)
	olga := w.snap.Find("olga-lost")
	if w.chosen != olga || !w.snap.People[olga].LeftOut {
		t.Fatalf("chose %d, want olga-lost (%d)", w.chosen, olga)
	}
	if bytes.Equal(w.full.Pix, want.Pix) {
		t.Error("the preview did not change")
	}
	// Another screen and language: the Composer's slide at that size.
	w.screens.SetSelected(screenPortrait)
	w.langs.SetSelected("ru")
	want = w.draw.Spotlight(w.snap, olga, imageprep.Size{W: 1080, H: 1920}, "ru")
	if !bytes.Equal(w.full.Pix, want.Pix) {
		t.Error("the portrait Russian preview is not the Composer's")
	}
	// The wall tab draws the wall.
	w.tabs.SelectIndex(1)
	if w.wall.Image.Bounds().Dx() < 100 {
		t.Error("no wall preview")
	}
}

// TestStudioExports writes the pack zip where Export… is told to.
func TestStudioExports(t *testing.T) {
	w := testStudio(t)
	w.open(studioCSV(t), "")
	out := filepath.Join(t.TempDir(), "rally.zip")
	var got error = os.ErrInvalid
	w.export(out, func(err error) { got = err })
	if got != nil {
		t.Fatalf("export: %v; status %q", got, w.status.Text)
	}
	p, err := pack.Open(out, pack.DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if len(p.Manifest.People) != 2 || !strings.Contains(w.status.Text, out) {
		t.Errorf("%d people; status %q", len(p.Manifest.People), w.status.Text)
	}
	// Signing with a key that is not there says so, and nothing breaks.
	var signErr error
	w.sign(filepath.Join(t.TempDir(), "none.key"), "", func(err error) { signErr = err })
	if signErr == nil || !strings.Contains(w.status.Text, "secret key") {
		t.Errorf("signing without a key: %v; status %q", signErr, w.status.Text)
	}
}

// TestStudioFromOperatorPanel: the panel's Studio… button opens the studio
// in a window of its own beside the show.
func TestStudioFromOperatorPanel(t *testing.T) {
	k := testKiosk(t, Options{Options: director.Options{Windowed: true}})
	k.operatorPanel()
	_, _, buttons := panelWidgets(k.win.Canvas())
	b := buttons["Studio…"]
	if b == nil {
		t.Fatalf("no Studio… button on the panel: %v", buttons)
	}
	before := len(k.app.Driver().AllWindows())
	test.Tap(b)
	wins := k.app.Driver().AllWindows()
	if len(wins) != before+1 || wins[len(wins)-1].Title() != "Solidarity Kiosk studio" {
		t.Fatalf("%d windows after the tap (%d before)", len(wins), before)
	}
	wins[len(wins)-1].Close()
}
