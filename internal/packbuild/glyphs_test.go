package packbuild

import (
	"context"
	"os"
	"strings"
	"testing"
)

// TestBuildWarnsOfCharactersWithoutAGlyph: a name holding a character no
// font of the kiosk draws (U+10900, Phoenician) is built, with a warning
// naming the person, the field and the character.
func TestBuildWarnsOfCharactersWithoutAGlyph(t *testing.T) {
	csv := "Имя и фамилия;Статус;Дата рождения;Дата задержания;Место заключения\n" +
		"Лосик Игорь \U00010900;действующий;;25.06.2020;\n" +
		"Аблаб Ганна שלום;действующий;;15.03.2022;\n"
	opt, _ := setup(t, csv, nil)
	rep, err := Build(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], `: name.ru: "𐤀" (U+10900, Phoenician) has no glyph in the kiosk's fonts: it would be drawn as an empty box`) ||
		!strings.HasPrefix(rep.Warnings[0], `person "`) {
		t.Errorf("warnings %q", rep.Warnings)
	}
	if _, err := os.Stat(opt.Out); err != nil {
		t.Errorf("the pack was not written: %v", err)
	}
}
