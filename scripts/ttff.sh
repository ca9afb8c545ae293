#!/usr/bin/env bash
# Time from process start to the first portrait on screen, against feh -F
# showing the same photo, polled off the X screen by ../shared/tools/ttff
# (both under the same Xvfb 1920x1080, medians of RUNS runs). Target: ratio <= 1.5.
# Each probe watches where that program paints the photo: the kiosk's photo
# panel (left), feh's centre; "painted" means mean luminance over 0.5, so the
# kiosk's dark background alone does not count.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${RUNS:-5}"
work=".bench/ttff"
mkdir -p "$work"
export LANG=en_US.UTF-8
command -v feh >/dev/null || { echo "feh is needed (Debian feh)"; exit 1; }
go build -o bin/kiosk ./cmd/kiosk
go build -o bin/ttff-bare ./scripts/ttff-bare
(cd ../shared/tools/ttff && go build -o "$OLDPWD/bin/ttff" .)

# One person with a light photo.
rm -rf "$work/pack" && mkdir -p "$work/pack/photos"
convert -size 1200x1600 gradient:'#f0f0f0'-'#c8c8c8' "$work/pack/photos/p.jpg"
hash="sha256:$(sha256sum "$work/pack/photos/p.jpg" | cut -d' ' -f1)"
cat >"$work/pack/pack.json" <<JSON
{"format":1,"id":"ttff","version":"1","title":"ttff","publisher":{"name":"bench"},"published":"2024-05-20",
 "languages":["en"],"files":{"photos/p.jpg":"$hash"},
 "people":[{"id":"p","name":"Test Person","country":"BY","status":"in_custody","arrested":"2022-03-15","photo":"photos/p.jpg",
   "links":[{"kind":"letter","url":"https://example.org/l"},{"kind":"petition","url":"https://example.org/p"}]}]}
JSON
rm -f "$work/cache.db"
bin/kiosk pack import --cache "$work/cache.db" "$work/pack" >/dev/null 2>&1

display=":$(( 300 + RANDOM % 100 ))"
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ms() { grep -oE '[0-9]+(\.[0-9]+)? ?ms' | head -1 | grep -oE '[0-9]+(\.[0-9]+)?'; }
k=() f=() b=()
for i in $(seq "$RUNS"); do
  k+=("$(DISPLAY=$display timeout 30 bin/ttff -threshold 0.5 -x 100 -y 100 -w 600 -h 800 -- bin/kiosk --cache "$work/cache.db" --mode spotlight --exit-after 1 2>&1 | ms)")
  f+=("$(DISPLAY=$display timeout 30 bin/ttff -threshold 0.5 -- feh -F "$work/pack/photos/p.jpg" 2>&1 | ms)")
  pkill -f "feh -F $work" 2>/dev/null || true
  b+=("$(DISPLAY=$display timeout 30 bin/ttff -threshold 0.5 -x 100 -y 100 -w 600 -h 800 -- bin/ttff-bare 2>&1 | ms)")
  pkill -f bin/ttff-bare 2>/dev/null || true
done
km=$(printf '%s\n' "${k[@]}" | median)
fm=$(printf '%s\n' "${f[@]}" | median)
bm=$(printf '%s\n' "${b[@]}" | median)
echo "time to first portrait, medians of $RUNS (Xvfb 1920x1080, llvmpipe):"
echo "  kiosk:  ${km} ms   (runs: ${k[*]})"
echo "  feh -F: ${fm} ms   (runs: ${f[*]})"
echo "  bare Fyne fullscreen window (the toolkit's floor): ${bm} ms   (runs: ${b[*]})"
printf '  ratio kiosk/feh: %.2f (target <= 1.5)\n' "$(echo "$km / $fm" | bc -l)"
printf '  ratio kiosk/bare Fyne: %.2f   ratio bare Fyne/feh: %.2f\n' "$(echo "$km / $bm" | bc -l)" "$(echo "$bm / $fm" | bc -l)"
