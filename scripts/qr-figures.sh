#!/bin/sh
# QR codes at distance: per screen shape, the codes' size and module size and
# the smallest camera width (across the screen's long side) at which zbar and
# ZXing-C++ both still read both codes, turned 20° either way, blurred 1 px,
# JPEG 60 (internal/qr/qrtest). The issue's phone at 3 m sees 640 px.
set -eu
cd "$(dirname "$0")/.."
QR_FIGURES=1 go test -tags ci -count=1 -run TestQRDistanceFigures -v ./internal/render/ | grep -v '^=== RUN\|^--- \|^PASS\|^ok'
