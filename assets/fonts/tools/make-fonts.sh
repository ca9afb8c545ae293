#!/bin/sh
# Rebuilds assets/fonts/NotoSansKioskScripts-Regular.ttf from Debian's Noto
# packages:
#   apt-get install -y python3-fonttools fonts-noto-core fonts-noto-cjk
# Hebrew, Georgian, Armenian and Devanagari: Noto Sans Regular cut to the
# script's blocks (layout features kept, so marks and conjuncts shape).
# CJK: Noto Sans CJK SC cut to cjk_chars.py's list, outlines converted to
# TrueType (otf2ttf.py); no layout features (local forms for Japanese,
# Korean and traditional Chinese would double the glyphs), no vertical metrics.
# Then Noto Sans Arabic and these are merged into one font (merge.py): Fyne's
# theme gives the operator panel a single font.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
fonts=$here/..
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
noto=/usr/share/fonts/truetype/noto
cjk=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
py=/usr/bin/python3
sub() { # font out unicodes
	$py -m fontTools.subset "$1" --output-file="$2" --unicodes="$3" \
		--layout-features='*' --no-hinting --desubroutinize --name-IDs='*' --name-languages='*' --notdef-outline
}
# Beyond each script's blocks only the space, joiners, direction marks and
# the dotted circle: Latin punctuation and digits stay Noto Sans's (the
# operator panel looks in this font first, and Noto Sans CJK's would differ).
common=U+0020,U+00A0,U+200B-200F,U+25CC
sub $noto/NotoSansHebrew-Regular.ttf "$out/NotoSansHebrew-Regular.ttf" "U+0590-05FF,U+FB1D-FB4F,$common"
sub $noto/NotoSansGeorgian-Regular.ttf "$out/NotoSansGeorgian-Regular.ttf" "U+10A0-10FF,U+1C90-1CBF,U+2D00-2D2F,$common"
sub $noto/NotoSansArmenian-Regular.ttf "$out/NotoSansArmenian-Regular.ttf" "U+0530-058F,U+FB13-FB17,$common"
sub $noto/NotoSansDevanagari-Regular.ttf "$out/NotoSansDevanagari-Regular.ttf" "U+0900-097F,U+A8E0-A8FF,U+1CD0-1CFF,$common"
tmp=$out
$py "$here/cjk_chars.py" | tr '\n' ',' > "$tmp/chars"
$py -m fontTools.subset "$cjk" --font-number=2 --output-file="$tmp/cjk.otf" --unicodes-file=/dev/null \
	--unicodes="$(cat "$tmp/chars")$common" --layout-features= --drop-tables+=vhea,vmtx,VORG --no-hinting --desubroutinize --notdef-outline
$py "$here/otf2ttf.py" "$tmp/cjk.otf" "$out/NotoSansCJKsc-Subset.ttf"
ls -l "$out"/*.ttf
$py "$here/merge.py" "$fonts/NotoSansKioskScripts-Regular.ttf" "$fonts/NotoSansArabic-Regular.ttf" \
	"$out/NotoSansHebrew-Regular.ttf" "$out/NotoSansGeorgian-Regular.ttf" "$out/NotoSansArmenian-Regular.ttf" \
	"$out/NotoSansDevanagari-Regular.ttf" "$out/NotoSansCJKsc-Subset.ttf"
ls -l "$fonts/NotoSansKioskScripts-Regular.ttf"
