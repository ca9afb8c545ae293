package ui

import (
	"fmt"
	"io/fs"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/solidarity-kiosk/kiosk/assets"
	"github.com/solidarity-kiosk/kiosk/internal/i18n"
	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/render"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/slides"
	"github.com/solidarity-kiosk/kiosk/internal/store"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// TestSpotlightGoldens renders the spotlight in every status, with a photo
// and with the silhouette, in a landscape and a portrait window, through
// Fyne's test driver, against the images in testdata/spotlight.
func TestSpotlightGoldens(t *testing.T) {
	test.NewTempApp(t)
	fonts, err := render.LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2024, 12, 10, 12, 0, 0, 0, time.UTC)
	photo := testpack.SmoothPhoto(300, 400)
	statuses := []string{"in_custody", "pretrial", "house_arrest", "released", "died_in_custody", "unknown"}
	for _, status := range statuses {
		for _, size := range []imageprep.Size{{W: 640, H: 360}, {W: 360, H: 640}} {
			for _, withPhoto := range []bool{true, false} {
				name := goldenName(status, size, withPhoto)
				t.Run(name, func(t *testing.T) {
					p := pack.Person{
						ID: "h", Name: pack.Text{"en": "Hanna Ablab", "be": "Ганна Аблаб"}, Country: "BY", Status: status,
						Arrested: "2022-03-15", Released: "2024-09-11", Died: "2024-10-01",
						Sentence: pack.Text{"en": "11 years of imprisonment"},
						Charges:  []pack.Charge{{Code: "356", Label: pack.Text{"en": "High treason"}}},
						Bio:      pack.Text{"en": "Railway employee and member of the workers' movement Rabochy Rukh, sentenced for organising an independent trade union."},
						Links:    []pack.Link{{Kind: "letter", URL: "https://example.org/l/h"}, {Kind: "petition", URL: "https://example.org/p"}, {Kind: "profile", URL: "https://example.org/who/h"}},
						Verified: "2024-05-20", Source: &pack.Source{Name: "Viasna"},
					}
					var stored *store.Photo // what the cache holds of the photo: nil for a silhouette
					if withPhoto {
						p.Photo, stored = "photos/h.jpg", &store.Photo{}
					}
					m := &pack.Manifest{ID: "g", Languages: []string{"en"}, People: []pack.Person{p}}
					s := show.Build(show.Entry{Manifest: m, Person: &m.People[0], Photo: stored}, testWords(t, "en"), now)
					in := render.Input{Slide: s, Size: size, Figures: []string{"181 women political prisoners in custody · as of 20 May 2024 · Viasna"}}
					if withPhoto {
						in.Photo = photo
					}
					img, _ := render.Draw(fonts, in)
					stg := newStage()
					w := test.NewTempWindow(t, stg.root)
					w.SetPadded(false)
					w.Resize(fyne.NewSize(float32(size.W), float32(size.H)))
					stg.present(img, slides.Codes{}, 0)
					test.AssertImageMatches(t, "spotlight/"+name+".png", w.Canvas().Capture())
				})
			}
		}
	}
}

func goldenName(status string, size imageprep.Size, photo bool) string {
	orient, face := "landscape", "silhouette"
	if size.H > size.W {
		orient = "portrait"
	}
	if photo {
		face = "photo"
	}
	return fmt.Sprintf("%s_%s_%s", status, orient, face)
}

func testWords(t testing.TB, lang string) *i18n.Words {
	t.Helper()
	c, err := i18n.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	return c.For(lang)
}

// TestCaptionGoldens renders the spotlight with a Belarusian and a Persian
// caption (the demo pack's own translations) and a Persian line that mixes
// in Latin letters and digits, against testdata/captions.
func TestCaptionGoldens(t *testing.T) {
	checkFontsHidden(t)
	test.NewTempApp(t)
	fonts, err := render.LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	data, err := fs.ReadFile(assets.DemoPack(), "pack.json")
	if err != nil {
		t.Fatal(err)
	}
	demo, probs := pack.Parse(data)
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	person := func(m *pack.Manifest, id string) *pack.Person {
		for i := range m.People {
			if m.People[i].ID == id {
				return &m.People[i]
			}
		}
		t.Fatalf("no %s in the demo pack", id)
		return nil
	}
	mixed := &pack.Manifest{ID: "mixed", Languages: []string{"fa", "en"}, People: []pack.Person{{
		ID: "test", Name: pack.Text{"fa": "شخص آزمایشی", "en": "Test Person"}, Country: "IR", Status: "in_custody",
		Arrested: "2024-01-10", Occupation: pack.Text{"fa": "عضو گروه BMW Club از سال 2019 و ۱۲ سال معلم"},
	}}}
	now := time.Date(2024, 12, 10, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name, lang string
		m          *pack.Manifest
		p          *pack.Person
	}{
		{"belarusian", "be", demo, person(demo, "hanna-ablab")},
		{"persian", "fa", demo, person(demo, "astiaj-haghighi")},
		{"persian_mixed", "fa", mixed, &mixed.People[0]},
	}
	size := imageprep.Size{W: 640, H: 360}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := show.Build(show.Entry{Manifest: tc.m, Person: tc.p}, testWords(t, tc.lang), now)
			img, _ := render.Draw(fonts, render.Input{Slide: s, Size: size})
			stg := newStage()
			w := test.NewTempWindow(t, stg.root)
			w.SetPadded(false)
			w.Resize(fyne.NewSize(float32(size.W), float32(size.H)))
			stg.present(img, slides.Codes{}, 0)
			test.AssertImageMatches(t, "captions/"+tc.name+".png", w.Canvas().Capture())
		})
	}
}
