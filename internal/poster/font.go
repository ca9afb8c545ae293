package poster

import (
	"bytes"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"unicode/utf16"

	"github.com/go-text/typesetting/font"

	"github.com/solidarity-kiosk/kiosk/assets"
)

// pdfFont is one of the kiosk's TrueType fonts as a PDF composite font:
// a Type0 font with Identity-H encoding over a CIDFontType2 whose CIDs are
// the font's glyph ids. Text is written as glyph ids from the shaper, so
// Persian comes out joined exactly as HarfBuzz shaped it; the ToUnicode map
// lets readers (and pdftotext) recover the characters.
type pdfFont struct {
	name string // PostScript-style name, also the resource name's base
	res  string // resource name in content streams, e.g. F1
	data []byte // the TrueType file, embedded whole
	face *font.Face
	upem float64
	used map[font.GID]string // glyph → the text it stands for (first seen)
	obj  int                 // the Type0 font's object number
	// optional fonts (the other scripts') are written only when a glyph of
	// theirs was used: a Latin placard does not carry the CJK font's tables.
	optional bool
}

func newPDFFont(name, res string, data []byte) (*pdfFont, error) {
	face, err := font.ParseTTF(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("parsing the font %s: %w", name, err)
	}
	return &pdfFont{name: name, res: res, data: data, face: face, upem: float64(face.Upem()), used: map[font.GID]string{}}, nil
}

// fontSet holds the faces the kiosk ships: Noto Sans regular and bold
// (Latin, Cyrillic, Greek), Noto Sans Arabic (Persian) and the fonts of
// other scripts (assets.ScriptFonts: Hebrew, Georgian, Armenian,
// Devanagari, CJK), which a line falls back to per character.
type fontSet struct {
	regular, bold, arabic *pdfFont
	scripts               []*pdfFont
}

func loadFonts() (*fontSet, error) {
	reg, err := newPDFFont("NotoSans-Regular", "F1", assets.FontRegular)
	if err != nil {
		return nil, err
	}
	bold, err := newPDFFont("NotoSans-Bold", "F2", assets.FontBold)
	if err != nil {
		return nil, err
	}
	arabic, err := newPDFFont("NotoSansArabic-Regular", "F3", assets.FontArabic)
	if err != nil {
		return nil, err
	}
	set := &fontSet{regular: reg, bold: bold, arabic: arabic}
	for i, sf := range assets.ScriptFonts() {
		f, err := newPDFFont(strings.TrimSuffix(sf.Name, ".ttf"), fmt.Sprintf("F%d", 4+i), sf.Data)
		if err != nil {
			return nil, err
		}
		f.optional = true
		set.scripts = append(set.scripts, f)
	}
	return set, nil
}

func (fs *fontSet) all() []*pdfFont {
	return append([]*pdfFont{fs.regular, fs.bold, fs.arabic}, fs.scripts...)
}

// byFace finds the PDF font of a shaped run's face.
func (fs *fontSet) byFace(f *font.Face) *pdfFont {
	for _, pf := range fs.all() {
		if pf.face == f {
			return pf
		}
	}
	return fs.regular
}

// resources is the /Font entry of every page's resources.
func (fs *fontSet) resources() string {
	var b strings.Builder
	b.WriteString("<<")
	for _, f := range fs.all() {
		fmt.Fprintf(&b, " /%s %d 0 R", f.res, f.obj)
	}
	b.WriteString(" >>")
	return b.String()
}

