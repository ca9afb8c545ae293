#!/usr/bin/env bash
# Soak run: 1,000 transitions at 50 ms dwell over a pack of 300 photos in a
# real X window (Xvfb 1920x1080). Prints resident memory and goroutines after
# the first and the last 100 slides. Target: RSS within 10%, no goroutine growth.
#   scripts/soak.sh            (SLIDES=1000 PHOTOS=300 to change)
set -euo pipefail
cd "$(dirname "$0")/.."
SLIDES="${SLIDES:-1000}"
PHOTOS="${PHOTOS:-300}"
work=".bench"
pack="$work/soak-pack-$PHOTOS"
mkdir -p "$work"
export LANG=en_US.UTF-8
go build -o bin/kiosk ./cmd/kiosk
go build -o bin/packgen ./cmd/packgen
[ -f "$pack/pack.json" ] || bin/packgen -n "$PHOTOS" -size 2000x1500 -id soak -o "$pack" >/dev/null
rm -f "$work/soak.db"
bin/kiosk pack import --cache "$work/soak.db" "$pack" >/dev/null 2>&1

display=":$(( 200 + RANDOM % 100 ))"
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
start=$(date +%s)
DISPLAY="$display" bin/kiosk --cache "$work/soak.db" --mode spotlight --test-pace --dwell 50ms --fade 40ms \
  --stats-every 100 --exit-after "$SLIDES" >"$work/soak.log" 2>&1
took=$(( $(date +%s) - start ))
grep 'msg="show stats"' "$work/soak.log" | sed -E 's/.*slides=([0-9]+) rss_kb=([0-9]+) goroutines=([0-9]+).*/\1 \2 \3/' >"$work/soak.stats"
read -r s1 r1 g1 < <(head -1 "$work/soak.stats")
read -r s2 r2 g2 < <(tail -1 "$work/soak.stats")
echo "soak: $s2 slides over $PHOTOS photos in ${took}s (dwell 50 ms, fade 40 ms, 1920x1080)"
echo "after slide $s1: RSS $((r1 / 1024)) MB, $g1 goroutines"
echo "after slide $s2: RSS $((r2 / 1024)) MB, $g2 goroutines"
printf 'RSS change first->last 100: %+.1f%% (target within 10%%); goroutines %+d (target 0)\n' \
  "$(echo "($r2 - $r1) * 100 / $r1" | bc -l)" "$((g2 - g1))"
echo "every 100 slides (slides rss_kb goroutines):"; cat "$work/soak.stats"
