// Package i18n holds the kiosk's own words that depend on a visitor's or a
// prisoner's country: for now the built-in rules for writing letters to
// political prisoners, which a pack's letter_rules override.
package i18n

// LetterRule is how letters to prisoners held in one country must be written.
type LetterRule struct {
	Languages []string // BCP 47 tags a letter must be written in
	Note      string   // advice for the writer, in English
}

// builtinLetterRules are what prisoner-support groups advise for each country.
var builtinLetterRules = map[string]LetterRule{
	"BY": {
		Languages: []string{"ru", "be"},
		Note: "Write in Russian or Belarusian only, with the address in Cyrillic. " +
			"Keep it short and personal; no politics, and avoid words like “freedom” or “fight”.",
	},
	"RU": {
		Languages: []string{"ru"},
		Note:      "Write in Russian only. Nothing about the war or the case; keep it personal.",
	},
	"IR": {
		Languages: []string{"en", "fa"},
		Note:      "Send a card in English or Persian. Nothing about the case or politics.",
	},
}

// BuiltinLetterRule returns the built-in rule for a country (ISO 3166-1 alpha-2).
func BuiltinLetterRule(country string) (LetterRule, bool) {
	r, ok := builtinLetterRules[country]
	return r, ok
}
