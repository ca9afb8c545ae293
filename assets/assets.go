// Package assets embeds what ships inside the kiosk binary: the demo pack,
// the fonts, the translations and the application icon.
package assets

import (
	"embed"
	"io/fs"
)

//go:embed demo
var demo embed.FS

// FontRegular and FontBold are Noto Sans (Latin, Cyrillic, Greek), OFL 1.1.
//
//go:embed fonts/NotoSans-Regular.ttf
var FontRegular []byte

// FontBold is Noto Sans Bold.
//
//go:embed fonts/NotoSans-Bold.ttf
var FontBold []byte

// FontArabic is Noto Sans Arabic, for names in Persian (Arabic script).
//
//go:embed fonts/NotoSansArabic-Regular.ttf
var FontArabic []byte

// FontArabicBold is Noto Sans Arabic Bold, for Persian headings (status
// lines, the codes' labels, names).
//
//go:embed fonts/NotoSansArabic-Bold.ttf
var FontArabicBold []byte

// Font is one embedded font file by its file name.
type Font struct {
	Name string // file name under assets/fonts, e.g. "NotoSansHebrew-Regular.ttf"
	Data []byte
}

// Fonts is every font the kiosk ships, in the order a character is looked
// up: Noto Sans (Latin, Cyrillic, Greek) first, then the fonts of other
// scripts. Screen and paper both fall back through this list per character.
func Fonts() []Font {
	return append([]Font{
		{"NotoSans-Regular.ttf", FontRegular},
		{"NotoSans-Bold.ttf", FontBold},
		{"NotoSansArabic-Regular.ttf", FontArabic},
		{"NotoSansArabic-Bold.ttf", FontArabicBold},
	}, ScriptFonts()...)
}

// ScriptFonts are the fonts for scripts beyond Latin, Cyrillic and Greek,
// regular weight only, in lookup order: today one, FontScripts.
func ScriptFonts() []Font {
	return []Font{{"NotoSansKioskScripts-Regular.ttf", FontScripts}}
}

// FontScripts is Noto Sans Kiosk Scripts: Noto Sans Arabic, Hebrew,
// Georgian, Armenian and Devanagari and a subset of Noto Sans CJK SC (about
// 10,000 common Han characters, simplified, traditional and Japanese, all
// kana and the 2,350 common Hangul syllables) merged into one font, because
// Fyne's theme gives the operator panel a single font. Slides and placards
// fall back to it per character. Cut by fonts/tools/make-fonts.sh;
// fonts/README.md says what it keeps and weighs.
//
//go:embed fonts/NotoSansKioskScripts-Regular.ttf
var FontScripts []byte

// Translations are the kiosk's own words in every language it speaks, one
// go-i18n JSON file per language (en.json, be.json, …), read both by
// Fyne's lang (the operator panel) and by internal/i18n (the slides).
//
//go:embed translations/*.json
var Translations embed.FS

// Icon is the application icon (PNG, 256×256).
//
//go:embed icon.png
var Icon []byte

// DemoPack is the built-in demo pack as a folder (pack.json at its root).
func DemoPack() fs.FS {
	sub, err := fs.Sub(demo, "demo")
	if err != nil {
		panic(err) // the embed pattern above guarantees the folder exists
	}
	return sub
}
