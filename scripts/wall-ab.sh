#!/usr/bin/env bash
# The wall's cost before and after a change: two kiosk builds take turns
# drifting the same 400-person wall under Xvfb at 1920x1080, PAIRS times
# each (turns, so a busy machine weighs on both alike), and the CPU of
# each run (from /proc, over SECONDS after a 5 s start) and its frame rate
# (KIOSK_LOG=debug) are printed, then each build's mean.
#   scripts/wall-ab.sh OLD_BINARY NEW_BINARY [PAIRS] [SECONDS]
# e.g. git worktree add /tmp/old HEAD~1 && (cd /tmp/old && go build -o /tmp/kiosk-old ./cmd/kiosk)
#      go build -o /tmp/kiosk-new ./cmd/kiosk && scripts/wall-ab.sh /tmp/kiosk-old /tmp/kiosk-new
set -euo pipefail
cd "$(dirname "$0")/.."
old="$1" new="$2" pairs="${3:-3}" secs="${4:-40}"
work=".bench/wall"
mkdir -p "$work"
export LANG="${LANG:-en_US.UTF-8}"
if [ ! -f "$work/cache-400.db" ]; then
  go build -o bin/packgen ./cmd/packgen
  rm -rf "$work/pack-400"
  bin/packgen -n 400 -size 600x800 -quality 80 -o "$work/pack-400" >/dev/null
  "$new" pack import --config "" --cache "$work/cache-400.db" "$work/pack-400" >/dev/null 2>&1
fi
display=":$(( 500 + RANDOM % 100 ))"
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# run BIN NAME: prints "cpu% fps" for one wall run.
run() {
  cp "$work/cache-400.db" "$work/ab.db"
  DISPLAY="$display" KIOSK_LOG=debug "$1" --config "" --cache "$work/ab.db" --mode wall --language en \
    >"$work/ab-$2.log" 2>&1 &
  local pid=$!
  sleep 5
  local t0 c0 t1 c1
  t0=$(date +%s.%N); c0=$(ticks $pid)
  sleep "$secs"
  t1=$(date +%s.%N); c1=$(ticks $pid)
  kill $pid; wait $pid 2>/dev/null || true
  local fps
  fps=$( (grep -o 'msg="wall frames" fps=[0-9.]*' "$work/ab-$2.log" || true) | cut -d= -f3 | awk '{s+=$1; n++} END {if (n) printf "%.1f", s/n; else print "?"}')
  echo "$(echo "($c1 - $c0) / $(getconf CLK_TCK) / ($t1 - $t0) * 100" | bc -l) $fps"
}
declare -a oc nc
for i in $(seq "$pairs"); do
  read -r c f < <(run "$old" old); oc+=("$c"); printf 'pair %d  old: %5.1f%% of a core, %s fps\n' "$i" "$c" "$f"
  read -r c f < <(run "$new" new); nc+=("$c"); printf 'pair %d  new: %5.1f%% of a core, %s fps\n' "$i" "$c" "$f"
done
mean() { printf '%s\n' "$@" | awk '{s+=$1} END {printf "%.1f", s/NR}'; }
echo "mean over $pairs runs of ${secs}s, 400 people, 1920x1080: old $(mean "${oc[@]}")%, new $(mean "${nc[@]}")% of a core"
