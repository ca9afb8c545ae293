package glyphs

// SampleNames are names in each script the kiosk promises to draw, keyed by
// script: the tests of screen and paper draw them all.
var SampleNames = map[string]string{
	"Latin":      "Ihar Losik, Maria Kalesnikava, Łukasz Ŭ",
	"Cyrillic":   "Ігар Лосік, Марыя Калеснікава",
	"Greek":      "Σωκράτης Παπαδόπουλος",
	"Arabic":     "نرگس محمدی",
	"Hebrew":     "שלום עליכם",
	"Georgian":   "მზია ამაღლობელი",
	"Armenian":   "Աշոտ Մելքոնյան",
	"Devanagari": "सुधा भारद्वाज",
	"Han":        "刘晓波 黎智英 許智峯 高智晟",
	"Hiragana":   "さとう はなこ",
	"Katakana":   "カトウ ハナコ",
	"Hangul":     "김정은 박지원",
}
