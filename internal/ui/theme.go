package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"

	"github.com/solidarity-kiosk/kiosk/assets"
)

// kioskTheme is Fyne's default theme with the Arabic-script font that
// ships inside the kiosk put first, so the operator panel shows Persian
// without any system font: Fyne looks a glyph up in the theme's font,
// then in its own bundled Noto Sans (Latin, Cyrillic), and only then in
// system fonts (PITFALLS: through the theme, not canvas.Text.FontSource,
// which would skip the bundled font for Latin and Cyrillic).
type kioskTheme struct {
	fyne.Theme
	arabic fyne.Resource
}

func newKioskTheme() *kioskTheme {
	return &kioskTheme{Theme: theme.DefaultTheme(), arabic: fyne.NewStaticResource("NotoSansArabic-Regular.ttf", assets.FontArabic)}
}

// Font is the embedded Arabic-script font for text styles, Fyne's own for
// monospace and symbols.
func (t *kioskTheme) Font(style fyne.TextStyle) fyne.Resource {
	if style.Monospace || style.Symbol {
		return t.Theme.Font(style)
	}
	return t.arabic
}
