#!/usr/bin/env python3
"""otf2ttf.py IN.otf OUT.ttf: converts CFF outlines to TrueType (quadratic)
ones, so the kiosk's PDF writer can embed the font as a TrueType CIDFont
(FontFile2) like its other fonts. After fontTools' Snippets/otf2ttf.py."""
import sys

from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable


def otf_to_ttf(font, max_err=1.0):
    order = font.getGlyphOrder()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    glyph_set = font.getGlyphSet()
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, max_err, reverse_direction=True))
        glyf[name] = pen.glyph()
    del font["CFF "]
    for t in ("VORG",):
        if t in font:
            del font[t]
    glyf.compile(font)
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for a in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs", "maxInstructionDefs",
              "maxStackElements", "maxSizeOfInstructions", "maxComponentElements"):
        setattr(maxp, a, 0)
    maxp.compile(font)
    post = font["post"]
    post.formatType = 3.0  # no glyph names: smaller
    font.sfntVersion = "\000\001\000\000"
    font["head"].glyphDataFormat = 0


f = TTFont(sys.argv[1])
otf_to_ttf(f)
f.save(sys.argv[2])
