package render

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/imageprep"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// goldenSizes are the screen shapes the goldens are drawn at: small enough
// to keep the PNGs small, the same proportions as 1920x1080 and 1080x1920.
var goldenSizes = map[string]imageprep.Size{"landscape": {W: 960, H: 540}, "portrait": {W: 540, H: 960}}

// goldenPerson is the record the goldens draw, in status.
func goldenPerson(status string) pack.Person {
	no := false
	p := pack.Person{
		ID: "hanna-ablab", Name: pack.Text{"en": "Hanna Ablab", "be": "Ганна Аблаб", "ru": "Анна Аблаб", "uk": "Ганна Аблаб", "pl": "Hanna Ablab"}, Country: "BY", Status: status,
		Born: "1985-03-02", Arrested: "2022-03-15", Sentence: pack.Text{"en": "11 years of imprisonment"},
		Charges:  []pack.Charge{{Code: "356", Label: pack.Text{"en": "High treason"}}},
		Bio:      pack.Text{"en": "Railway employee and member of the workers' movement Rabochy Rukh. Sentenced for organising an independent trade union."},
		Links:    []pack.Link{{Kind: "letter", URL: "https://spring96.org/letters/hanna-ablab"}, {Kind: "petition", URL: "https://belaruswomen.org/free/hanna-ablab"}, {Kind: "profile", URL: "https://spring96.org/persons/hanna-ablab"}},
		Verified: "2024-05-20", Source: &pack.Source{Name: "Viasna"},
		Facility: &pack.Facility{Address: "ул. Советская 22, 247210 Гомель, Беларусь"},
	}
	yes := true
	p.Consent.Address = &yes
	if status != "no_photo" {
		p.Photo = "photos/hanna-ablab.jpg"
	}
	switch status {
	case "released":
		p.Released = "2024-09-11"
	case pack.StatusDiedInCustody:
		p.Died = "2024-10-01"
	case "no_consent":
		p.Status, p.Consent.Photo = "in_custody", &no
	case "no_photo":
		p.Status = "in_custody"
	}
	return p
}

func goldenSlide(p pack.Person, lang string, at show.Moment) show.Slide {
	m := &pack.Manifest{
		ID: "g", Languages: []string{"en", "be"}, People: []pack.Person{p}, AllowedLinkHosts: []string{"spring96.org", "belaruswomen.org"},
		Actions: []pack.Action{{Kind: "petition", URL: "https://belaruswomen.org/petition", Label: pack.Text{"en": "Sign the petition"}}},
	}
	return show.BuildAt(show.Entry{PackID: "g", Manifest: m, Person: &m.People[0]}, testWords(nil, lang), at)
}

var goldenNow = show.Moment{Now: time.Date(2024, 12, 10, 12, 0, 0, 0, time.UTC)}

// TestStatusGoldens draws each status a visitor must read differently
// (died, released, no photo consent, no photo, unknown, and in custody to
// compare) at both screen shapes, against testdata/slides.
func TestStatusGoldens(t *testing.T) {
	f, err := LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	photo := testpack.SmoothPhoto(300, 400)
	for _, status := range []string{"in_custody", pack.StatusDiedInCustody, "released", "no_consent", "no_photo", "unknown"} {
		for shape, size := range goldenSizes {
			p := goldenPerson(status)
			in := Input{Slide: goldenSlide(p, "en", goldenNow), Size: size, Figures: []string{"181 women political prisoners in custody · as of 20 May 2024 · Belarusian Women's Foundation"}}
			if status != "no_consent" && status != "no_photo" {
				in.Photo = photo
			}
			img, _ := Draw(f, in)
			name := fmt.Sprintf("%s_%s.png", status, shape)
			writePNG(t, img, "golden-"+name)
			golden(t, filepath.Join("testdata", "slides", name), img)
		}
	}
}

// TestGenderGoldens draws the status line in the person's grammatical
// gender (and with none given) in be, ru, uk and pl.
func TestGenderGoldens(t *testing.T) {
	f, err := LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"be", "ru", "uk", "pl"} {
		for _, g := range []string{"female", "male", ""} {
			p := goldenPerson(pack.StatusDiedInCustody)
			p.Gender = g
			img, _ := Draw(f, Input{Slide: goldenSlide(p, lang, goldenNow), Size: goldenSizes["landscape"]})
			name := fmt.Sprintf("gender_%s_%s.png", lang, cmpOr(g, "none"))
			writePNG(t, img, "golden-"+name)
			golden(t, filepath.Join("testdata", "slides", name), img)
		}
	}
}

func cmpOr(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// TestLongTextGoldens draws a long record in every caption language.
func TestLongTextGoldens(t *testing.T) {
	f, err := LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	for lang := range longText {
		img, _ := Draw(f, Input{Slide: longSlide(lang, 6), Size: goldenSizes["landscape"], Photo: testpack.SmoothPhoto(300, 400)})
		name := fmt.Sprintf("long_%s.png", lang)
		writePNG(t, img, "golden-"+name)
		golden(t, filepath.Join("testdata", "slides", name), img)
	}
}

// TestDayGoldens: the 21 May title over a spotlight, a postcard-hour slide
// (birthday, address for cards, letter rules, the letter code alone) and a
// memorial slide on its date.
func TestDayGoldens(t *testing.T) {
	f, err := LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	photo := testpack.SmoothPhoto(300, 400)
	may21 := show.Moment{Now: time.Date(2025, 5, 21, 12, 0, 0, 0, time.UTC)}
	s21 := goldenSlide(goldenPerson("in_custody"), "en", may21)
	if s21.DayTitle == "" {
		t.Fatal("no day title on 21 May")
	}
	post := goldenSlide(goldenPerson("in_custody"), "en", show.Moment{Now: time.Date(2025, 2, 20, 12, 0, 0, 0, time.UTC), Postcard: true})
	if post.Postcard == nil || post.Postcard.Address == "" {
		t.Fatalf("postcard facts %+v", post.Postcard)
	}
	died := goldenPerson(pack.StatusDiedInCustody)
	memorial := goldenSlide(died, "en", show.Moment{Now: time.Date(2025, 10, 1, 12, 0, 0, 0, time.UTC)})
	for name, s := range map[string]show.Slide{"day_21_may": s21, "postcard_hour": post, "memorial_day": memorial} {
		for shape, size := range goldenSizes {
			img, _ := Draw(f, Input{Slide: s, Size: size, Photo: photo})
			file := fmt.Sprintf("%s_%s.png", name, shape)
			writePNG(t, img, "golden-"+file)
			golden(t, filepath.Join("testdata", "slides", file), img)
		}
	}
}
