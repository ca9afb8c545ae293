package render

import (
	"image"
	"image/color"
	"image/draw"
	"strings"
	"unicode"

	"github.com/go-text/typesetting/font"

	"github.com/solidarity-kiosk/kiosk/internal/qr"
	"github.com/solidarity-kiosk/kiosk/internal/show"
)

// The codes' size. A phone 3 m from a 55″ screen sees its long side about
// 640 px wide (qrtest.Phone); a code then needs about 3 camera pixels a
// module, which is a side of about a quarter of the screen's long side.
const (
	qrShare     = 0.28 // of the screen's long side
	qrMaxHeight = 0.47 // of the screen's height: the text keeps the rest
)

// Text sizes, as shares of the screen's shorter side, and how far the body
// may shrink before whole sentences are dropped instead.
const (
	bodyFloor = 0.72 // of the body's full size: still read at 3 m (≈ 20 px at 1080)
	lastFloor = 0.5  // below the floor only when what is never shortened needs it
)

// column is the text side of the slide.
type column struct {
	f     *Fonts
	img   *image.RGBA
	r     image.Rectangle
	H     int // screen height
	long  int // the screen's longer side, which QR codes are sized by
	unit  int // the shorter screen side, which text is sized by
	y     int
	limit int // no text below this baseline (the QR panel's top)
	drawn []TextLine
	// ref measures words once per face at refSize; fitting scales those
	// widths instead of shaping every word again at every size it tries.
	ref map[*font.Face]*pen
}

// refSize is the size words are measured at for fitting.
const refSize = 64

// fitMargin widens estimated widths so a line the estimate fits never
// turns out wider when drawn (shaping is linear in size but for rounding).
const fitMargin = 1.02

// TextLine is one line of text as drawn, for tests: its block, its text and
// the box its glyphs occupy.
type TextLine struct {
	Block string // "name", "native", "status", "charges", "sentence", "occupation", "bio", "notice", "rules", "label", "domain", "small"
	Text  string
	Box   image.Rectangle
	Last  bool // the block's last line
}

// fits reports whether one more line of p still fits above the limit.
func (c *column) fits(p *pen) bool { return c.limit == 0 || c.y+p.lineHeight() <= c.limit }

// line draws one line (shrinking the size until it fits the width) and
// advances; align is the x where a left-to-right line starts (a
// right-to-left line ends at the column's right edge unless under is set).
func (c *column) line(p *pen, s string) { c.lineAt(p, s, "", false) }

func (c *column) lineAt(p *pen, s, block string, keepLeft bool) {
	if s == "" {
		return
	}
	for p.width(s) > c.r.Dx() && p.size > 12 {
		*p = *p.resized(float64(p.size) * 0.92)
	}
	if !c.fits(p) {
		return
	}
	c.y += p.lineHeight()
	x := c.r.Min.X
	if rightToLeft(s) && !keepLeft {
		x = c.r.Max.X - p.width(s) // a Persian caption reads from the right edge
	}
	c.put(p, s, block, x, c.y, true)
}

// put draws s at (x, baseline y) and records it.
func (c *column) put(p *pen, s, block string, x, y int, last bool) {
	p.draw(c.img, s, x, y)
	c.drawn = append(c.drawn, TextLine{Block: block, Text: s, Box: p.box(s, x, y), Last: last})
}

// para draws wrapped text, at most maxLines lines (0: all), and advances.
func (c *column) para(p *pen, s string, maxLines int) { c.paraAs(p, s, "", maxLines) }

func (c *column) paraAs(p *pen, s, block string, maxLines int) {
	if s == "" || maxLines < 0 {
		return
	}
	rtl := rightToLeft(s) // a paragraph keeps its direction on every line
	lines := p.wrap(s, c.r.Dx(), maxLines)
	for i, l := range lines {
		if !c.fits(p) {
			return
		}
		c.y += p.lineHeight()
		x := c.r.Min.X
		if rtl {
			x = c.r.Max.X - p.width(l)
		}
		c.put(p, l, block, x, c.y, i == len(lines)-1)
	}
}

