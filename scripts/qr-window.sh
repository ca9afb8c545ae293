#!/bin/sh
# The kiosk's QR codes read off a real window under Xvfb on every screen
# shape, as a phone 3 m away reads them, and never a code of someone not on
# screen through 50 transitions (scripts/qrwindow).
set -eu
cd "$(dirname "$0")/.."
BIN="${BIN:-bin/kiosk}"
export LANG="${LANG:-en_US.UTF-8}"
go run ./scripts/qrwindow -kiosk "$BIN" "$@"
