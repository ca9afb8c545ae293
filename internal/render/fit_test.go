package render

import (
	"fmt"
	"image"
	"strings"
	"testing"
	"time"

	"github.com/solidarity-kiosk/kiosk/internal/i18n"
	"github.com/solidarity-kiosk/kiosk/internal/pack"
	"github.com/solidarity-kiosk/kiosk/internal/show"
	"github.com/solidarity-kiosk/kiosk/internal/testpack"
)

// longText is a long record's text in each caption language: sentences that
// read as a bio, charges and a sentence do, in the language's own script.
var longText = map[string][3]string{
	"en": {"She was detained at her home in the early morning and held for three days without any contact with a lawyer.", "Article 342 Organisation and preparation of actions grossly violating public order", "Eight years and six months in a colony of the general regime"},
	"be": {"Яе затрымалі раніцай у яе доме і тры дні трымалі без сувязі з адвакатам.", "Арт. 342 Арганізацыя і падрыхтоўка дзеянняў, якія груба парушаюць грамадскі парадак", "Восем гадоў і шэсць месяцаў калоніі агульнага рэжыму"},
	"ru": {"Её задержали утром у неё дома и три дня держали без связи с адвокатом.", "Ст. 342 Организация и подготовка действий, грубо нарушающих общественный порядок", "Восемь лет и шесть месяцев колонии общего режима"},
	"uk": {"Її затримали вранці вдома і три дні тримали без зв'язку з адвокатом.", "Ст. 342 Організація та підготовка дій, що грубо порушують громадський порядок", "Вісім років і шість місяців колонії загального режиму"},
	"pl": {"Zatrzymano ją rano w domu i przez trzy dni przetrzymywano bez kontaktu z adwokatem.", "Art. 342 Organizacja i przygotowanie działań rażąco naruszających porządek publiczny", "Osiem lat i sześć miesięcy kolonii o rygorze ogólnym"},
	"lt": {"Ji buvo sulaikyta ankstų rytą savo namuose ir tris dienas laikoma be ryšio su advokatu.", "342 str. Veiksmų, šiurkščiai pažeidžiančių viešąją tvarką, organizavimas ir rengimas", "Aštuoneri metai ir šeši mėnesiai bendrojo režimo kolonijos"},
	"de": {"Sie wurde frühmorgens in ihrer Wohnung festgenommen und drei Tage ohne Kontakt zu einem Anwalt festgehalten.", "Art. 342 Organisation und Vorbereitung von Handlungen, die die öffentliche Ordnung grob verletzen", "Acht Jahre und sechs Monate Straflager mit allgemeinem Regime"},
	"fa": {"او صبح زود در خانه\u200cاش بازداشت شد و سه روز بدون دسترسی به وکیل نگه داشته شد.", "ماده ۵۰۰ تبلیغ علیه نظام و اجتماع و تبانی علیه امنیت ملی", "هشت سال و شش ماه حبس تعزیری"},
}

// longSlide is a record with everything long: several charges, a long
// sentence, a bio of many sentences, notices and letter rules.
func longSlide(lang string, sentencesInBio int) show.Slide {
	lt := longText[lang]
	bio := strings.TrimSpace(strings.Repeat(lt[0]+" ", sentencesInBio))
	p := pack.Person{
		ID: "long", Name: pack.Text{lang: "Aliaksandra Kanstancinaŭna Vasilevich-Hrabarchuk", "en": "Aliaksandra Kanstancinaŭna Vasilevich-Hrabarchuk"}, Country: "BY", Status: "in_custody",
		Arrested: "2021-01-15", Sentence: pack.Text{lang: lt[2]},
		Charges: []pack.Charge{
			{Code: "342", Label: pack.Text{lang: lt[1]}}, {Code: "361-1", Label: pack.Text{lang: lt[1]}}, {Code: "130", Label: pack.Text{lang: lt[1]}},
		},
		Occupation: pack.Text{lang: lt[0]},
		Bio:        pack.Text{lang: bio},
		Links:      []pack.Link{{Kind: "letter", URL: "https://spring96.org/letters/long"}, {Kind: "petition", URL: "https://belaruswomen.org/petition"}},
		Verified:   "2023-03-08", Source: &pack.Source{Name: "Viasna"},
	}
	m := &pack.Manifest{ID: "t", Languages: []string{lang}, People: []pack.Person{p}}
	return show.Build(show.Entry{Manifest: m, Person: &m.People[0]}, testWords(nil, lang), time.Date(2024, 12, 10, 12, 0, 0, 0, time.UTC))
}

