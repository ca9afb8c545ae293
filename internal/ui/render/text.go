package render

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"strings"
	"unicode"

	gotext "github.com/go-text/render"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"

	"github.com/solidarity-kiosk/kiosk/assets"
)

// Fonts are the faces slides are drawn with. Arabic-script text (Persian
// names) falls back to Arabic, whatever face a line asks for.
type Fonts struct {
	Regular, Bold, Arabic *font.Face
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
	return &Fonts{Regular: reg, Bold: bold, Arabic: arabic}, nil
}

// faces picks the face for each rune: the line's own, or the Arabic one.
type faces struct{ main, arabic *font.Face }

// ResolveFace picks the Arabic face for Arabic-script runes, else the line's face.
func (f faces) ResolveFace(r rune) *font.Face {
	if f.arabic != nil && unicode.Is(unicode.Arabic, r) {
		return f.arabic
	}
	return f.main
}

// pen draws text of one size, face and colour. Not safe for concurrent use.
type pen struct {
	face   *font.Face
	arabic *font.Face
	size   float32
	col    color.Color
	r      gotext.Renderer
	seg    shaping.Segmenter
	shp    shaping.HarfbuzzShaper
}

func newPen(face, arabic *font.Face, size float64, col color.Color) *pen {
	p := &pen{face: face, arabic: arabic, size: float32(max(size, 4)), col: col}
	p.r = gotext.Renderer{FontSize: p.size, Color: col}
	return p
}

// runs shapes s into runs, each in the face that has its glyphs.
func (p *pen) runs(s string) []shaping.Output {
	runes := []rune(s)
	in := shaping.Input{Text: runes, RunEnd: len(runes), Face: p.face, Size: fixed.I(int(p.size))}
	var out []shaping.Output
	for _, run := range p.seg.Split(in, faces{main: p.face, arabic: p.arabic}) {
		out = append(out, p.shp.Shape(run))
	}
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

// lineHeight is the distance between baselines.
func (p *pen) lineHeight() int { return int(p.size*1.3 + 0.5) }

// draw writes s with its baseline at y. The text is rasterised into a
// scratch image the size of the line and then composited: go-text sizes its
// rasteriser to the destination, which for a full-screen slide costs more
// than the glyphs themselves.
func (p *pen) draw(img *image.RGBA, s string, x, y int) int {
	if s == "" {
		return x
	}
	w := p.width(s) + int(p.size)
	asc := int(p.size*1.1 + 0.5)
	h := asc + int(p.size*0.45+0.5)
	scratch := image.NewRGBA(image.Rect(0, 0, w, h))
	end := 0
	for _, run := range p.runs(s) {
		end = p.r.DrawShapedRunAt(run, scratch, end, asc)
	}
	dst := image.Rect(x, y-asc, x+w, y-asc+h)
	draw.Draw(img, dst, scratch, image.Point{}, draw.Over)
	return x + end
}

// wrap breaks s into at most maxLines lines no wider than w, at word
// boundaries; text that does not fit ends in "…" after a whole word.
func (p *pen) wrap(s string, w, maxLines int) []string {
	words := strings.Fields(s)
	var lines []string
	cur := ""
	for i, word := range words {
		try := strings.TrimSpace(cur + " " + word)
		if p.width(try) <= w || cur == "" {
			cur = try
			continue
		}
		if len(lines) == maxLines-1 {
			return append(lines, p.ellipsis(cur, w, i < len(words)))
		}
		lines = append(lines, cur)
		cur = word
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	if len(lines) > 0 && p.width(lines[len(lines)-1]) > w {
		lines[len(lines)-1] = p.ellipsis(lines[len(lines)-1], w, true)
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
