package i18n

import (
	"encoding/json"
	"io/fs"
	"path"
	"sort"
	"strings"
	"testing"

	"github.com/solidarity-kiosk/kiosk/assets"
)

func catalog(t *testing.T) *Catalog {
	t.Helper()
	c, err := Load(assets.Translations, "translations")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestEveryLanguageHasEveryKey: each file has exactly the keys of en.json,
// and plural keys the plural forms the language needs.
func TestEveryLanguageHasEveryKey(t *testing.T) {
	files, err := fs.Glob(assets.Translations, "translations/*.json")
	if err != nil || len(files) < 8 {
		t.Fatalf("translation files: %v, %v (want at least 8)", files, err)
	}
	keys := func(f string) map[string]any {
		data, err := fs.ReadFile(assets.Translations, f)
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]any{}
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		return m
	}
	en := keys("translations/en.json")
	for _, f := range files {
		m := keys(f)
		var missing, extra []string
		for k := range en {
			if _, ok := m[k]; !ok {
				missing = append(missing, k)
			}
		}
		for k, v := range m {
			if _, ok := en[k]; !ok {
				extra = append(extra, k)
			}
			if s, ok := v.(string); ok && strings.TrimSpace(s) == "" {
				t.Errorf("%s: %s is empty", f, k)
			}
		}
		sort.Strings(missing)
		sort.Strings(extra)
		if len(missing)+len(extra) > 0 {
			t.Errorf("%s: missing %v; keys English lacks %v", path.Base(f), missing, extra)
		}
	}
	for _, want := range []string{"be", "de", "en", "fa", "lt", "pl", "ru", "uk"} {
		if !strings.Contains(strings.Join(catalog(t).Languages(), " "), want) {
			t.Errorf("no %s translation", want)
		}
	}
}

// TestDaysBehindBarsPlurals checks every plural boundary in each language.
func TestDaysBehindBarsPlurals(t *testing.T) {
	c := catalog(t)
	want := map[string]map[int]string{
		"ru": {1: "1 день", 2: "2 дня", 5: "5 дней", 11: "11 дней", 21: "21 день", 22: "22 дня", 25: "25 дней", 101: "101 день", 111: "111 дней"},
		"be": {1: "1 дзень", 2: "2 дні", 5: "5 дзён", 11: "11 дзён", 21: "21 дзень", 22: "22 дні", 25: "25 дзён", 101: "101 дзень", 111: "111 дзён"},
		"uk": {1: "1 день", 2: "2 дні", 5: "5 днів", 11: "11 днів", 21: "21 день", 22: "22 дні", 25: "25 днів", 101: "101 день", 111: "111 днів"},
		"pl": {1: "1 dzień", 2: "2 dni", 5: "5 dni", 11: "11 dni", 21: "21 dni", 22: "22 dni", 25: "25 dni", 101: "101 dni", 111: "111 dni"},
		"lt": {1: "1 diena", 2: "2 dienos", 5: "5 dienos", 11: "11 dienų", 21: "21 diena", 22: "22 dienos", 25: "25 dienos", 101: "101 diena", 111: "111 dienų"},
		"de": {1: "1 Tag", 2: "2 Tage", 5: "5 Tage", 11: "11 Tage", 21: "21 Tage", 22: "22 Tage", 25: "25 Tage", 101: "101 Tage", 111: "111 Tage"},
		"en": {1: "day 1 ", 2: "day 2 ", 5: "day 5 ", 11: "day 11 ", 21: "day 21 ", 22: "day 22 ", 25: "day 25 ", 101: "day 101 ", 111: "day 111 "},
	}
	for lang, cases := range want {
		w := c.For(lang)
		for n, prefix := range cases {
			got := w.N("days.behind_bars", n, map[string]any{"Days": w.Int(int64(n))})
			if !strings.HasPrefix(got, prefix) {
				t.Errorf("%s %d: %q, want it to start %q", lang, n, got, prefix)
			}
		}
	}
	fa := c.For("fa")
	if got := fa.N("days.behind_bars", 1012, map[string]any{"Days": fa.Int(1012)}); got != "۱٬۰۱۲ روز پشت میله\u200cها" {
		t.Errorf("fa 1012: %q", got)
	}
}

func TestDatesAndNumbersPerLanguage(t *testing.T) {
	c := catalog(t)
	cases := map[string][2]string{
		"en": {"20 May 2024", "1,012"},
		"be": {"20 мая 2024 г.", "1 012"},
		"ru": {"20 мая 2024 г.", "1 012"},
		"uk": {"20 травня 2024 р.", "1 012"},
		"pl": {"20 maja 2024", "1 012"},
		"lt": {"2024 m. gegužės 20 d.", "1 012"},
		"de": {"20. Mai 2024", "1.012"},
		"fa": {"۲۰ مه ۲۰۲۴", "۱٬۰۱۲"},
	}
	for lang, want := range cases {
		w := c.For(lang)
		if got := w.Date("2024-05-20"); got != want[0] {
			t.Errorf("%s date: %q, want %q", lang, got, want[0])
		}
		if got := strings.ReplaceAll(w.Int(1012), "\u00a0", " "); got != want[1] {
			t.Errorf("%s number: %q, want %q", lang, got, want[1])
		}
	}
	if got := c.For("de").Country("BY"); got != "Belarus" {
		t.Errorf("de BY = %q", got)
	}
	if got := c.For("be").Country("BY"); got != "Беларусь" {
		t.Errorf("be BY = %q", got)
	}
	if got := c.For("xx-unknown").T("qr.letter", nil); got != "Write a letter" {
		t.Errorf("an unknown language falls back to English: %q", got)
	}
}
