package poster

import (
	"strings"
	"unicode"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"github.com/solidarity-kiosk/kiosk/internal/textdir"
	"golang.org/x/image/math/fixed"
)

// glyph is one shaped glyph, placed relative to the pen, in points.
type glyph struct {
	f       *pdfFont
	gid     font.GID
	dx, dy  float64 // offset from the pen
	advance float64
}

// line is a shaped line of text in visual order (left to right on paper).
type line struct {
	glyphs []glyph
	width  float64
	size   float64
	rtl    bool // the paragraph reads right to left (align it right)
}

// typesetter shapes text with HarfBuzz (go-text's port) into glyph ids of
// the embedded fonts, splitting it by direction, script and face and
// ordering the direction runs for the page. Not safe for concurrent use.
type typesetter struct {
	fonts *fontSet
	seg   shaping.Segmenter
	shp   shaping.HarfbuzzShaper
	cache map[shapeKey]line
}

type shapeKey struct {
	f    *pdfFont
	size float64
	s    string
}

// fontmap gives Arabic-script runes (and punctuation the main face lacks,
// such as the Arabic comma) to the Arabic face, and any other rune the main
// face lacks to the first script font (Hebrew, Georgian, …, CJK) that has it.
type fontmap struct {
	main, arabic *font.Face
	scripts      []*pdfFont
}

func (m fontmap) ResolveFace(r rune) *font.Face {
	if unicode.Is(unicode.Arabic, r) {
		return m.arabic
	}
	if _, ok := m.main.NominalGlyph(r); ok {
		return m.main
	}
	if _, ok := m.arabic.NominalGlyph(r); ok {
		return m.arabic
	}
	for _, f := range m.scripts {
		if _, ok := f.face.NominalGlyph(r); ok {
			return f.face
		}
	}
	return m.main
}

var persian = language.NewLanguage("fa")

// segment is one shaped run with its bidi embedding level.
type segment struct {
	glyphs []glyph
	level  int
}

// shape lays s out on one line in f at size points.
func (t *typesetter) shape(s string, f *pdfFont, size float64) line {
	k := shapeKey{f, size, s}
	if l, ok := t.cache[k]; ok {
		return l
	}
	runes := []rune(s)
	rtl := rightToLeft(s)
	in := shaping.Input{Text: runes, RunEnd: len(runes), Face: f.face, Size: fixed.Int26_6(size*64 + 0.5), Direction: di.DirectionLTR}
	if rtl {
		in.Direction = di.DirectionRTL
	}
	base := 0
	if rtl {
		base = 1
	}
	var segs []segment
	prevRTL := false
	for _, run := range t.seg.Split(in, fontmap{main: f.face, arabic: t.fonts.arabic.face, scripts: t.fonts.scripts}) {
		if run.Script == language.Arabic {
			run.Language = persian
		}
		out := t.shp.Shape(run)
		runRTL := run.Direction.Progression() == di.TowardTopLeft
		text := string(runes[run.RunStart:run.RunEnd])
		segs = append(segs, segment{glyphs: t.glyphs(out, runes), level: textdir.Level(base, runRTL, text, prevRTL)})
		prevRTL = runRTL
	}
	l := line{size: size, rtl: rtl}
	for _, sg := range textdir.Reorder(segs, func(s segment) int { return s.level }) {
		for _, g := range sg.glyphs {
			l.width += g.advance
		}
		l.glyphs = append(l.glyphs, sg.glyphs...)
	}
	if t.cache == nil || len(t.cache) > 4096 {
		t.cache = map[shapeKey]line{}
	}
	t.cache[k] = l
	return l
}

