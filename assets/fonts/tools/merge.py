#!/usr/bin/env python3
"""merge.py OUT.ttf IN.ttf...: merges the fonts (same units per em, TrueType
outlines) into one, named Noto Sans Kiosk Scripts. The screen's operator
panel (Fyne) takes one font from the theme, so every script the kiosk
draws beyond Latin, Cyrillic and Greek has to be in one file; slides and
placards fall back to the same file."""
import sys

from fontTools.merge import Merger

font = Merger().merge(sys.argv[2:])
name = font["name"]
for rec in list(name.names):
    if rec.nameID in (1, 3, 4, 6, 16, 17):
        name.removeNames(nameID=rec.nameID)
for nid, val in ((1, "Noto Sans Kiosk Scripts"), (3, "Noto Sans Kiosk Scripts Regular"),
                 (4, "Noto Sans Kiosk Scripts Regular"), (6, "NotoSansKioskScripts-Regular")):
    name.setName(val, nid, 3, 1, 0x409)
    name.setName(val, nid, 1, 0, 0)
font.save(sys.argv[1])
