#!/usr/bin/env bash
# The kiosk in the mixed mode (wall passages of 45 s, then spotlights) for
# MINUTES (default 10) under Xvfb on a 40-person pack, built with Fyne's
# thread checker on: the log must show no "Error in Fyne call thread" (a
# Fyne call from a goroutine of ours outside fyne.Do). Prints the count of
# wall passages and spotlights and exits 1 on any such line.
set -euo pipefail
cd "$(dirname "$0")/.."
MINUTES="${MINUTES:-10}"
work=".bench/mixed"
mkdir -p "$work"
export LANG="${LANG:-en_US.UTF-8}"
go build -o bin/kiosk ./cmd/kiosk
go build -o bin/packgen ./cmd/packgen
[ -f "$work/pack/pack.json" ] || bin/packgen -n 40 -size 900x1200 -quality 80 -o "$work/pack" >/dev/null
rm -f "$work/cache.db"
bin/kiosk pack import --config "" --cache "$work/cache.db" "$work/pack" >/dev/null 2>&1
display=":$(( 600 + RANDOM % 100 ))"
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
DISPLAY="$display" KIOSK_LOG=debug timeout "$((MINUTES * 60))" bin/kiosk --config "" --cache "$work/cache.db" \
  --mode mixed --dwell 5s --language en >"$work/mixed.log" 2>&1 || true
walls=$(grep -c 'msg="wall shown"' "$work/mixed.log" || true)
slides=$(grep -c 'msg="slide presented"' "$work/mixed.log" || true)
bad=$(grep -c 'Fyne call thread' "$work/mixed.log" || true)
echo "mixed mode, ${MINUTES} min at 1920x1080: ${walls} wall passages, ${slides} spotlights, ${bad} Fyne calls outside the UI goroutine"
[ "$bad" -eq 0 ] || { grep -m5 -A3 'Fyne call thread' "$work/mixed.log"; exit 1; }