func (c *column) size(share float64) float64 { return float64(c.unit) * share }

// block is one paragraph of the column's text.
type block struct {
	name  string
	face  *font.Face
	share float64 // full size, as a share of the shorter screen side
	col   color.Color
	gap   float64 // space above, as a share of the shorter side
	parts []string
	// drop: whole sentences may be dropped from the end when the column
	// is full. Charges, sentence, status and notices are never shortened.
	drop bool
	// scaled: the block shrinks with the body when the column is full.
	scaled bool
}

func (b *block) text() string { return strings.Join(b.parts, " ") }

// draw lays out the column: the QR panel from the bottom up, then the text
// from the top down, at the largest body size at which all of it fits; when
// even the floor size does not fit, whole sentences leave the end of the
// bio, then of the occupation, then of the letter rules.
func (c *column) draw(s show.Slide) (letter, petition image.Rectangle) {
	qrTop := c.r.Max.Y
	small := newPen(c.f, c.f.Regular, c.size(0.017), textSoft)
	if s.SmallPrint != "" {
		qrTop -= small.lineHeight()
		c.put(small, small.wrap(s.SmallPrint, c.r.Dx(), 1)[0], "small", c.r.Min.X, c.r.Max.Y-small.lineHeight()/3, true)
	}
	qrTop, letter, petition = c.qrPanel(s, qrTop)
	c.limit = qrTop - int(c.size(0.01))

	status := strings.TrimPrefix(strings.Join([]string{s.Country, s.StatusLine}, " · "), " · ")
	blocks := []*block{
		{name: "lifespan", face: c.f.Regular, share: 0.028, col: textSoft, gap: 0.004, parts: []string{s.Lifespan}},
		{name: "status", face: c.f.Bold, share: 0.032, col: statusColour(s.Status), gap: 0.012, parts: []string{status}},
		{name: "charges", face: c.f.Regular, share: 0.026, col: textMain, gap: 0.01, parts: []string{s.Charges}, scaled: true},
		{name: "sentence", face: c.f.Regular, share: 0.026, col: textMain, parts: []string{s.Sentence}, scaled: true},
		{name: "occupation", face: c.f.Regular, share: 0.025, col: textSoft, parts: sentences(s.Occupation), drop: true, scaled: true},
		{name: "bio", face: c.f.Regular, share: 0.025, col: textSoft, parts: sentences(s.Bio), drop: true, scaled: true},
	}
	for _, n := range s.Notices {
		blocks = append(blocks, &block{name: "notice", face: c.f.Bold, share: 0.024, col: textWarn, parts: []string{n}, scaled: true})
	}
	if pc := s.Postcard; pc != nil {
		// The postcard hour: when the birthday is, and where cards go;
		// neither is ever shortened, and the letter rules stay whole too.
		blocks = append(blocks, &block{name: "postcard", face: c.f.Bold, share: 0.03, col: textWarn, gap: 0.012, parts: []string{pc.When}})
		if pc.Address != "" {
			blocks = append(blocks, &block{name: "address", face: c.f.Regular, share: 0.028, col: textMain, gap: 0.006, parts: []string{strings.TrimSpace(pc.AddressLabel + " " + pc.Address)}})
		}
		if pc.LetterRules != "" {
			blocks = append(blocks, &block{name: "rules", face: c.f.Regular, share: 0.022, col: textSoft, gap: 0.006, parts: []string{strings.TrimSpace(s.LettersWord + " " + pc.LetterRules)}, scaled: true})
		}
	} else if s.LetterRules != "" && s.Letter != nil {
		blocks = append(blocks, &block{name: "rules", face: c.f.Regular, share: 0.022, col: textSoft, parts: sentences(strings.TrimSpace(s.LettersWord + " " + s.LetterRules)), drop: true, scaled: true})
	}

	c.y = c.r.Min.Y
	if s.DayTitle != "" { // a day that matters: its title above the name
		c.paraAs(newPen(c.f, c.f.Bold, c.size(0.03), textWarn), s.DayTitle, "day", 0)
		c.y += int(c.size(0.01))
	}
	name := newPen(c.f, c.f.Bold, c.size(0.062), textMain)
	c.lineAt(name, s.Name, "name", false)
	nameRTL := rightToLeft(s.Name)
	native := newPen(c.f, c.f.Regular, c.size(0.040), textSoft)
	// The own-script name stands directly under the name, whatever its direction.
	c.lineAt(native, s.NativeName, "native", !nameRTL)
	room := c.limit - c.y

	scale := 1.0
	for c.height(blocks, scale) > room && scale*0.94 >= bodyFloor {
		scale *= 0.94
	}
	for c.height(blocks, scale) > room && dropSentence(blocks) {
	}
	for c.height(blocks, scale) > room && scale*0.94 >= lastFloor {
		scale *= 0.94
	}
	for _, b := range blocks {
		if t := b.text(); t != "" {
			c.y += int(c.size(b.gap))
			c.paraAs(c.pen(b, scale), t, b.name, 0)
		}
	}
	return letter, petition
}

