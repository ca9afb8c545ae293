#!/usr/bin/env bash
# Lays out the public conformance sets that conformance_test.go reads, from git
# snapshots of their repositories, and makes the reference decodes once, so the
# tests need no tool at run time. The images are not committed to this
# repository (see README.md beside this script); they are data, copied as they are.
#
# Usage: extract.sh OUT [MIRROR]
#   OUT     where to write, e.g. ../shared/conformance (the tests look there by
#           default, or wherever KIOSK_CONFORMANCE_DIR says)
#   MIRROR  folder holding the git directories OWNER+NAME/repo of
#           lunapaint/pngsuite, recurser/exif-orientation-examples,
#           webmproject/libwebp-test-data and libjpeg-turbo/libjpeg-turbo
#           (default /work/.mirror)
# Needs ImageMagick's convert, dwebp (Debian webp) and djpeg (Debian
# libjpeg-turbo-progs), and md5sum.
set -euo pipefail
out=${1:?usage: extract.sh OUT [MIRROR]}
mirror=${2:-/work/.mirror}
im=/usr/bin/convert # the real ImageMagick, not a wrapper earlier in PATH
mkdir -p "$out"
out=$(cd "$out" && pwd)

# show REPO PATH: a file of a snapshot's newest commit on standard output.
show() { git --git-dir="$mirror/$1/repo" show "HEAD:$2"; }
commit() { git --git-dir="$mirror/$1/repo" rev-parse HEAD; }
files() { git --git-dir="$mirror/$1/repo" ls-tree --name-only HEAD "$2"; }

# readme DIR REPO LICENCE HOW: the suite's README.md.
readme() {
  cat >"$1/README.md" <<MD
# $(basename "$1")

- Source: https://github.com/$2 at commit $(commit "${2/\//+}")
- Licence: $3
- Laid out by internal/imageprep/testdata/conformance/extract.sh on $(date -u +%F) with
  $($im -version | head -1 | cut -d' ' -f2-3), dwebp $(dwebp -version), $(djpeg -version 2>&1 | head -1).
- References: $4
MD
}

pngsuite() {
  local d=$out/pngsuite r=lunapaint+pngsuite
  rm -rf "$d" && mkdir -p "$d/ref"
  for f in $(files $r png/); do show $r "$f" >"$d/$(basename "$f")"; done
  show $r LICENSE >"$d/LICENSE"
  # ImageMagick is an independent PNG decoder (libpng underneath). The kiosk,
  # like most viewers of photos, shows samples as stored and ignores gAMA; so
  # must the reference: ImageMagick reads gAMA 1.0 as linear and would convert
  # to sRGB, which "-set colorspace sRGB" stops. 16-bit samples are rounded to 8 bits.
  for f in "$d"/[!x]*.png; do
    $im "$f" -set colorspace sRGB -depth 8 -type TrueColorAlpha "PAM:$d/ref/$(basename "$f" .png).pam"
  done
  readme "$d" lunapaint/pngsuite \
    "PngSuite by Willem van Schaik: \"Permission to use, copy, modify and distribute these images for any purpose and without fee is hereby granted\" (LICENSE)." \
    "ref/NAME.pam for every valid file (not x*): \`convert NAME.png -set colorspace sRGB -depth 8 -type TrueColorAlpha PAM:ref/NAME.pam\` (8-bit RGBA, samples as stored: no gamma applied, as the kiosk applies none)."
}

exif() {
  local d=$out/exif-orientation r=recurser+exif-orientation-examples
  rm -rf "$d" && mkdir -p "$d/ref"
  for f in $(files $r . | grep -E '^(Landscape|Portrait)_[0-9]\.jpg$'); do
    show $r "$f" >"$d/$f"
    # ImageMagick decodes at the 1/8 DCT scale (jpeg:size, the same samples as
    # djpeg -scale 1/8) and turns the picture upright by its own reading of the EXIF tag.
    read -r w h < <(/usr/bin/identify -format '%w %h\n' "$d/$f")
    $im -define jpeg:size=$((w / 8))x$((h / 8)) "$d/$f" -auto-orient "PNG24:$d/ref/${f%.jpg}@1_8.png"
  done
  show $r LICENSE >"$d/LICENSE"
  readme "$d" recurser/exif-orientation-examples "MIT (LICENSE)." \
    "each file must come out as its _1 file (orientation 1) after the kiosk's decode and fit, outside the digit printed in the middle; and ref/NAME@1_8.png, \`convert -define jpeg:size=W/8xH/8 NAME.jpg -auto-orient PNG24:ref/NAME@1_8.png\` (ImageMagick's decode at 1/8 scale, turned upright by ImageMagick), must match the kiosk's decode at that scale."
}

