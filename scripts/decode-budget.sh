#!/usr/bin/env bash
# Measures the kiosk's photo decode at 25, 50 and 100 megapixels (issue 18,
# item 1): for each file (PNG of one colour and noisy, baseline and
# progressive JPEG, lossy WebP) the time and peak RSS of preparing it as an
# import does, once and four copies on every core, in a fresh process each
# (cmd/decodebudget, getrusage), with the C libraries and with the pure-Go
# build (-tags 'purejpeg purewebp', the Windows path). Then, when bin/kiosk
# exists (or BIN names one), `kiosk pack verify` and `pack import` of a pack
# holding four 10000×9999 PNGs, and `kiosk poster` (A4 and A3 strips) of
# it, under /usr/bin/time.
# Usage: scripts/decode-budget.sh [MEGAPIXELS]   (default "25,50,100";
#        PACK_ONLY=1 skips the per-file figures)
# Needs cwebp and cjpeg (Debian webp, libjpeg-turbo-progs), zip and python3;
# writes about
# 400 MB of files into a temporary folder, removed at the end.
set -euo pipefail
mps="${1:-25,50,100}"
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/db" ./cmd/decodebudget
go build -tags 'purejpeg purewebp' -o "$work/db-pure" ./cmd/decodebudget
[ -n "${PACK_ONLY:-}" ] || "$work/db" gen -o "$work/files" -mp "$mps" >/dev/null
[ -n "${PACK_ONLY:-}" ] || for build in db db-pure; do
  echo "== $build: $( [ $build = db ] && echo 'libjpeg-turbo, libwebp, streaming PNG' || echo 'pure Go: image/jpeg, x/image/webp, streaming PNG')"
  for mp in ${mps//,/ }; do
    for f in "$work/files/${mp}mp-flat.png" "$work/files/${mp}mp-noisy.png" "$work/files/${mp}mp.jpg" \
             "$work/files/${mp}mp-progressive.jpg" "$work/files/${mp}mp.webp"; do
      for n in 1 4; do "$work/$build" prepare -copies $n "$f" || echo "$(basename "$f"): failed"; done
    done
  done
done

BIN="${BIN:-bin/kiosk}"
if [ ! -x "$BIN" ]; then
  echo "(no $BIN: build it with go build -o bin/kiosk ./cmd/kiosk for the pack figures)"
  exit 0
fi
# A pack of four people, each with a 10000x9999 PNG of one colour (316 KB).
go run ./cmd/packgen -n 4 -size 64x64 -o "$work/pack" >/dev/null
for i in 0 1 2 3; do
  rm "$work/pack/photos/person-000$i.jpg"
  "$work/db" png -o "$work/pack/photos/person-000$i.png" -size 10000x9999
done
python3 - "$work/pack" <<'PY'
import hashlib, json, sys
d = sys.argv[1]
m = json.load(open(d + "/pack.json"))
for p in m["people"]:
    p["photo"] = p["photo"].replace(".jpg", ".png")
m["files"] = {p["photo"]: "sha256:" + hashlib.sha256(open(d + "/" + p["photo"], "rb").read()).hexdigest() for p in m["people"]}
json.dump(m, open(d + "/pack.json", "w"), ensure_ascii=False, indent=2)
PY
(cd "$work/pack" && zip -qr "$work/big-png.zip" .)
echo "== $BIN on a pack of four 10000x9999 PNGs ($(du -k "$work/big-png.zip" | cut -f1) KB)"
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_CACHE_HOME="$work/home/.cache"
mkdir -p "$HOME"
for cmd in "pack verify $work/big-png.zip" "pack import --cache $work/cache.db $work/big-png.zip" \
           "poster --out $work/a4.pdf $work/big-png.zip" "poster --paper a3-strips --out $work/a3.pdf $work/big-png.zip"; do
  # shellcheck disable=SC2086
  /usr/bin/time -f "%e s, peak RSS %M KiB, exit %x" -o "$work/time" "$BIN" $cmd >"$work/out" 2>&1 || true
  printf '%-28s %s   (%s)\n' "${cmd%% /*}" "$(cat "$work/time" | tail -1)" "$(grep -v '^time=' "$work/out" | tail -1)"
done
