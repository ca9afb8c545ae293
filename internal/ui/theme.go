package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/solidarity-kiosk/kiosk/assets"
)

// kioskTheme is Fyne's default theme with the kiosk's script font put
// first, so the operator panel shows Persian, Hebrew, Georgian, Armenian,
// Devanagari and CJK without any system font: Fyne looks a glyph up in the
// theme's font, then in its own bundled Noto Sans (Latin, Cyrillic, Greek),
// and only then in system fonts (PITFALLS: through the theme, not
// canvas.Text.FontSource, which would skip the bundled font for Latin and
// Cyrillic). The theme takes one font, so the scripts are merged into one
// (assets.FontScripts).
type kioskTheme struct {
	fyne.Theme
	scripts fyne.Resource
}

// themeFont is the font the theme gives text styles; themeFonts is every
// font the operator panel draws text with before any system font, in
// Fyne's order (tests check their coverage without building a window).
var (
	themeFont  = assets.Font{Name: "NotoSansKioskScripts-Regular.ttf", Data: assets.FontScripts}
	themeFonts = []assets.Font{themeFont, {Name: "NotoSans-Regular.ttf", Data: assets.FontRegular}}
)

func newKioskTheme() *kioskTheme {
	return &kioskTheme{Theme: theme.DefaultTheme(), scripts: fyne.NewStaticResource(themeFont.Name, themeFont.Data)}
}

// Font is the embedded script font for text styles, Fyne's own for
// monospace and symbols.
func (t *kioskTheme) Font(style fyne.TextStyle) fyne.Resource {
	if style.Monospace || style.Symbol {
		return t.Theme.Font(style)
	}
	return t.scripts
}