// write writes the font's objects (its number was reserved as f.obj): the
// Type0 font, its CIDFont with the widths of the glyphs used, the font
// descriptor, the embedded TrueType file and the ToUnicode map.
func (f *pdfFont) write(p *pdfWriter) {
	if f.optional && len(f.used) == 0 {
		p.object(f.obj, "null") // a resource naming null is as good as none
		return
	}
	cid, desc, file, toUni := p.reserve(), p.reserve(), p.reserve(), p.reserve()
	base := "/" + f.name
	data := f.data
	used := map[uint16]bool{}
	for g := range f.used {
		if g <= 0xFFFF {
			used[uint16(g)] = true
		}
	}
	if sub, err := subsetTTF(f.data, used); err == nil {
		// A subset's name starts with a tag of six capitals (ISO 32000 9.6.4).
		data, base = sub, "/"+subsetTag(used)+"+"+f.name
	}
	p.object(f.obj, fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont %s /Encoding /Identity-H /DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>", base, cid, toUni))
	p.object(cid, fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont %s /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor %d 0 R /DW 0 /W %s /CIDToGIDMap /Identity >>", base, desc, f.widths()))
	asc, desc2 := 1000.0, -300.0
	if ext, ok := f.face.FontHExtents(); ok {
		asc, desc2 = f.units(ext.Ascender), f.units(ext.Descender)
	}
	// Flags: 32 nonsymbolic (the glyphs are the standard Latin set and more).
	p.object(desc, fmt.Sprintf("<< /Type /FontDescriptor /FontName %s /Flags 32 /FontBBox %s /ItalicAngle 0 /Ascent %s /Descent %s /CapHeight %s /StemV 80 /FontFile2 %d 0 R >>",
		base, f.bbox(), num(asc), num(desc2), num(asc*0.7), file))
	p.stream(file, fmt.Sprintf("/Length1 %d", len(data)), data, true)
	p.stream(toUni, "", f.toUnicode(), true)
}

// subsetTag names a subset by the glyphs it holds.
func subsetTag(used map[uint16]bool) string {
	h := fnv.New32a()
	gids := make([]int, 0, len(used))
	for g := range used {
		gids = append(gids, int(g))
	}
	sort.Ints(gids)
	for _, g := range gids {
		_, _ = h.Write([]byte{byte(g >> 8), byte(g)})
	}
	v := h.Sum32()
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + byte(v%26)
		v /= 26
	}
	return string(tag)
}

// units converts font units to thousandths of the text size.
func (f *pdfFont) units(v float32) float64 { return float64(v) * 1000 / f.upem }

func (f *pdfFont) sortedGlyphs() []font.GID {
	gids := make([]font.GID, 0, len(f.used))
	for g := range f.used {
		gids = append(gids, g)
	}
	sort.Slice(gids, func(i, j int) bool { return gids[i] < gids[j] })
	return gids
}

// widths is the /W array: each used glyph's advance.
func (f *pdfFont) widths() string {
	var b strings.Builder
	b.WriteString("[")
	for _, g := range f.sortedGlyphs() {
		fmt.Fprintf(&b, " %d [%s]", g, num(f.units(f.face.HorizontalAdvance(g))))
	}
	b.WriteString(" ]")
	return b.String()
}

// bbox is the union of the used glyphs' boxes, in thousandths.
func (f *pdfFont) bbox() string {
	x0, y0, x1, y1 := 0.0, -300.0, 1000.0, 1000.0
	for g := range f.used {
		e, ok := f.face.GlyphExtents(g)
		if !ok {
			continue
		}
		x0, x1 = min(x0, f.units(e.XBearing)), max(x1, f.units(e.XBearing+e.Width))
		y0, y1 = min(y0, f.units(e.YBearing+e.Height)), max(y1, f.units(e.YBearing))
	}
	return fmt.Sprintf("[%s %s %s %s]", num(x0), num(y0), num(x1), num(y1))
}

// toUnicode is the CMap from glyph ids to the text each stands for.
func (f *pdfFont) toUnicode() []byte {
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	var gids []font.GID
	for _, g := range f.sortedGlyphs() {
		if f.used[g] != "" && g <= 0xFFFF {
			gids = append(gids, g)
		}
	}
	for len(gids) > 0 {
		n := min(len(gids), 100) // a bfchar block holds at most 100 entries
		fmt.Fprintf(&b, "%d beginbfchar\n", n)
		for _, g := range gids[:n] {
			fmt.Fprintf(&b, "<%04X> <", g)
			for _, u := range utf16.Encode([]rune(f.used[g])) {
				fmt.Fprintf(&b, "%04X", u)
			}
			b.WriteString(">\n")
		}
		b.WriteString("endbfchar\n")
		gids = gids[n:]
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n")
	return b.Bytes()
}
