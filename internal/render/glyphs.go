package render

import (
	"image"
	"image/color"
	"image/draw"
	"math"

	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// glyphKey names one rasterised glyph: face, glyph, pixel size and the
// position's fraction of a pixel in quarters, so cached glyphs sit where
// the shaper put them to within an eighth of a pixel.
type glyphKey struct {
	face         *font.Face
	gid          font.GID
	size         float32
	fracX, fracY uint8
}

// glyphMask is a glyph's coverage, placed relative to its pen position.
type glyphMask struct {
	mask *image.Alpha // nil for a glyph with no ink (a space)
	at   image.Point  // top-left of mask relative to the pen's whole-pixel position
}

// glyphCache keeps rasterised glyphs across lines and slides: names change
// from slide to slide, but the letters they are made of do not.
type glyphCache struct {
	m map[glyphKey]glyphMask
}

// maxGlyphs bounds the cache (a few MB of masks at slide sizes).
const maxGlyphs = 4096

// get returns the glyph's mask, rasterising it on first use; ok is false
// for glyphs that are not outlines (bitmap or SVG glyphs).
func (c *glyphCache) get(k glyphKey) (glyphMask, bool) {
	if g, ok := c.m[k]; ok {
		return g, true
	}
	out, ok := k.face.GlyphData(k.gid).(font.GlyphOutline)
	if !ok {
		return glyphMask{}, false
	}
	if c.m == nil || len(c.m) >= maxGlyphs {
		c.m = make(map[glyphKey]glyphMask, 512)
	}
	g := rasterise(out, k.size/float32(k.face.Upem()), float32(k.fracX)/4, float32(k.fracY)/4)
	c.m[k] = g
	return g, true
}

// rasterise draws an outline scaled by scale with its origin at (fx, fy)
// within its pixel, into a mask just big enough for it.
func rasterise(out font.GlyphOutline, scale, fx, fy float32) glyphMask {
	if len(out.Segments) == 0 {
		return glyphMask{}
	}
	minX, minY := float32(math.Inf(1)), float32(math.Inf(1))
	maxX, maxY := float32(math.Inf(-1)), float32(math.Inf(-1))
	for _, s := range out.Segments {
		for _, a := range s.ArgsSlice() {
			x, y := a.X*scale+fx, -a.Y*scale+fy
			minX, maxX = min(minX, x), max(maxX, x)
			minY, maxY = min(minY, y), max(maxY, y)
		}
	}
	x0, y0 := int(math.Floor(float64(minX))), int(math.Floor(float64(minY)))
	x1, y1 := int(math.Ceil(float64(maxX))), int(math.Ceil(float64(maxY)))
	w, h := x1-x0, y1-y0
	if w <= 0 || h <= 0 {
		return glyphMask{}
	}
	r := vector.NewRasterizer(w, h)
	ox, oy := fx-float32(x0), fy-float32(y0)
	pt := func(a opentype.SegmentPoint) (float32, float32) { return a.X*scale + ox, -a.Y*scale + oy }
	for _, s := range out.Segments {
		switch s.Op {
		case opentype.SegmentOpMoveTo:
			r.MoveTo(pt(s.Args[0]))
		case opentype.SegmentOpLineTo:
			r.LineTo(pt(s.Args[0]))
		case opentype.SegmentOpQuadTo:
			ax, ay := pt(s.Args[0])
			bx, by := pt(s.Args[1])
			r.QuadTo(ax, ay, bx, by)
		case opentype.SegmentOpCubeTo:
			ax, ay := pt(s.Args[0])
			bx, by := pt(s.Args[1])
			cx, cy := pt(s.Args[2])
			r.CubeTo(ax, ay, bx, by, cx, cy)
		}
	}
	r.ClosePath()
	mask := image.NewAlpha(image.Rect(0, 0, w, h))
	r.Draw(mask, mask.Bounds(), image.Opaque, image.Point{})
	return glyphMask{mask: mask, at: image.Pt(x0, y0)}
}

// drawRun composites a shaped run with its origin at (x, y), the baseline,
// and returns the x after it. ok is false when the run holds a glyph the
// cache cannot draw; nothing has been drawn then.
func (c *glyphCache) drawRun(img *image.RGBA, run shaping.Output, size float32, col color.Color, x, y float32) (float32, bool) {
	type placed struct {
		g  glyphMask
		at image.Point
	}
	glyphs := make([]placed, 0, len(run.Glyphs))
	for _, g := range run.Glyphs {
		px := x + fixedToFloat(g.XOffset)
		py := y - fixedToFloat(g.YOffset)
		ix, iy := float32(math.Floor(float64(px))), float32(math.Floor(float64(py)))
		k := glyphKey{
			face: run.Face, gid: g.GlyphID, size: size,
			fracX: uint8((px - ix) * 4), fracY: uint8((py - iy) * 4),
		}
		m, ok := c.get(k)
		if !ok {
			return x, false
		}
		glyphs = append(glyphs, placed{m, image.Pt(int(ix), int(iy))})
		x += fixedToFloat(g.XAdvance)
	}
	src := image.NewUniform(col)
	for _, p := range glyphs {
		if p.g.mask == nil {
			continue
		}
		at := p.at.Add(p.g.at)
		draw.DrawMask(img, image.Rectangle{Min: at, Max: at.Add(p.g.mask.Rect.Size())}, src, image.Point{}, p.g.mask, image.Point{}, draw.Over)
	}
	return x, true
}

func fixedToFloat(v fixed.Int26_6) float32 { return float32(v) / 64 }
