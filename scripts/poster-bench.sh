#!/usr/bin/env bash
# Times `kiosk poster` on a 400-person pack (issue 11: within 30 s and
# 300 MB): makes the pack once with cmd/packgen (2400×1800 photos, larger
# than print needs, so every one is decoded and re-encoded: the slow path),
# then prints it as A4 placards and A3 strips, reporting time and peak RSS.
# Usage: scripts/poster-bench.sh [PEOPLE] [PACK-DIR]
set -euo pipefail
n=${1:-400}
pack=${2:-.bench/poster-$n}
cd "$(dirname "$0")/.."
if [ ! -f "$pack/pack.json" ]; then
  go run ./cmd/packgen -n "$n" -size 2400x1800 -o "$pack"
fi
bin=$(mktemp -d)/poster.test
go test -c -o "$bin" ./internal/poster
POSTER_BENCH_PACK=$(realpath "$pack") /usr/bin/time -f 'whole run: %e s, peak RSS %M kB' "$bin" -test.run '^TestPoster400$' -test.v
rm -f "$bin"
