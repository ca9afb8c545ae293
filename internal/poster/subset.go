package poster

import (
	"encoding/binary"
	"errors"
	"sort"
)

// errNotSubsettable means the font is not a TrueType (glyf) font this
// subsetter can read; the caller embeds it whole.
var errNotSubsettable = errors.New("font cannot be subset")

// keptTables are the TrueType tables a PDF reader needs to draw glyphs by
// id (ISO 32000 9.9: cmap is not needed with Identity CIDs, but some
// readers look for it; name, OS/2 and post are small). The layout tables
// (GSUB, GPOS, GDEF) are dropped: the text was shaped before it was written.
var keptTables = map[string]bool{
	"head": true, "hhea": true, "hmtx": true, "maxp": true, "loca": true, "glyf": true,
	"cvt ": true, "fpgm": true, "prep": true, "cmap": true, "OS/2": true, "name": true, "post": true,
}

// subsetTTF returns a copy of the TrueType font data in which every glyph
// outside used (and the glyphs their composites are built from, and
// .notdef) is empty. Glyph ids do not change, so the PDF's Identity
// CID-to-glyph map still holds; only the outlines of unused glyphs go.
func subsetTTF(data []byte, used map[uint16]bool) ([]byte, error) {
	tables, err := tableDir(data)
	if err != nil {
		return nil, err
	}
	head, loca, glyf, maxp := tables["head"], tables["loca"], tables["glyf"], tables["maxp"]
	if head == nil || loca == nil || glyf == nil || maxp == nil || len(head) < 54 || len(maxp) < 6 {
		return nil, errNotSubsettable
	}
	numGlyphs := int(binary.BigEndian.Uint16(maxp[4:]))
	long := binary.BigEndian.Uint16(head[50:]) == 1
	offsets, err := glyphOffsets(loca, numGlyphs, long, len(glyf))
	if err != nil {
		return nil, err
	}
	keep := keptGlyphs(used, glyf, offsets)
	newGlyf, newLoca := rebuildGlyf(glyf, offsets, keep)
	newHead := append([]byte(nil), head...)
	binary.BigEndian.PutUint16(newHead[50:], 1) // long loca offsets
	binary.BigEndian.PutUint32(newHead[8:], 0)  // checkSumAdjustment, set below
	out := map[string][]byte{"head": newHead, "loca": newLoca, "glyf": newGlyf}
	for tag, t := range tables {
		if keptTables[tag] && out[tag] == nil {
			out[tag] = t
		}
	}
	font := writeSFNT(out)
	// The whole font's checksum, with head's adjustment, is 0xB1B0AFBA.
	adj := 0xB1B0AFBA - checksum(font)
	headAt := tableOffset(font, "head")
	binary.BigEndian.PutUint32(font[headAt+8:], adj)
	return font, nil
}

// keptGlyphs is used with .notdef and every glyph a kept composite
// glyph is built from.
func keptGlyphs(used map[uint16]bool, glyf []byte, offsets []uint32) map[uint16]bool {
	numGlyphs := len(offsets) - 1
	keep := map[uint16]bool{0: true}
	var stack []uint16
	for g := range used {
		if int(g) < numGlyphs {
			stack = append(stack, g)
		}
	}
	for len(stack) > 0 {
		g := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if keep[g] && g != 0 {
			continue
		}
		keep[g] = true
		for _, c := range components(glyf[offsets[g]:offsets[g+1]]) {
			if int(c) < numGlyphs && !keep[c] {
				stack = append(stack, c)
			}
		}
	}
	return keep
}

