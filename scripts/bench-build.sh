#!/usr/bin/env bash
# `kiosk pack build` from a CSV of N people with N photos of 4000x3000, then
# `kiosk pack import` of the result, side by side with vipsthumbnail fitting
# the same photos to the screen (two processes, as in bench-import.sh).
#
#   scripts/bench-build.sh             # N=400
#   N=100 RUNS=1 scripts/bench-build.sh
#
# Wall-clock medians of RUNS runs; peak RSS of each kiosk command.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-400}"
SIZE="${SIZE:-4000x3000}"
SCREEN="${SCREEN:-1920x1080}"
RUNS="${RUNS:-3}"
work=".bench"
src="$work/build-$N-$SIZE"
mkdir -p "$work"
export LANG="${LANG:-en_US.UTF-8}"

go build -o bin/kiosk ./cmd/kiosk
go build -o bin/packgen ./cmd/packgen
if [ ! -f "$src/list.csv" ]; then
  rm -rf "$src"
  bin/packgen -n "$N" -size "$SIZE" -o "$src" -csv >/dev/null
fi
photos_mb=$(du -sm "$src/photos" | cut -f1)
echo "CSV of $N people, $N photos of $SIZE ($photos_mb MB), screen $SCREEN, $(nproc) cores, medians of $RUNS runs"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
timed() { # seconds and peak KB of a command, into the named arrays
  /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >/dev/null 2>"$work/cmd.log"
  cat "$work/time.txt"
}

build=() brss=() imp=() irss=() vips=()
half=$(( (N + 1) / 2 ))
for i in $(seq "$RUNS"); do
  rm -f "$work/built.zip" "$work/build-cache.db"
  read -r s kb < <(timed bin/kiosk pack build --from "$src/list.csv" --photos "$src/photos" -o "$work/built.zip" --title bench)
  build+=("$s") brss+=("$kb")
  read -r s kb < <(timed bin/kiosk pack import --config "" --cache "$work/build-cache.db" --screen-size "$SCREEN" "$work/built.zip")
  imp+=("$s") irss+=("$kb")
  rm -rf "$work/vips" && mkdir -p "$work/vips"
  start=$(date +%s.%N)
  find "$src/photos" -name '*.jpg' -print0 | sort -z |
    xargs -0 -P2 -n "$half" vipsthumbnail --size "$SCREEN" -o "$PWD/$work/vips/%s.jpg"
  end=$(date +%s.%N)
  vips+=("$(echo "$end - $start" | bc -l)")
done
b=$(printf '%s\n' "${build[@]}" | median)
im=$(printf '%s\n' "${imp[@]}" | median)
v=$(printf '%s\n' "${vips[@]}" | median)
printf 'kiosk pack build:        %6.2f s  (peak RSS %d MB; runs: %s)\n' "$b" "$(( $(printf '%s\n' "${brss[@]}" | median) / 1024 ))" "${build[*]}"
printf 'kiosk pack import (zip): %6.2f s  (peak RSS %d MB; runs: %s)\n' "$im" "$(( $(printf '%s\n' "${irss[@]}" | median) / 1024 ))" "${imp[*]}"
printf 'build + import:          %6.2f s\n' "$(echo "$b + $im" | bc -l)"
printf 'vipsthumbnail -P2:       %6.2f s  (runs: %s)\n' "$v" "${vips[*]}"
printf 'ratio import/vips: %.2f   ratio (build+import)/vips: %.2f\n' "$(echo "$im / $v" | bc -l)" "$(echo "($b + $im) / $v" | bc -l)"