// TestLongTextFitsWithoutChangingMeaning draws long records in every
// language at every screen shape and checks what a reader sees: every line
// inside the column and above the codes, charges, sentence and status whole,
// the bio cut only between sentences, and nothing ending in "…".
func TestLongTextFitsWithoutChangingMeaning(t *testing.T) {
	f, err := LoadFonts()
	if err != nil {
		t.Fatal(err)
	}
	cat, err := i18n.Embedded()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range cat.Languages() {
		if _, ok := longText[lang]; !ok {
			t.Errorf("no long text for the caption language %q: add it to longText", lang)
			continue
		}
		for _, size := range screenShapes {
			for _, n := range []int{1, 4, 12} {
				s := longSlide(lang, n)
				img, lay := Draw(f, Input{Slide: s, Size: size, Photo: testpack.Photo(900, 1200, 3)})
				where := fmt.Sprintf("%s %dx%d bio of %d sentences", lang, size.W, size.H, n)
				checkFit(t, where, s, lay, img.Bounds())
				if n == 4 {
					writePNG(t, img, fmt.Sprintf("long-%s-%dx%d.png", lang, size.W, size.H))
				}
			}
		}
	}
}

func checkFit(t *testing.T, where string, s show.Slide, lay Layout, screen image.Rectangle) {
	t.Helper()
	codes := lay.LetterQR.Union(lay.PetitionQR)
	onCode := func(r image.Rectangle) bool { return r.Overlaps(lay.LetterQR) || r.Overlaps(lay.PetitionQR) }
	got := map[string][]string{}
	for _, l := range lay.Text {
		if !l.Box.In(screen) {
			t.Errorf("%s: %s line %q at %v runs off the screen", where, l.Block, l.Text, l.Box)
		}
		switch l.Block {
		case "label", "domain", "small":
			if onCode(l.Box) {
				t.Errorf("%s: %s %q at %v covers a code", where, l.Block, l.Text, l.Box)
			}
		default:
			if l.Box.Min.X < lay.Column.Min.X || l.Box.Max.X > lay.Column.Max.X || l.Box.Min.Y < lay.Column.Min.Y {
				t.Errorf("%s: %s line %q at %v is outside the column %v", where, l.Block, l.Text, l.Box, lay.Column)
			}
			if !codes.Empty() && l.Box.Max.Y > codes.Min.Y {
				t.Errorf("%s: %s line %q at %v runs into the codes at %v", where, l.Block, l.Text, l.Box, codes)
			}
		}
		if strings.HasSuffix(l.Text, "…") {
			t.Errorf("%s: %s line %q is cut with an ellipsis", where, l.Block, l.Text)
		}
		got[l.Block] = append(got[l.Block], l.Text)
	}
	whole := func(block, want string) {
		if have := strings.Join(got[block], " "); strings.Join(strings.Fields(have), " ") != strings.Join(strings.Fields(want), " ") {
			t.Errorf("%s: %s shortened:\n have %q\n want %q", where, block, have, want)
		}
	}
	whole("charges", s.Charges)
	whole("sentence", s.Sentence)
	whole("status", strings.TrimPrefix(strings.Join([]string{s.Country, s.StatusLine}, " · "), " · "))
	whole("name", s.Name)
	for _, block := range []string{"bio", "occupation"} {
		src := s.Bio
		if block == "occupation" {
			src = s.Occupation
		}
		have := strings.Join(strings.Fields(strings.Join(got[block], " ")), " ")
		if have == "" {
			continue
		}
		if !strings.HasPrefix(strings.Join(strings.Fields(src), " "), have) {
			t.Errorf("%s: the %s drawn is not the start of the record's:\n have %q", where, block, have)
		}
		if r := []rune(have); !strings.ContainsRune(".!?؟", r[len(r)-1]) {
			t.Errorf("%s: the %s ends inside a sentence: %q", where, block, have)
		}
	}
	if len(got["bio"]) == 0 && s.Bio != "" && len(sentences(s.Bio)) > 0 {
		t.Logf("%s: no room for any of the bio", where)
	}
}

func TestSentences(t *testing.T) {
	for in, want := range map[string][]string{
		"One. Two! Three?":                 {"One.", "Two!", "Three?"},
		"Art. 342 applies. Then more.":     {"Art. 342 applies.", "Then more."},
		"A. Bialiatski said so. Yes.":      {"A. Bialiatski said so.", "Yes."},
		"Sentence 2.5 years. Done":         {"Sentence 2.5 years.", "Done"},
		"He said \"stop.\" Then left.":     {"He said \"stop.\"", "Then left."},
		"او بازداشت شد. سه روز ماند؟ بله.": {"او بازداشت شد.", "سه روز ماند؟", "بله."},
		"ст. 342 УК. Далей.":               {"ст. 342 УК.", "Далей."},
		"":                                 nil,
	} {
		if got := sentences(in); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("sentences(%q) = %q, want %q", in, got, want)
		}
	}
}
