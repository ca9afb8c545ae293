#!/usr/bin/env bash
# kiosk studio in a real window under Xvfb (issue 11): it opens a
# spreadsheet of N people (cmd/packgen -csv: the kiosk's own columns and a
# photo folder), then its test-only script mode (KIOSK_STUDIO_SCRIPT) runs,
# through the same handlers as the window's buttons and its Sign dialog:
# export the pack, sign it with a test key whose password is typed into the
# dialog's password entry, copy it to a "USB stick" folder, make A4
# placards through the Placards dialog, import it into a fresh cache and
# show the wall tab. Then `kiosk pack verify --require-signed`, with the
# test key trusted, must accept the exported zip and the copy, `kiosk pack
# list` must show the pack in the cache, and pdfinfo must count one A4 page
# a person in it.
#
# It prints the time from opening the spreadsheet to the first preview on
# screen (the studio's own log line, and from process start) and keeps two
# screenshots (spotlight, wall) in .bench/studio-window/.
#
#   N=400 SIZE=4000x3000 scripts/studio-window.sh
#   GOFLAGS=-race N=40 SIZE=1600x1200 scripts/studio-window.sh   (under the race detector)
set -euo pipefail
cd "$(dirname "$0")/.."
N="${N:-400}"
SIZE="${SIZE:-4000x3000}"
work=.bench/studio-window
BIN="${BIN:-$work/kiosk}"
export LANG="${LANG:-en_US.UTF-8}"
mkdir -p "$work"
for tool in Xvfb xwd convert pdfinfo; do
  command -v "$tool" >/dev/null || { echo "$tool is needed (scripts/install-deps.sh test)"; exit 1; }
done
go build -o "$BIN" ./cmd/kiosk

list="$work/list-$N-$SIZE"
if [ ! -f "$list/list.csv" ]; then
  go run ./cmd/packgen -n "$N" -size "$SIZE" -csv -o "$list" >/dev/null
fi
keys="$work/keys"
rm -rf "$keys" "$work/out" "$work/usb" "$work/cache.db"
mkdir -p "$keys" "$work/out" "$work/usb"
printf 'studio window test\n' >"$keys/password"
"$BIN" pack keygen -s "$keys/minisign.key" -p "$keys/minisign.pub" --password-file "$keys/password" >/dev/null

display=":$(( 400 + RANDOM % 100 ))"
Xvfb "$display" -screen 0 1920x1080x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null || true' EXIT
sleep 1

out="$work/out/rally.zip"
placards="$work/out/list-placards-a4.pdf"
script="pause=3s;export=$out;sign=$keys/minisign.key,$keys/password;copy=$work/usb;placards=a4,$placards;import;wall;pause=3s;quit"
log="$work/studio.log"
start=$(date +%s%N)
DISPLAY=$display KIOSK_STUDIO_SCRIPT="$script" timeout 600 "$BIN" studio --config "" --cache "$work/cache.db" --trusted-key "$keys/minisign.pub" "$list/list.csv" >"$log" 2>&1 &
studio=$!

# A screenshot during each pause: the spotlight first, then the wall.
shot() {
  local n=$1 pattern=$2
  for _ in $(seq 600); do
    if [ "$(grep -cE "$pattern" "$log" || true)" -ge "$n" ]; then
      sleep 1.5
      DISPLAY=$display xwd -root -silent | convert xwd:- "$work/$3.png"
      return
    fi
    sleep 0.2
  done
}
first_ms=""
for _ in $(seq 3000); do
  if grep -q 'studio preview on screen' "$log"; then
    first_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    break
  fi
  kill -0 $studio 2>/dev/null || break
  sleep 0.02
done
shot 1 'step="?pause=3s' spotlight
shot 2 'step="?pause=3s' wall
code=0
wait $studio || code=$?
if [ $code -ne 0 ]; then
  echo "kiosk studio failed (exit $code):"
  cat "$log"
  exit 1
fi

# Fyne's thread checker is on in this build: any complaint is a bug.
if grep -q 'Error in Fyne call thread\|WARNING: DATA RACE' "$log"; then
  echo "a Fyne call off the UI goroutine, or a data race:"
  grep -A20 'Error in Fyne call thread\|WARNING: DATA RACE' "$log" | head -60
  exit 1
fi
echo "studio window, $N people ($SIZE photos), Xvfb 1920x1080:"
since_open=$(grep -m1 'studio preview on screen' "$log" | grep -oE 'since_open=[^ ]+' | cut -d= -f2)
echo "  opening the spreadsheet to the first preview on screen: $since_open (the studio's log); ${first_ms} ms from process start"
grep -m1 'studio opened' "$log" | grep -oE 'people=[0-9]+ problems=[0-9]+ took=[^ ]+' | sed 's/^/  build and check: /'

verify() {
  "$BIN" pack verify --config "" --trusted-key "$keys/minisign.pub" --require-signed "$1"
}
verify "$out" | sed 's/^/  /'
verify "$work/usb/list.zip" | sed 's/^/  /'
# And a pack never signed is refused by the same command.
if "$BIN" pack verify --config "" --trusted-key "$keys/minisign.pub" --require-signed "$list" >/dev/null 2>&1; then
  echo "pack verify --require-signed accepted an unsigned pack"; exit 1
fi
"$BIN" pack list --config "" --cache "$work/cache.db" | sed 's/^/  /'
"$BIN" pack list --config "" --cache "$work/cache.db" | grep -q '^list .*yes' || { echo "the imported pack is not in the cache as signed"; exit 1; }

# The placards: one A4 page a person in the pack, as pdfinfo reads them.
people=$("$BIN" pack list --config "" --cache "$work/cache.db" | awk '$1 == "list" { print $3 }')
pages=$(pdfinfo "$placards" | awk '/^Pages:/ { print $2 }')
size=$(pdfinfo "$placards" | grep '^Page size:' | sed 's/^Page size: *//')
echo "  placards: $placards, $pages page(s) of $size for $people people"
grep -m1 'studio wrote placards' "$log" | sed 's/^/  /'
if [ -z "$people" ] || [ "$pages" != "$people" ] || [[ "$size" != *"(A4)"* ]]; then
  echo "want one A4 page a person: $pages page(s) of $size for $people people"; exit 1
fi
echo "  screenshots: $work/spotlight.png $work/wall.png"
echo "ok"
