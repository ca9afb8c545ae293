package render

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"
	"strings"
	"unicode"

	gotext "github.com/go-text/render"
	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"

	"github.com/solidarity-kiosk/kiosk/assets"
)

// Fonts are the faces slides are drawn with. Arabic-script text (Persian
// names and captions) is drawn in Arabic, bold where the line is bold; any
// other character the line's face lacks in the first of Scripts that has
// it (Hebrew, Georgian, Armenian, Devanagari, CJK: assets.ScriptFonts).
type Fonts struct {
	Regular, Bold, Arabic, ArabicBold *font.Face
	Scripts                           []*font.Face

	// Shaping and rasterising state, reused across lines and slides: a
	// Fonts is used by one goroutine at a time.
	seg    shaping.Segmenter
	shp    shaping.HarfbuzzShaper
	glyphs glyphCache
}

// LoadFonts parses the fonts that ship inside the binary.
func LoadFonts() (*Fonts, error) {
	reg, err := font.ParseTTF(bytes.NewReader(assets.FontRegular))
	if err != nil {
		return nil, fmt.Errorf("parsing the regular font: %w", err)
	}
	bold, err := font.ParseTTF(bytes.NewReader(assets.FontBold))
	if err != nil {
		return nil, fmt.Errorf("parsing the bold font: %w", err)
	}
	arabic, err := font.ParseTTF(bytes.NewReader(assets.FontArabic))
	if err != nil {
		return nil, fmt.Errorf("parsing the Arabic-script font: %w", err)
	}
	arabicBold, err := font.ParseTTF(bytes.NewReader(assets.FontArabicBold))
	if err != nil {
		return nil, fmt.Errorf("parsing the bold Arabic-script font: %w", err)
	}
	f := &Fonts{Regular: reg, Bold: bold, Arabic: arabic, ArabicBold: arabicBold}
	for _, sf := range assets.ScriptFonts() {
		face, err := font.ParseTTF(bytes.NewReader(sf.Data))
		if err != nil {
			return nil, fmt.Errorf("parsing the font %s: %w", sf.Name, err)
		}
		f.Scripts = append(f.Scripts, face)
	}
	return f, nil
}

// arabicFor is the Arabic-script face that goes with face.
func (f *Fonts) arabicFor(face *font.Face) *font.Face {
	if face == f.Bold && f.ArabicBold != nil {
		return f.ArabicBold
	}
	return f.Arabic
}

// faces picks the face for each rune: the line's own, the Arabic one, or
// a script font's.
type faces struct {
	main, arabic *font.Face
	scripts      []*font.Face
}

// ResolveFace picks the Arabic face for Arabic-script runes, and for
// shared punctuation the line's face lacks (the Arabic comma ، and
// semicolon ؛ belong to no script); else the line's face when it has the
// rune, else the first script font that has it.
func (f faces) ResolveFace(r rune) *font.Face {
	if f.arabic != nil && unicode.Is(unicode.Arabic, r) {
		return f.arabic
	}
	if _, ok := f.main.NominalGlyph(r); ok {
		return f.main
	}
	if f.arabic != nil {
		if _, ok := f.arabic.NominalGlyph(r); ok {
			return f.arabic
		}
	}
	for _, s := range f.scripts {
		if _, ok := s.NominalGlyph(r); ok {
			return s
		}
	}
	return f.main
}

// pen draws text of one size, face and colour. Not safe for concurrent use.
type pen struct {
	f      *Fonts
	face   *font.Face
	size   float32
	col    color.Color
	shaped map[string][]shaping.Output // a line is measured, then drawn: shape it once
	keep   bool                        // never forget shaped text (a pen measuring many words)
}

func newPen(f *Fonts, face *font.Face, size float64, col color.Color) *pen {
	return &pen{f: f, face: face, size: float32(max(size, 4)), col: col}
}

// resized is the same pen at another size.
func (p *pen) resized(size float64) *pen { return newPen(p.f, p.face, size, p.col) }

// runs shapes s into runs in visual order (left to right on screen), each
// in its direction and in the face that has its glyphs.
func (p *pen) runs(s string) []shaping.Output {
	if out, ok := p.shaped[s]; ok {
		return out
	}
	if p.shaped == nil || (len(p.shaped) > 256 && !p.keep) {
		p.shaped = map[string][]shaping.Output{}
	}
	var out []shaping.Output
	for _, br := range visualRuns(s) {
		runes := []rune(br.Text)
		in := shaping.Input{Text: runes, RunEnd: len(runes), Face: p.face, Size: fixed.Int26_6(p.size * 64)}
		if br.RTL {
			in.Direction = di.DirectionRTL
		}
		var parts []shaping.Output
		for _, run := range p.f.seg.Split(in, faces{main: p.face, arabic: p.f.arabicFor(p.face), scripts: p.f.Scripts}) {
			// Shape reuses its buffers: copy the glyphs out before caching.
			o := p.f.shp.Shape(run)
			o.Glyphs = append([]shaping.Glyph(nil), o.Glyphs...)
			parts = append(parts, o)
		}
		if br.RTL {
			slices.Reverse(parts) // a right-to-left run's pieces (faces) read from the right
		}
		out = append(out, parts...)
	}
	p.shaped[s] = out
	return out
}

