package i18n

import (
	"encoding/json"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/solidarity-kiosk/kiosk/assets"
)

// langCall is a call of Fyne's lang (fyne.io/fyne/v2/lang); keyed are the
// functions whose first argument is the key and second the English
// fallback, the others (L, N) take the English text as the key.
var (
	langCall    = regexp.MustCompile(`\blang\.(XN|X|N|L|LocalizePluralKey|LocalizeKey|LocalizePlural|Localize)\(`)
	goString    = `("(?:[^"\\\n]|\\.)*"|` + "`[^`]*`)"
	literalArgs = regexp.MustCompile(`^\s*` + goString + `(?:\s*,\s*` + goString + `)?`)
	keyed       = map[string]bool{"X": true, "XN": true, "LocalizeKey": true, "LocalizePluralKey": true}
	placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)
)

// usedLangKeys scans the Go sources under internal/ (tests left out) for
// lang calls and returns each key with its English fallback and where it
// is used. A call whose key is not a string literal is an error: it could
// not be checked.
func usedLangKeys(t *testing.T) (fallback map[string]string, where map[string]string) {
	t.Helper()
	fallback, where = map[string]string{}, map[string]string{}
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == "testdata" {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		src := string(data)
		if !strings.Contains(src, `"fyne.io/fyne/v2/lang"`) {
			return nil
		}
		for _, m := range langCall.FindAllStringSubmatchIndex(src, -1) {
			fn := src[m[2]:m[3]]
			at := "internal/" + strings.TrimPrefix(filepath.ToSlash(p), "../") + ":" + strconv.Itoa(1+strings.Count(src[:m[0]], "\n"))
			args := literalArgs.FindStringSubmatch(src[m[1]:])
			if args == nil {
				t.Errorf("%s: lang.%s with a key that is not a string literal: the catalogs cannot be checked for it", at, fn)
				continue
			}
			key, err := strconv.Unquote(args[1])
			if err != nil {
				t.Fatalf("%s: %v", at, err)
			}
			text := key
			if keyed[fn] {
				if args[2] == "" {
					t.Errorf("%s: lang.%s(%q, …) without a literal English fallback", at, fn, key)
					continue
				}
				if text, err = strconv.Unquote(args[2]); err != nil {
					t.Fatalf("%s: %v", at, err)
				}
			}
			if prev, ok := fallback[key]; ok && prev != text {
				t.Errorf("%s: %q falls back to %q, but to %q at %s", at, key, text, prev, where[key])
				continue
			}
			fallback[key], where[key] = text, at
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return fallback, where
}

// TestEveryLangKeyIsInEveryCatalog: every key the operator panel and the
// studio pass to Fyne's lang is in every language's catalog, with the
// placeholders of the English text, and en.json says what the code's
// fallback says; otherwise an organizer sees English buttons.
func TestEveryLangKeyIsInEveryCatalog(t *testing.T) {
	fallback, where := usedLangKeys(t)
	if len(fallback) < 50 {
		t.Fatalf("found only %d lang keys under internal/: is the scan broken?", len(fallback))
	}
	files, err := fs.Glob(assets.Translations, "translations/*.json")
	if err != nil || len(files) < 8 {
		t.Fatalf("translation files: %v, %v (want at least 8)", files, err)
	}
	keys := make([]string, 0, len(fallback))
	for k := range fallback {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, f := range files {
		lang := strings.TrimSuffix(path.Base(f), ".json")
		data, err := fs.ReadFile(assets.Translations, f)
		if err != nil {
			t.Fatal(err)
		}
		cat := map[string]any{}
		if err := json.Unmarshal(data, &cat); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, k := range keys {
			v, ok := cat[k]
			if !ok {
				t.Errorf("%s: %s (used at %s) is missing; English: %q", lang, k, where[k], fallback[k])
				continue
			}
			text := messageText(v)
			if lang == "en" && text != fallback[k] {
				t.Errorf("en: %s is %q, but the code's fallback (%s) is %q", k, text, where[k], fallback[k])
			}
			if got, want := placeholders(text), placeholders(fallback[k]); got != want {
				t.Errorf("%s: %s has placeholders [%s], the English text [%s]", lang, k, got, want)
			}
		}
	}
}

// messageText is a catalog entry's text: the string, or a plural
// message's forms joined.
func messageText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case map[string]any:
		forms := make([]string, 0, len(v))
		for _, f := range v {
			forms = append(forms, messageText(f))
		}
		sort.Strings(forms)
		return strings.Join(forms, "\n")
	}
	return ""
}

// placeholders are the distinct template fields of s, sorted.
func placeholders(s string) string {
	seen := map[string]bool{}
	var names []string
	for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			names = append(names, m[1])
		}
	}
	sort.Strings(names)
	return strings.Join(names, " ")
}
