#!/usr/bin/env bash
# Figures of the wall (issue 6), under Xvfb at 1920x1080:
#  - CPU of the kiosk during a 60 s wall drift with 400 people, against the
#    same process showing a static spotlight (12 s dwell), both measured from
#    /proc over the same 60 s after a 5 s start;
#  - resident memory with 400 and with 5,000 people on the wall;
#  - time from the switch to the wall to its first frame (from the log).
set -euo pipefail
cd "$(dirname "$0")/.."
work=".bench/wall"
mkdir -p "$work"
export LANG="${LANG:-en_US.UTF-8}"
BIN="${BIN:-bin/kiosk}" # BIN=path measures another build (the wall before a change)
[ "$BIN" != bin/kiosk ] || go build -o bin/kiosk ./cmd/kiosk
go build -o bin/packgen ./cmd/packgen
for n in 400 5000; do
  if [ ! -f "$work/cache-$n.db" ]; then
    rm -rf "$work/pack-$n"
    bin/packgen -n "$n" -size 600x800 -quality 80 -o "$work/pack-$n" >/dev/null
    "$BIN" pack import --config "" --cache "$work/cache-$n.db" "$work/pack-$n" >/dev/null 2>&1
  fi
done
display=":$(( 500 + RANDOM % 100 ))"
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
# run MODE N SECONDS: prints "cpu% rss_kb" for the kiosk over SECONDS after 5 s.
run() {
  cp "$work/cache-$2.db" "$work/run.db"
  DISPLAY="$display" KIOSK_LOG=debug "$BIN" --config "" --cache "$work/run.db" --mode "$1" --dwell 12s --language en \
    >"$work/$1-$2.log" 2>&1 &
  local pid=$!
  sleep 5
  local t0 c0 t1 c1
  t0=$(date +%s.%N); c0=$(ticks $pid)
  sleep "$3"
  t1=$(date +%s.%N); c1=$(ticks $pid)
  local r; r=$(rss $pid)
  kill $pid; wait $pid 2>/dev/null || true
  echo "$(echo "($c1 - $c0) / $(getconf CLK_TCK) / ($t1 - $t0) * 100" | bc -l) $r"
}
read -r wall_cpu wall_rss < <(run wall 400 60)
read -r spot_cpu spot_rss < <(run spotlight 400 60)
read -r big_cpu big_rss < <(run wall 5000 30)
printf 'CPU, 60 s, 400 people: wall drift %.1f%% of a core, static spotlight %.1f%% (ratio %.1f)\n' \
  "$wall_cpu" "$spot_cpu" "$(echo "$wall_cpu / $spot_cpu" | bc -l)"
printf 'resident memory on the wall: 400 people %d MB, 5,000 people %d MB (spotlight, 400: %d MB)\n' \
  $((wall_rss / 1024)) $((big_rss / 1024)) $((spot_rss / 1024))
fps=$(grep -o 'msg="wall frames" fps=[0-9.]*' "$work/wall-400.log" | cut -d= -f3 | tr '\n' ' ')
echo "wall frames per second, 400 people, each 10 s: ${fps:-(not logged by this build)} (target 20)"
for n in 400 5000; do
  prep=$(grep -o 'msg="wall shown".*prepared_in=[0-9.a-zµ]*' "$work/wall-$n.log" | grep -o 'prepared_in=.*' | cut -d= -f2)
  first=$(grep -o 'msg="first wall frame on screen".*since_switch=[0-9.a-zµ]*' "$work/wall-$n.log" | grep -o 'since_switch=.*' | cut -d= -f2)
  echo "switch to the wall, $n people: laid out in $prep, first frame $first after that"
done
