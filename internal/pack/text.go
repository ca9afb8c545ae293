package pack

import (
	"bytes"
	"encoding/json"
	"errors"
	"sort"
)

// Text is human-readable text by BCP 47 language tag. In JSON it is an
// object {"en": "…", "be": "…"} or a plain string, which Parse files under
// the pack's first language.
type Text map[string]string

// plainKey holds a plain-string Text until Parse knows the pack's languages.
const plainKey = ""

// UnmarshalJSON accepts an object of strings or a plain string.
func (t *Text) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return err
		}
		*t = Text{plainKey: s}
		return nil
	}
	var m map[string]string
	if err := json.Unmarshal(data, &m); err != nil {
		return errors.New("want text or an object of texts by language")
	}
	*t = m
	return nil
}

// Get returns the text in prefer, else in the first of fallbacks present,
// else in any language (the alphabetically first tag, so it is stable).
func (t Text) Get(prefer string, fallbacks []string) string {
	s, _ := t.GetLang(prefer, fallbacks)
	return s
}

// GetLang is Get, also saying which language the text is in ("" when none).
func (t Text) GetLang(prefer string, fallbacks []string) (text, lang string) {
	if s, ok := t[prefer]; ok && s != "" {
		return s, prefer
	}
	for _, l := range fallbacks {
		if s, ok := t[l]; ok && s != "" {
			return s, l
		}
	}
	keys := make([]string, 0, len(t))
	for k, s := range t {
		if s != "" {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return "", ""
	}
	sort.Strings(keys)
	return t[keys[0]], keys[0]
}

// empty reports whether no language has any text.
func (t Text) empty() bool {
	for _, s := range t {
		if s != "" {
			return false
		}
	}
	return true
}

// settle files a plain string under lang.
func (t Text) settle(lang string) {
	if s, ok := t[plainKey]; ok {
		delete(t, plainKey)
		if _, exists := t[lang]; !exists {
			t[lang] = s
		}
	}
}
