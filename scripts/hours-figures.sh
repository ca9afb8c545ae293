#!/usr/bin/env bash
# Figures of the opening hours (issue 13), under Xvfb at 1920x1080, the
# kiosk fullscreen on the demo pack in spotlight mode:
#  - CPU of the kiosk while it sleeps outside opening hours, from
#    /proc/PID/stat over 60 s (target: under 1% of a core);
#  - the time from opening time to the first portrait on screen.
# The hours are made from the clock: closed now, open from the first full
# minute at least 72 s ahead (so the 60 s measured after a 5 s start all
# fall in the night), e.g. --hours "Tu 11:04-24:00".
# RUNS=N repeats the whole measurement N times (default 1); KIOSK_BIN=FILE
# measures that build instead of building one.
set -euo pipefail
cd "$(dirname "$0")/.."
work=".bench/hours"
mkdir -p "$work"
export LANG="${LANG:-en_US.UTF-8}"
bin="${KIOSK_BIN:-$work/kiosk}"
[ -n "${KIOSK_BIN:-}" ] || go build -o "$bin" ./cmd/kiosk
display=":$(( 600 + RANDOM % 100 ))"
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
kiosk=""
trap 'kill $kiosk $xvfb 2>/dev/null || true' EXIT
sleep 1
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
ms() { date -d "$1" +%s%3N; } # RFC 3339 time from the log → ms since the epoch

for run in $(seq 1 "${RUNS:-1}"); do
  rm -f "$work/cache.db" "$work/cache.db.position"
  start=$(date +%s)
  open=$(( (start + 72 + 59) / 60 * 60 ))
  day=$(LC_ALL=C date -d "@$open" +%a | cut -c1-2)
  hours="$day $(date -d "@$open" +%H:%M)-24:00"
  log="$work/run-$run.log"
  DISPLAY="$display" KIOSK_LOG=debug "$bin" --config "" --cache "$work/cache.db" --mode spotlight \
    --dwell 12s --language en --hours "$hours" >"$log" 2>&1 &
  kiosk=$!
  sleep 5
  t0=$(date +%s.%N); c0=$(ticks $kiosk)
  sleep 60
  t1=$(date +%s.%N); c1=$(ticks $kiosk)
  if ! grep -q 'the screen sleeps' "$log"; then
    echo "run $run: the kiosk did not fall asleep (hours \"$hours\"); see $log" >&2
    exit 1
  fi
  if grep -q 'slide presented' "$log"; then
    echo "run $run: a slide was presented while asleep; see $log" >&2
    exit 1
  fi
  cpu=$(echo "($c1 - $c0) / $(getconf CLK_TCK) / ($t1 - $t0) * 100" | bc -l)
  # Wait for the opening and the first portrait (at most 30 s after it).
  while [ "$(date +%s)" -lt $((open + 30)) ] && ! grep -q 'first portrait on screen' "$log"; do sleep 1; done
  kill $kiosk; wait $kiosk 2>/dev/null || true
  kiosk=""
  first=$(grep -m1 'first portrait on screen' "$log" | sed 's/^time=\([^ ]*\).*/\1/' || true)
  woke=$(grep -m1 'the screen wakes' "$log" | sed 's/^time=\([^ ]*\).*/\1/' || true)
  if [ -z "$first" ] || [ -z "$woke" ]; then
    echo "run $run: no wake-up or first portrait after opening at $(date -d "@$open" +%T); see $log" >&2
    exit 1
  fi
  printf 'run %d, hours "%s": CPU asleep %.2f%% of a core over %.0f s; opening %s: woke after %d ms, first portrait on screen after %d ms\n' \
    "$run" "$hours" "$cpu" "$(echo "$t1 - $t0" | bc -l)" "$(date -d "@$open" +%T)" \
    $(( $(ms "$woke") - open * 1000 )) $(( $(ms "$first") - open * 1000 ))
done
