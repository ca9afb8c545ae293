#!/usr/bin/env python3
"""Prints the characters the kiosk's CJK subset keeps, one U+XXXX per line.

Han: all of GB 2312 (6,763 simplified: level 1, the 3,755 most frequent,
and level 2, 3,008 more, with many name characters such as 晟 鑫 婧 淼),
Big5 level 1 (5,401 common traditional) and JIS X 0208 level 1 (2,965
kanji); Big5 level 2 (7,652 rare traditional) too when --more is given. Kana: all of Hiragana and Katakana. Hangul: the 2,350
syllables of KS X 1001 (every syllable in common use, names included).
Punctuation: CJK symbols and punctuation, fullwidth forms.
"""
import sys


def decode_range(codec, lead, trail):
    out = set()
    for a in lead:
        for b in trail:
            try:
                s = bytes([a, b]).decode(codec)
            except UnicodeDecodeError:
                continue
            out.update(s)
    return out


chars = set()
more = "--more" in sys.argv
# GB 2312 level 1: rows 16-55 (lead 0xB0-0xD7); level 2: rows 56-87.
chars |= decode_range("gb2312", range(0xB0, 0xF8), range(0xA1, 0xFF))
# Big5 level 1: 0xA440-0xC67E; level 2: 0xC940-0xF9D5.
big5_lead = list(range(0xA4, 0xC7)) + (list(range(0xC9, 0xFA)) if more else [])
chars |= decode_range("big5", big5_lead, list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)))
# JIS X 0208 level 1: rows 16-47 (EUC-JP lead 0xB0-0xCF).
chars |= decode_range("euc_jp", range(0xB0, 0xD0), range(0xA1, 0xFF))
# KS X 1001 Hangul: EUC-KR lead 0xB0-0xC8.
chars |= decode_range("euc_kr", range(0xB0, 0xC9), range(0xA1, 0xFF))
chars |= {chr(c) for c in range(0x3040, 0x3100)}  # Hiragana, Katakana
chars |= {chr(c) for c in range(0x31F0, 0x3200)}  # Katakana phonetic extensions
chars |= {chr(c) for c in range(0x3000, 0x3040)}  # CJK symbols and punctuation
chars |= {chr(c) for c in range(0xFF00, 0xFFF0)}  # fullwidth and halfwidth forms
for c in sorted(chars):
    if ord(c) >= 0x80:
        print("U+%04X" % ord(c))