// pen is the pen b is drawn with at scale.
func (c *column) pen(b *block, scale float64) *pen {
	if !b.scaled {
		scale = 1
	}
	return newPen(c.f, b.face, c.size(b.share)*scale, b.col)
}

// height is the height the blocks take at scale, from their words'
// widths measured once (see ref) and scaled.
func (c *column) height(blocks []*block, scale float64) int {
	h := 0
	for _, b := range blocks {
		t := b.text()
		if t == "" {
			continue
		}
		p := c.pen(b, scale)
		h += int(c.size(b.gap)) + c.lines(b.face, float64(p.size), t)*p.lineHeight()
	}
	return h
}

// lines estimates how many lines wrapping t at size takes in the column,
// as pen.wrap breaks them (greedy, at spaces), with widths a little wide.
func (c *column) lines(face *font.Face, size float64, t string) int {
	if c.ref == nil {
		c.ref = map[*font.Face]*pen{}
	}
	rp := c.ref[face]
	if rp == nil {
		rp = newPen(c.f, face, refSize, textMain)
		rp.keep = true
		c.ref[face] = rp
	}
	k := size / refSize * fitMargin
	w := float64(c.r.Dx())
	space := rp.widthF(" ") * k
	n, cur := 0, -1.0
	for _, word := range strings.Fields(t) {
		ww := rp.widthF(word) * k
		if cur < 0 || cur+space+ww > w {
			n++
			cur = ww
			continue
		}
		cur += space + ww
	}
	return n
}

// dropSentence drops the last sentence of the first block, in the order
// bio, occupation, rules, that has one; false when none has.
func dropSentence(blocks []*block) bool {
	for _, name := range []string{"bio", "occupation", "rules"} {
		for _, b := range blocks {
			if b.name == name && b.drop && len(b.parts) > 0 {
				b.parts = b.parts[:len(b.parts)-1]
				return true
			}
		}
	}
	return false
}

// sentences splits text into its sentences, each keeping its closing
// punctuation and any closing quotes or brackets after it.
func sentences(text string) []string {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	var out []string
	rs := []rune(text)
	start := 0
	for i := 0; i < len(rs); i++ {
		if !strings.ContainsRune(".!?…؟。", rs[i]) {
			continue
		}
		j := i + 1
		for j < len(rs) && strings.ContainsRune(".!?…؟\"'”’»)]", rs[j]) {
			j++
		}
		if j < len(rs) && !unicode.IsSpace(rs[j]) {
			i = j - 1 // "2.5", "e.g.x", a URL: not a sentence's end
			continue
		}
		if j < len(rs) && rs[i] == '.' && abbreviation(rs[start:i]) {
			i = j - 1
			continue
		}
		out = append(out, strings.TrimSpace(string(rs[start:j])))
		start = j
		i = j - 1
	}
	if rest := strings.TrimSpace(string(rs[start:])); rest != "" {
		out = append(out, rest)
	}
	return out
}

