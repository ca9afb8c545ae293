#!/usr/bin/env bash
# Does the show keep its pace while a pack imports in the background?
# Runs the kiosk under Xvfb (1920x1080) with a 1 s dwell on the demo pack,
# hands it the 100-photo 4000x3000 benchmark pack with --pack, and prints
# the intervals between slides during the import and outside it.
set -euo pipefail
cd "$(dirname "$0")/.."
work=".bench/iws"
rm -rf "$work" && mkdir -p "$work"
export LANG="${LANG:-en_US.UTF-8}"
go build -o bin/kiosk ./cmd/kiosk
go build -o bin/packgen ./cmd/packgen
pack=".bench/pack-100-4000x3000"
[ -f "$pack/pack.json" ] || bin/packgen -n 100 -size 4000x3000 -o "$pack" >/dev/null
display=":$(( 400 + RANDOM % 100 ))"
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
DISPLAY="$display" timeout 40 bin/kiosk --config "" --cache "$work/cache.db" --mode spotlight --test-pace --dwell 1s --fade 300ms \
  --language en --stats-every 1 --exit-after 30 --pack "$pack" >"$work/kiosk.log" 2>&1 || true
python3 - "$work/kiosk.log" <<'PY'
import re, sys, statistics
from datetime import datetime
def ts(line):
    m = re.search(r'time=(\S+)', line)
    return datetime.fromisoformat(m.group(1).replace('Z', '+00:00')).timestamp() if m else None
slides, start, end = [], None, None
for line in open(sys.argv[1]):
    if 'msg="show stats"' in line: slides.append(ts(line))
    elif 'msg="pack queued for import"' in line and start is None: start = ts(line)
    elif 'msg="imported pack"' in line and 'source=.bench' in line: end = ts(line)
if start is None or end is None or len(slides) < 5:
    sys.exit("the log lacks the import or the slides; see " + sys.argv[1])
during, outside = [], []
for a, b in zip(slides, slides[1:]):
    (during if start <= b <= end + 0.3 else outside).append(b - a)
fmt = lambda xs: f"n={len(xs)} median {statistics.median(xs):.3f} s, max {max(xs):.3f} s" if xs else "n=0"
print(f"import of 100 photos in the running show took {end - start:.1f} s")
print(f"slide intervals (dwell 1 s) during the import:               {fmt(during)}")
print(f"slide intervals outside the import:                        {fmt(outside)}")
PY