libwebp() {
  local d=$out/libwebp r=webmproject+libwebp-test-data
  rm -rf "$d" && mkdir -p "$d/ref"
  show $r libwebp_tests.md5 >"$d/libwebp_tests.md5"
  # Every file the md5 list gives a PAM for, but the 3.5 MB bryce.webp (not listed),
  # and the lossless vectors with their own references (grid.pam, peak.pam).
  local names
  names=$(awk '$2 ~ /\.webp\.pam$/ {sub(/\.pam$/, "", $2); print $2}' "$d/libwebp_tests.md5")
  for f in $names $(files $r . | grep -E '^lossless_vec_[12]_[0-9]+\.webp$') grid.pam peak.pam; do
    show $r "$f" >"$d/$f"
  done
  local bad=0
  for f in $names; do
    dwebp -quiet -pam "$d/$f" -o "$d/ref/$f.pam"
    want=$(awk -v n="$f.pam" '$2 == n {print $1}' "$d/libwebp_tests.md5")
    got=$(md5sum <"$d/ref/$f.pam" | cut -d' ' -f1)
    if [ "$want" != "$got" ]; then echo "libwebp: dwebp's $f.pam does not match libwebp_tests.md5" >&2; bad=1; fi
    # PNG keeps the reference small; it holds the same samples as the PAM.
    $im "$d/ref/$f.pam" "PNG32:$d/ref/$f.png" && rm "$d/ref/$f.pam"
  done
  readme "$d" webmproject/libwebp-test-data \
    "the repository has no licence file; its scripts say they are \"distributed under the same terms as libwebp\" (BSD 3-clause, webmproject/libwebp COPYING); the vp80-* files are the VP8 test vectors of the WebM project, under the same terms." \
    "ref/NAME.webp.png: \`dwebp -pam\`, checked against the repository's libwebp_tests.md5 ($([ $bad = 0 ] && echo 'every file matched' || echo 'SOME DID NOT MATCH')), then stored as PNG (same samples). lossless_vec_1_*.webp must decode to grid.pam and lossless_vec_2_*.webp to peak.pam, the repository's own references."
}

libjpegturbo() {
  local d=$out/libjpeg-turbo r=libjpeg-turbo+libjpeg-turbo
  rm -rf "$d" && mkdir -p "$d/ref"
  for f in testorig.jpg testimgint.jpg testimgari.jpg monkey12.jpg LICENSE.txt; do show $r "testimages/$f" >"$d/$f"; done
  show $r README.ijg >"$d/README.ijg"
  for f in testorig testimgint testimgari; do
    djpeg -ppm "$d/$f.jpg" >"$d/ref/$f.ppm"
    djpeg -scale 1/2 -ppm "$d/$f.jpg" >"$d/ref/$f@1_2.ppm"
  done
  readme "$d" libjpeg-turbo/libjpeg-turbo \
    "testorig* and testimg* are the Independent JPEG Group's, under the IJG License (README.ijg); monkey12.jpg is under the modified BSD licence and embeds sRGB2014.icc, free to copy (LICENSE.txt)." \
    "ref/NAME.ppm: \`djpeg -ppm NAME.jpg\` (libjpeg-turbo's own decoder, default settings); ref/NAME@1_2.ppm: \`djpeg -scale 1/2 -ppm NAME.jpg\`, for the kiosk's reduced-scale decode. monkey12.jpg is a 12-bit JPEG: it must be refused as unsupported."
}

pngsuite
exif
libwebp
libjpegturbo
du -sh "$out"/*