// abbreviation reports whether the text before a full stop ends in a short
// abbreviation ("Art.", "ст.", "p.", an initial), after which a sentence
// does not end.
func abbreviation(before []rune) bool {
	k := len(before)
	for k > 0 && unicode.IsLetter(before[k-1]) {
		k--
	}
	word := before[k:]
	if len(word) == 0 {
		return false
	}
	if len(word) == 1 && unicode.IsUpper(word[0]) {
		return true // an initial: "A. Bialiatski"
	}
	switch strings.ToLower(string(word)) {
	case "art", "arts", "st", "ст", "арт", "p", "pp", "no", "nr", "vs", "etc", "e.g", "i.e", "ч", "п", "г", "гг", "ул", "напр", "т", "др", "тыс", "млн", "ul", "al", "pl", "ok", "itd", "r":
		return true
	}
	return false
}

// qrPanel draws the letter and petition codes side by side, their labels
// above and their domains below, with the bottom at bottom, as large as a
// phone at 3 m needs (qrShare of the long side) within the column. It
// returns the panel's top and the codes' rectangles.
func (c *column) qrPanel(s show.Slide, bottom int) (int, image.Rectangle, image.Rectangle) {
	targets := []*show.Target{s.Letter, s.Petition}
	if s.Postcard != nil { // the postcard hour is for writing: the letter code alone
		targets = []*show.Target{s.Postcard.Letter, nil}
	}
	shown := 0
	for _, t := range targets {
		if t != nil {
			shown++
		}
	}
	var rects [2]image.Rectangle
	if shown == 0 {
		return bottom, rects[0], rects[1]
	}
	gap := max(c.unit/20, 8)
	want := min(int(qrShare*float64(c.long)), int(qrMaxHeight*float64(c.H)))
	if shown == 2 {
		want = min(want, (c.r.Dx()-gap)/2)
	} else {
		want = min(want, c.r.Dx())
	}
	scale := want // one module size for both codes
	for _, t := range targets {
		if t == nil {
			continue
		}
		if n, err := qr.Modules(t.URL); err == nil {
			scale = min(scale, max(want/n, 1))
		}
	}
	label := newPen(c.f, c.f.Bold, c.size(0.03), textMain)
	dom := newPen(c.f, c.f.Regular, c.size(0.022), textSoft)
	x := c.r.Min.X
	top := bottom
	for i, t := range targets {
		if t == nil {
			continue
		}
		n, err := qr.Modules(t.URL)
		if err != nil {
			continue
		}
		code, err := qr.RenderQuiet(t.URL, n*scale, qr.Quiet)
		if err != nil {
			continue
		}
		side := code.Image.Bounds().Dx()
		codeTop := bottom - dom.lineHeight() - side
		at := image.Rect(x, codeTop, x+side, codeTop+side)
		draw.Draw(c.img, at, code.Image, image.Point{}, draw.Src)
		room := side + gap*3/4 // a label may reach into the gap, not the next code
		if x+side+gap >= c.r.Max.X-side {
			room = c.r.Max.X - x
		}
		lp := label
		for lp.width(t.Label) > room && lp.size > 12 {
			lp = lp.resized(float64(lp.size) * 0.92)
		}
		c.put(lp, t.Label, "label", x, codeTop-label.lineHeight()/3, true)
		c.put(dom, t.Domain, "domain", x, bottom-dom.lineHeight()/4, true)
		rects[i] = at
		top = min(top, codeTop-label.lineHeight())
		x += side + gap
	}
	return top, rects[0], rects[1]
}
