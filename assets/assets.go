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
