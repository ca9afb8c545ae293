package render

import (
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/go-text/typesetting/font"

	"github.com/solidarity-kiosk/kiosk/internal/i18n"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

func demoSlide(status string) show.Slide {
	p := pack.Person{
		ID: "hanna-ablab", Name: pack.Text{"en": "Hanna Ablab", "be": "Ганна Аблаб"}, Country: "BY", Status: status,
		Arrested: "2022-03-15", Sentence: pack.Text{"en": "11 years of imprisonment"},
		Charges:    []pack.Charge{{Code: "356", Label: pack.Text{"en": "High treason"}}, {Code: "361-1", Label: pack.Text{"en": "Formation of extremist groups or active participation in such"}}},
		Occupation: pack.Text{"en": "Employee of the Belarusian railway, participant of the workers' movement Rabochy Rukh"},
		Bio:        pack.Text{"en": "Sentenced for her part in the workers' movement: the Belarusian regime treats the independent trade union movement as extremism. The maximum penalty for high treason is death. She has spent more than a thousand days behind bars and rarely receives letters."},
		Links:      []pack.Link{{Kind: "letter", URL: "https://spring96.org/letters/hanna-ablab"}, {Kind: "petition", URL: "https://belaruswomen.org/petition"}},
		Verified:   "2023-03-08", Source: &pack.Source{Name: "Viasna"},
	}
	m := &pack.Manifest{ID: "t", Languages: []string{"en"}, People: []pack.Person{p}}
	return show.Build(show.Entry{Manifest: m, Person: &m.People[0]}, testWords(nil, "en"), time.Date(2024, 12, 10, 12, 0, 0, 0, time.UTC))
}

func writePNG(t *testing.T, img image.Image, name string) {
	t.Helper()
	dir := os.Getenv("RENDER_OUT")
	if dir == "" {
		return
	}
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
}

func TestDrawLandscapeAndPortrait(t *testing.T) {
	f, err := LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	photo := testpack.Photo(1080, 1440, 5) // a portrait photo
	for _, size := range []imageprep.Size{{W: 1920, H: 1080}, {W: 1080, H: 1920}} {
		for _, withPhoto := range []bool{true, false} {
			in := Input{Slide: demoSlide("in_custody"), Size: size, Figures: []string{"181 women political prisoners in custody · as of 20 May 2024 · Belarusian Women's Foundation"}}
			if withPhoto {
				in.Photo = photo
			}
			img, lay := Draw(f, in)
			if img.Bounds().Dx() != size.W || img.Bounds().Dy() != size.H {
				t.Fatalf("drew %v for %v", img.Bounds(), size)
			}
			for _, r := range []image.Rectangle{lay.LetterQR, lay.PetitionQR} {
				if r.Dy() < int(0.22*float64(size.H)) || !r.In(img.Bounds()) {
					t.Errorf("%v: QR %v too small or off screen", size, r)
				}
			}
			if lay.LetterQR.Overlaps(lay.PetitionQR) || lay.LetterQR.Overlaps(lay.PhotoRect) {
				t.Errorf("%v: QR codes overlap each other or the photo", size)
			}
			writePNG(t, img, name(size, withPhoto))
		}
	}
}

func name(s imageprep.Size, photo bool) string {
	n := "landscape"
	if s.H > s.W {
		n = "portrait"
	}
	if photo {
		return n + "-photo.png"
	}
	return n + "-silhouette.png"
}

// TestQRCodesScanFromTheSlide decodes the drawn slide with zbarimg, an
// independent decoder: both links must come back exactly, and none for a
// person held incommunicado.
func TestQRCodesScanFromTheSlide(t *testing.T) {
	zbar := testpack.NeedTools(t, "zbarimg")["zbarimg"]
	f, err := LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	scan := func(s show.Slide, photo *image.RGBA) []string {
		img, _ := Draw(f, Input{Slide: s, Photo: photo, Size: imageprep.Size{W: 1920, H: 1080}})
		path := filepath.Join(t.TempDir(), "slide.png")
		out, err := os.Create(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := png.Encode(out, img); err != nil {
			t.Fatal(err)
		}
		_ = out.Close()
		res, _ := exec.Command(zbar, "--raw", "-q", path).Output() // exit 4 when nothing found
		got := strings.Fields(string(res))
		sort.Strings(got)
		return got
	}
	s := demoSlide("in_custody")
	got := scan(s, testpack.Photo(1080, 1440, 9))
	want := []string{"https://belaruswomen.org/petition", "https://spring96.org/letters/hanna-ablab"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("zbarimg read %q, want %q", got, want)
	}
	s.Entry.Person.Contact = "none"
	s = show.Build(s.Entry, testWords(t, "en"), time.Date(2024, 12, 10, 12, 0, 0, 0, time.UTC))
	if got := scan(s, nil); strings.Join(got, " ") != "https://belaruswomen.org/petition" {
		t.Fatalf("contact none: zbarimg read %q, want only the petition", got)
	}
}

func TestQRCodesStayOnANarrowPortraitScreen(t *testing.T) {
	f, err := LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	for _, size := range []imageprep.Size{{W: 360, H: 640}, {W: 768, H: 1366}, {W: 1080, H: 1920}} {
		img, lay := Draw(f, Input{Slide: demoSlide("in_custody"), Size: size})
		if !lay.LetterQR.In(img.Bounds()) || !lay.PetitionQR.In(img.Bounds()) || lay.LetterQR.Overlaps(lay.PetitionQR) {
			t.Errorf("%v: codes %v and %v leave the screen or overlap", size, lay.LetterQR, lay.PetitionQR)
		}
	}
}

// TestPersianNameIsDrawnWithTheArabicFont checks the name in Persian script
// gets glyphs (not empty boxes): the embedded Noto Sans Arabic face is
// chosen for Arabic-script runes.
func TestPersianNameIsDrawnWithTheArabicFont(t *testing.T) {
	f, err := LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	p := newPen(f, f.Regular, 40, textMain)
	for _, run := range p.runs("آستیاژ حقیقی") {
		if run.Face != f.Arabic {
			t.Fatal("a Persian run was not set in the Arabic-script face")
		}
		for _, g := range run.Glyphs {
			if g.GlyphID == 0 {
				t.Fatal("a Persian letter has no glyph (.notdef)")
			}
		}
	}
	mixed := p.runs("Hanna Ablab")
	if len(mixed) != 1 || mixed[0].Face != f.Regular {
		t.Fatal("Latin text left the regular face")
	}
	bold := newPen(f, f.Bold, 40, textMain)
	faces := map[*font.Face]bool{}
	for _, run := range bold.runs("در بازداشت · Tehran") {
		faces[run.Face] = true
	}
	if !faces[f.ArabicBold] || faces[f.Arabic] || !faces[f.Bold] {
		t.Fatal("a bold Persian heading was not set in the bold Arabic-script face (with its Latin in bold)")
	}
}

func TestRightToLeftLinesAndMessage(t *testing.T) {
	for s, want := range map[string]bool{"آستیاژ حقیقی": true, "Hanna Ablab": false, "Ганна": false, "12 آستیاژ": true, "": false} {
		if got := rightToLeft(s); got != want {
			t.Errorf("rightToLeft(%q) = %v", s, got)
		}
	}
	f, err := LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	img := Message(f, imageprep.Size{W: 640, H: 360}, "Solidarity Kiosk", "No portrait packs are installed.")
	lit := 0
	for i := 0; i < len(img.Pix); i += 4 {
		if img.Pix[i] > 200 {
			lit++
		}
	}
	if lit < 200 {
		t.Fatalf("the message screen has %d light pixels: no text drawn", lit)
	}
}

// testWords are the kiosk's words in lang (t may be nil outside a test).
func testWords(_ testing.TB, lang string) *i18n.Words {
	c, err := i18n.Embedded()
	if err != nil {
		panic(err) // the translations are embedded: a failure is a build error
	}
	return c.For(lang)
}

// TestSmallPhotosFillThePanel: a 240×320 photo is enlarged to fill the
// 1920×1080 panel instead of sitting in it as a speck; a 120×160 one, which
// would need more than 4×, is enlarged 4× and framed.
func TestSmallPhotosFillThePanel(t *testing.T) {
	f, err := LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	red := color.RGBA{0xC0, 0x20, 0x20, 0xFF}
	for _, c := range []struct {
		w, h   int
		framed bool
	}{{240, 320, false}, {120, 160, true}} {
		photo := image.NewRGBA(image.Rect(0, 0, c.w, c.h))
		draw.Draw(photo, photo.Bounds(), image.NewUniform(red), image.Point{}, draw.Src)
		img, lay := Draw(f, Input{Slide: demoSlide("in_custody"), Photo: photo, Size: imageprep.Size{W: 1920, H: 1080}})
		r := lay.PhotoRect
		covered := 0
		for y := r.Min.Y; y < r.Max.Y; y++ {
			for x := r.Min.X; x < r.Max.X; x++ {
				if p := img.RGBAAt(x, y); p.R > 0xA0 && p.G < 0x50 {
					covered++
				}
			}
		}
		want := 4 * c.w * 4 * c.h
		if !c.framed {
			want = r.Dx() * r.Dy() / 2 // fills at least half the panel
		}
		if covered < want*9/10 {
			t.Errorf("%dx%d photo covers %d pixels of the %v panel, want about %d", c.w, c.h, covered, r.Size(), want)
		}
		cx, cy := r.Min.X+r.Dx()/2, r.Min.Y+r.Dy()/2
		edge := img.RGBAAt(cx-2*c.w-2, cy) // just left of the enlarged photo
		if framed := edge.R > 0xC0 && edge.G > 0xC0; framed != c.framed {
			t.Errorf("%dx%d photo: framed %v, want %v (pixel %v)", c.w, c.h, framed, c.framed, edge)
		}
	}
}