// glyphs converts a shaped run, noting for each glyph the text it stands
// for (the ToUnicode map).
func (t *typesetter) glyphs(out shaping.Output, runes []rune) []glyph {
	pf := t.fonts.byFace(out.Face)
	gs := make([]glyph, 0, len(out.Glyphs))
	seen := map[int]bool{}
	for _, g := range out.Glyphs {
		text := ""
		if g.ClusterIndex+g.RuneCount <= len(runes) {
			text = string(runes[g.ClusterIndex : g.ClusterIndex+g.RuneCount])
		}
		if g.XAdvance == 0 && invisible(text) {
			// HarfBuzz draws a joiner or a direction mark as the space
			// glyph with no advance: it has no ink, and mapping the space
			// glyph to it would make every space read as a joiner.
			continue
		}
		if g.GlyphID == 0 { // .notdef stands for any letter the fonts lack: map it to none
			text = ""
		}
		if pf.used[g.GlyphID] == "" && !seen[g.ClusterIndex] {
			pf.used[g.GlyphID] = text
		} else if _, ok := pf.used[g.GlyphID]; !ok {
			pf.used[g.GlyphID] = ""
		}
		seen[g.ClusterIndex] = true
		gs = append(gs, glyph{
			f: pf, gid: g.GlyphID,
			dx: fx(g.XOffset), dy: fx(g.YOffset), advance: fx(g.XAdvance),
		})
	}
	return gs
}

// invisible says whether s holds only default-ignorable format characters
// (joiners, direction marks and embeddings).
func invisible(s string) bool {
	for _, r := range s {
		if !unicode.Is(unicode.Cf, r) {
			return false
		}
	}
	return s != ""
}

func fx(v fixed.Int26_6) float64 { return float64(v) / 64 }

// rightToLeft says whether the first letter with a direction is
// right-to-left (Unicode bidi rule P2).
func rightToLeft(s string) bool { return textdir.RightToLeft(s) }

// rightToLeftLang says whether a language is written right to left.
func rightToLeftLang(lang string) bool {
	base, _, _ := strings.Cut(lang, "-")
	switch base {
	case "fa", "ar", "he", "ur", "ps", "ckb", "yi":
		return true
	}
	return false
}

// wrap breaks s into lines no wider than w, at spaces (and at its own
// line breaks); when more than maxLines would be needed the last one ends
// in "…" after a whole word.
func (t *typesetter) wrap(s string, f *pdfFont, size, w float64, maxLines int) []line {
	var texts []string
	for _, para := range strings.Split(s, "\n") {
		texts = append(texts, t.wrapWords(para, f, size, w)...)
	}
	if maxLines > 0 && len(texts) > maxLines {
		texts = texts[:maxLines]
		texts[maxLines-1] = t.ellipsis(texts[maxLines-1], f, size, w)
	}
	out := make([]line, len(texts))
	for i, l := range texts {
		out[i] = t.shape(l, f, size)
	}
	return out
}

func (t *typesetter) wrapWords(s string, f *pdfFont, size, w float64) []string {
	words := strings.Fields(s)
	space := t.shape(" ", f, size).width
	var lines []string
	cur, curW := "", 0.0
	for _, word := range words {
		ww := t.shape(word, f, size).width
		switch {
		case cur == "":
			cur, curW = word, ww
		case curW+space+ww <= w:
			cur, curW = cur+" "+word, curW+space+ww
		default:
			lines = append(lines, cur)
			cur, curW = word, ww
		}
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

// ellipsis ends a line with "…", dropping whole words until it fits.
func (t *typesetter) ellipsis(s string, f *pdfFont, size, w float64) string {
	words := strings.Fields(s)
	for len(words) > 1 {
		try := strings.Join(words, " ") + "…"
		if t.shape(try, f, size).width <= w {
			return try
		}
		words = words[:len(words)-1]
	}
	return strings.Join(words, " ") + "…"
}

// fit returns the largest size from size down to minSize (in steps of
// 5%) at which s wraps into at most maxLines lines of width w.
func (t *typesetter) fit(s string, f *pdfFont, size, minSize, w float64, maxLines int) float64 {
	for ; size > minSize; size *= 0.95 {
		ls := t.wrapWords(s, f, size, w)
		ok := len(ls) <= maxLines
		for _, l := range ls {
			ok = ok && t.shape(l, f, size).width <= w
		}
		if ok {
			return size
		}
	}
	return minSize
}
