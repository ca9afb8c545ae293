#!/usr/bin/env bash
# Regenerates the committed image fixtures (needs ImageMagick, vips and cwebp from
# Debian's imagemagick, libvips-tools and webp packages). Each is 64×48: left half red,
# right half blue, so a test can check colours and orientation survive decoding.
set -euo pipefail
cd "$(dirname "$0")"
convert -size 32x48 xc:'#ff0000' -size 32x48 xc:'#0000ff' +append base.png
convert base.png -quality 90 -interlace JPEG progressive.jpg
# ImageMagick writes CMYK as YCCK (Adobe transform 2); vips writes plain CMYK (transform 0).
convert base.png -quality 90 -colorspace CMYK ycck.jpg
convert base.png -colorspace CMYK base.tif
vips copy base.tif cmyk.jpg
rm base.tif
cwebp -quiet -q 90 base.png -o lossy.webp
cwebp -quiet -lossless base.png -o lossless.webp
rm base.png
