#!/usr/bin/env bash
# Regenerates the committed image fixtures (needs ImageMagick, vips, cwebp, img2webp and
# jpegtran from Debian's imagemagick, libvips-tools, webp and libjpeg-turbo-progs
# packages). Most are 64×48: left half red, right half blue, so a test can check colours
# and orientation survive decoding; levels.webp is black, mid-grey and white thirds.
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
# 4:1:0 subsampling (luma 4×2 per chroma sample), which libjpeg-turbo 2.1.5's
# tjDecompressHeader3 refuses and Go's image/jpeg decodes.
convert base.png -quality 90 -sampling-factor 4x2,1x1,1x1 s410.jpg
# Arithmetic coding, which Go's image/jpeg refuses and libjpeg-turbo decodes.
convert base.png -quality 90 base.jpg
jpegtran -arithmetic base.jpg >arithmetic.jpg
rm base.jpg
# Lossy WebP (VP8 stores limited-range YCbCr): black, grey 128 and white must
# come back as 0, 128 and 255, not 16 … 235.
convert -size 22x48 xc:'#000000' -size 20x48 xc:'#808080' -size 22x48 xc:'#ffffff' +append levels.png
cwebp -quiet -q 90 levels.png -o levels.webp
rm levels.png
# Lossy WebP with an alpha channel: the right half fully transparent.
convert -size 32x48 xc:'#ff0000' -size 32x48 xc:'#0000ff00' +append -define png:color-type=6 alpha.png
cwebp -quiet -q 90 -exact alpha.png -o lossy-alpha.webp
rm alpha.png base.png
# An animated WebP of two 8×8 frames, which the kiosk refuses.
convert -size 8x8 xc:'#ff0000' red.png
convert -size 8x8 xc:'#0000ff' blue.png
img2webp -lossless red.png blue.png -o animated.webp >/dev/null 2>&1
rm red.png blue.png