// width measures s in pixels.
func (p *pen) width(s string) int {
	if s == "" {
		return 0
	}
	var adv fixed.Int26_6
	for _, run := range p.runs(s) {
		adv += run.Advance
	}
	return adv.Ceil()
}

// widthF measures s in pixels, unrounded.
func (p *pen) widthF(s string) float64 {
	var adv fixed.Int26_6
	for _, run := range p.runs(s) {
		adv += run.Advance
	}
	return float64(adv) / 64
}

// lineHeight is the distance between baselines.
func (p *pen) lineHeight() int { return int(p.size*1.3 + 0.5) }

// draw writes s with its baseline at y and returns the x after it. Glyphs
// come from the Fonts' cache of rasterised glyphs; a line with a glyph the
// cache cannot draw goes through go-text's renderer instead.
func (p *pen) draw(img *image.RGBA, s string, x, y int) int {
	if s == "" {
		return x
	}
	runs := p.runs(s)
	pos := float32(x)
	for i, run := range runs {
		end, ok := p.f.glyphs.drawRun(img, run, p.size, p.col, pos, float32(y))
		if !ok {
			return p.drawSlow(img, runs[i:], int(pos), y)
		}
		pos = end
	}
	return int(math.Ceil(float64(pos)))
}

// drawSlow draws runs with go-text's renderer, through a scratch image the
// size of the line (the renderer sizes its rasteriser to the destination).
func (p *pen) drawSlow(img *image.RGBA, runs []shaping.Output, x, y int) int {
	w := int(p.size)
	for _, run := range runs {
		w += run.Advance.Ceil()
	}
	asc := int(p.size*1.1 + 0.5)
	h := asc + int(p.size*0.45+0.5)
	scratch := image.NewRGBA(image.Rect(0, 0, w, h))
	r := gotext.Renderer{FontSize: p.size, Color: p.col}
	end := 0
	for _, run := range runs {
		end = r.DrawShapedRunAt(run, scratch, end, asc)
	}
	draw.Draw(img, image.Rect(x, y-asc, x+w, y-asc+h), scratch, image.Point{}, draw.Over)
	return x + end
}

// wrap breaks s into at most maxLines lines no wider than w, at word
// boundaries; text that does not fit ends in "…" after a whole word. Each
// word is measured once and a line's width is the sum of its words and
// spaces, so a paragraph costs one shaping per word, not one per try.
func (p *pen) wrap(s string, w, maxLines int) []string {
	words := strings.Fields(s)
	space := p.width(" ")
	var lines []string
	cur, curW := "", 0
	for i, word := range words {
		ww := p.width(word)
		if cur == "" || curW+space+ww <= w {
			cur, curW = strings.TrimSpace(cur+" "+word), curW+space+ww
			if cur == word {
				curW = ww
			}
			continue
		}
		if len(lines) == maxLines-1 {
			return append(lines, p.ellipsis(cur, w, i < len(words)))
		}
		lines = append(lines, cur)
		cur, curW = word, ww
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	for i, l := range lines {
		if p.width(l) > w { // a single word wider than the column, or kerning
			lines[i] = p.ellipsis(l, w, true)
		}
	}
	return lines
}

// ellipsis ends line with "…", dropping whole words until it fits.
func (p *pen) ellipsis(line string, w int, more bool) string {
	if !more {
		return line
	}
	words := strings.Fields(line)
	for len(words) > 1 {
		try := strings.Join(words, " ") + "…"
		if p.width(try) <= w {
			return try
		}
		words = words[:len(words)-1]
	}
	return words[0] + "…"
}

// box is the rectangle s's glyphs' ink occupies when drawn at (x,
// baseline y): its advance across, and the tightest ascent and descent of
// the shaped glyphs (plus a pixel for antialiasing).
func (p *pen) box(s string, x, y int) image.Rectangle {
	var asc, desc fixed.Int26_6
	for _, run := range p.runs(s) {
		asc = max(asc, run.GlyphBounds.Ascent)
		desc = max(desc, -run.GlyphBounds.Descent)
	}
	return image.Rect(x, y-asc.Ceil()-1, x+p.width(s), y+desc.Ceil()+1)
}