// rebuildGlyf copies the kept glyphs, each padded to four bytes, and
// gives every other glyph no outline; loca is written in the long format.
func rebuildGlyf(glyf []byte, offsets []uint32, keep map[uint16]bool) (newGlyf, newLoca []byte) {
	numGlyphs := len(offsets) - 1
	newGlyf = make([]byte, 0, len(glyf)/8)
	newLoca = make([]byte, 4*(numGlyphs+1))
	for g := 0; g < numGlyphs; g++ {
		binary.BigEndian.PutUint32(newLoca[4*g:], uint32(len(newGlyf)))
		if keep[uint16(g)] {
			newGlyf = append(newGlyf, glyf[offsets[g]:offsets[g+1]]...)
			for len(newGlyf)%4 != 0 {
				newGlyf = append(newGlyf, 0)
			}
		}
	}
	binary.BigEndian.PutUint32(newLoca[4*numGlyphs:], uint32(len(newGlyf)))
	return newGlyf, newLoca
}

// tableDir reads the font's table directory.
func tableDir(data []byte) (map[string][]byte, error) {
	if len(data) < 12 || binary.BigEndian.Uint32(data) != 0x00010000 {
		return nil, errNotSubsettable
	}
	n := int(binary.BigEndian.Uint16(data[4:]))
	if len(data) < 12+16*n {
		return nil, errNotSubsettable
	}
	tables := map[string][]byte{}
	for i := 0; i < n; i++ {
		rec := data[12+16*i:]
		off, length := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if uint64(off)+uint64(length) > uint64(len(data)) {
			return nil, errNotSubsettable
		}
		tables[string(rec[:4])] = data[off : off+length]
	}
	return tables, nil
}

// glyphOffsets reads loca: numGlyphs+1 offsets into glyf.
func glyphOffsets(loca []byte, numGlyphs int, long bool, glyfLen int) ([]uint32, error) {
	size := 2
	if long {
		size = 4
	}
	if len(loca) < size*(numGlyphs+1) {
		return nil, errNotSubsettable
	}
	out := make([]uint32, numGlyphs+1)
	for i := range out {
		if long {
			out[i] = binary.BigEndian.Uint32(loca[4*i:])
		} else {
			out[i] = 2 * uint32(binary.BigEndian.Uint16(loca[2*i:]))
		}
		if int(out[i]) > glyfLen || i > 0 && out[i] < out[i-1] {
			return nil, errNotSubsettable
		}
	}
	return out, nil
}

// components lists the glyphs a composite glyph is built from.
func components(g []byte) []uint16 {
	if len(g) < 10 || int16(binary.BigEndian.Uint16(g)) >= 0 {
		return nil
	}
	const (
		argsAreWords  = 0x0001
		haveScale     = 0x0008
		moreComps     = 0x0020
		haveXYScale   = 0x0040
		haveTwoByTwo  = 0x0080
		compHeaderLen = 4
	)
	var out []uint16
	p := 10
	for p+compHeaderLen <= len(g) {
		flags := binary.BigEndian.Uint16(g[p:])
		out = append(out, binary.BigEndian.Uint16(g[p+2:]))
		p += compHeaderLen
		if flags&argsAreWords != 0 {
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&haveScale != 0:
			p += 2
		case flags&haveXYScale != 0:
			p += 4
		case flags&haveTwoByTwo != 0:
			p += 8
		}
		if flags&moreComps == 0 {
			break
		}
	}
	return out
}

// writeSFNT assembles tables into a TrueType file, tables in tag order.
func writeSFNT(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	entry := 0
	for 1<<(entry+1) <= n {
		entry++
	}
	out := make([]byte, 12+16*n)
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(16<<entry))
	binary.BigEndian.PutUint16(out[8:], uint16(entry))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-16<<entry))
	for i, tag := range tags {
		t := tables[tag]
		rec := out[12+16*i:]
		copy(rec, tag)
		binary.BigEndian.PutUint32(rec[4:], checksum(t))
		binary.BigEndian.PutUint32(rec[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(t)))
		out = append(out, t...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out
}

func tableOffset(font []byte, tag string) int {
	n := int(binary.BigEndian.Uint16(font[4:]))
	for i := 0; i < n; i++ {
		rec := font[12+16*i:]
		if string(rec[:4]) == tag {
			return int(binary.BigEndian.Uint32(rec[8:]))
		}
	}
	return 0
}

// checksum is the TrueType table checksum: the sum of big-endian uint32s,
// the last one padded with zeros.
func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}
