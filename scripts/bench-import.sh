#!/usr/bin/env bash
# Import throughput and peak memory of `kiosk pack import` against
# vipsthumbnail fitting the same photos to the same screen size, for both
# JPEG paths: libjpeg-turbo (Linux builds) and pure Go (-tags 'purejpeg
# purewebp', the Windows build's path).
#
#   scripts/bench-import.sh            # 100 photos of 4000x3000, 1920x1080 screen
#   N=200 SCREEN=3840x2160 scripts/bench-import.sh
#
# Both sides get both cores: our import runs its own worker pool over every
# core; vipsthumbnail runs as two processes (xargs -P2), each given half the
# photos, so it pays its start-up cost only twice. Times are wall clock,
# medians of RUNS runs. Targets: ratio ours/vips <= 1.0; peak RSS <= 400 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-100}"
SIZE="${SIZE:-4000x3000}"
SCREEN="${SCREEN:-1920x1080}"
RUNS="${RUNS:-3}"
work=".bench"
pack="$work/pack-$N-$SIZE"
mkdir -p "$work"

go build -o bin/kiosk ./cmd/kiosk
go build -tags 'purejpeg purewebp' -o bin/kiosk-pure ./cmd/kiosk
go build -o bin/packgen ./cmd/packgen
if [ ! -f "$pack/pack.json" ]; then
  rm -rf "$pack"
  bin/packgen -n "$N" -size "$SIZE" -o "$pack" >/dev/null
fi
photos_mb=$(du -sm "$pack/photos" | cut -f1)
echo "pack: $N photos of $SIZE ($photos_mb MB), screen $SCREEN, $(nproc) cores, medians of $RUNS runs"

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# import BIN: medians of RUNS imports into a fresh cache: seconds, peak KB.
import_runs() {
  local bin=$1 ours=() rss=()
  for i in $(seq "$RUNS"); do
    rm -f "$work/cache.db"
    /usr/bin/time -f '%e %M' -o "$work/time.txt" \
      "$bin" pack import --cache "$work/cache.db" --screen-size "$SCREEN" "$pack" >/dev/null 2>"$work/import.log"
    read -r secs kb <"$work/time.txt"
    ours+=("$secs") rss+=("$kb")
  done
  echo "$(printf '%s\n' "${ours[@]}" | median) $(printf '%s\n' "${rss[@]}" | median) ${ours[*]}"
}
read -r o r turbo_runs < <(import_runs bin/kiosk)
read -r po pr pure_runs < <(import_runs bin/kiosk-pure)

vips=()
half=$(( (N + 1) / 2 ))
for i in $(seq "$RUNS"); do
  rm -rf "$work/vips" && mkdir -p "$work/vips"
  start=$(date +%s.%N)
  find "$pack/photos" -name '*.jpg' -print0 | sort -z |
    xargs -0 -P2 -n "$half" vipsthumbnail --size "$SCREEN" -o "$PWD/$work/vips/%s.jpg"
  end=$(date +%s.%N)
  vips+=("$(echo "$end - $start" | bc -l)")
done

v=$(printf '%s\n' "${vips[@]}" | median)
cache_mb=$(du -m "$work/cache.db" | cut -f1)
printf 'kiosk pack import, TurboJPEG: %6.2f s   (%.1f photos/s; runs: %s)\n' "$o" "$(echo "$N / $o" | bc -l)" "$turbo_runs"
printf 'kiosk pack import, pure Go:   %6.2f s   (%.1f photos/s; runs: %s)\n' "$po" "$(echo "$N / $po" | bc -l)" "$pure_runs"
printf 'vipsthumbnail -P2:            %6.2f s   (%.1f photos/s; runs: %s)\n' "$v" "$(echo "$N / $v" | bc -l)" "${vips[*]}"
printf 'ratio ours/vips, TurboJPEG:   %6.2f     (target <= 1.0)\n' "$(echo "$o / $v" | bc -l)"
printf 'ratio ours/vips, pure Go:     %6.2f     (the Windows build; no target)\n' "$(echo "$po / $v" | bc -l)"
printf 'peak RSS (import), TurboJPEG: %6.0f MB  (target <= 400 MB)\n' "$(echo "$r / 1024" | bc -l)"
printf 'peak RSS (import), pure Go:   %6.0f MB\n' "$(echo "$pr / 1024" | bc -l)"
printf 'cache after import: %d MB (display + master per photo)\n' "$cache_mb"
