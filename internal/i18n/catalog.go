package i18n

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strings"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"

	"github.com/solidarity-kiosk/kiosk/assets"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/message"
)

// Catalog holds the translations of the kiosk's own words. It reads the
// same go-i18n JSON files Fyne's lang reads for the operator panel, but
// gives a Words for any language on demand: the captions rotate through
// languages whatever the machine's locale is, which Fyne's single global
// localizer cannot do.
type Catalog struct {
	bundle *goi18n.Bundle
	langs  []string
}

// Load reads every *.json file in dir of fsys, named by language (en.json).
func Load(fsys fs.FS, dir string) (*Catalog, error) {
	c := &Catalog{bundle: goi18n.NewBundle(language.English)}
	c.bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	files, err := fs.Glob(fsys, path.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		data, err := fs.ReadFile(fsys, f)
		if err != nil {
			return nil, err
		}
		if _, err := c.bundle.ParseMessageFileBytes(data, path.Base(f)); err != nil {
			return nil, fmt.Errorf("translations %s: %w", f, err)
		}
		c.langs = append(c.langs, strings.TrimSuffix(path.Base(f), ".json"))
	}
	if len(c.langs) == 0 {
		return nil, fmt.Errorf("no translations in %s", dir)
	}
	sort.Strings(c.langs)
	return c, nil
}

// Languages lists the languages the kiosk has words for.
func (c *Catalog) Languages() []string { return append([]string(nil), c.langs...) }

// For returns the words of lang (a BCP 47 tag); words it lacks come in
// English, never as an empty line or a key.
func (c *Catalog) For(lang string) *Words {
	tag, err := language.Parse(lang)
	if err != nil {
		tag = language.English
	}
	base, _ := tag.Base()
	return &Words{
		cat:     c,
		Lang:    base.String(),
		tag:     tag,
		loc:     goi18n.NewLocalizer(c.bundle, lang, "en"),
		printer: message.NewPrinter(tag),
	}
}

// Words are the kiosk's words, numbers and dates in one language. Safe for
// concurrent use.
type Words struct {
	cat     *Catalog
	Lang    string // the base language, e.g. "be"
	tag     language.Tag
	loc     *goi18n.Localizer
	printer *message.Printer
}

// In returns the words of another language from the same catalog (w itself
// when lang is w's), so a line can follow the language of its pack text.
func (w *Words) In(lang string) *Words {
	if w.cat == nil || lang == "" || lang == w.Lang {
		return w
	}
	return w.cat.For(lang)
}

// T translates key, filling {{.Name}} fields from data.
func (w *Words) T(key string, data map[string]any) string {
	s, err := w.loc.Localize(&goi18n.LocalizeConfig{MessageID: key, TemplateData: data})
	if err != nil || s == "" {
		return "" // callers check: a missing word never shows as its key
	}
	return s
}

// N translates key in the plural form for count.
func (w *Words) N(key string, count int, data map[string]any) string {
	s, err := w.loc.Localize(&goi18n.LocalizeConfig{MessageID: key, PluralCount: count, TemplateData: data})
	if err != nil {
		return ""
	}
	return s
}

// Int writes n with this language's digits and grouping (1,012; 1 012; ۱٬۰۱۲).
func (w *Words) Int(n int64) string { return w.printer.Sprintf("%d", n) }

// Country is the name of an ISO 3166-1 country in this language.
func (w *Words) Country(code string) string {
	r, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if n := display.Regions(w.tag).Name(r); n != "" {
		return n
	}
	return display.English.Regions().Name(r)
}

// Embedded loads the translations that ship inside the binary.
func Embedded() (*Catalog, error) { return Load(assets.Translations, "translations") }
