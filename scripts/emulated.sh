#!/usr/bin/env bash
# Proof that the cross-built kiosks run (issue 14, point 2): the linux/arm64
# binary under qemu-user-static and the windows/amd64 one under Wine give
# the same answers as the native linux/amd64 binary to `pack verify`,
# `pack import` and `pack list` on test packs (stdout and exit code
# compared after the paths are made alike), and each shows its first slide
# under Xvfb: a screenshot (xwd, convert) decodes with zbarimg to the
# person's QR codes. Prints the time from start to that first slide.
#
#   scripts/emulated.sh               # arm64 and windows (make cross first)
#   scripts/emulated.sh arm64         # one of them
#   BINDIR=bin/cross scripts/emulated.sh
#
# Needs what `scripts/install-deps.sh emulated` installs: qemu-user-static,
# the :arm64 runtime libraries (Mesa for GL), wine64, the mingw compiler
# (for the ProcessPrng stub below), Xvfb, xwd, ImageMagick, zbar-tools.
set -euo pipefail
cd "$(dirname "$0")/.."
BINDIR="${BINDIR:-bin/cross}"
which=("${@:-arm64 windows}")
read -r -a which <<<"${which[*]}"
SCREEN="${SCREEN:-1280x720}"
FIRST_SLIDE_LIMIT="${FIRST_SLIDE_LIMIT:-240}" # seconds, per emulated show
export LANG=en_US.UTF-8

native=$(realpath "$BINDIR/kiosk-linux-amd64")
arm=$(realpath "$BINDIR/kiosk-linux-arm64" 2>/dev/null || true)
win=$(realpath "$BINDIR/kiosk-windows-amd64.exe" 2>/dev/null || true)
[ -x "$native" ] || { echo "emulated.sh: $BINDIR/kiosk-linux-amd64 missing: run make cross" >&2; exit 2; }

work=$(mktemp -d /tmp/kiosk-emulated.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [ -n "${WINEPREFIX:-}" ] && [ -d "$WINEPREFIX" ] && "$wineserver" -k 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_CACHE_HOME=$work/home/.cache
mkdir -p "$HOME"
failures=0
fail() { echo "  FAIL: $*"; failures=$((failures + 1)); }

# ---- test packs, made with the native tools ------------------------------
packs=$work/packs
mkdir -p "$packs"
go build -o "$work/packgen" ./cmd/packgen
"$work/packgen" -n 3 -size 1200x900 -id emu-three -o "$packs/three" >/dev/null
# The same pack as a zip (pack.json at the root).
python3 - "$packs/three" "$packs/three.zip" <<'PY'
import os, sys, zipfile
src, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for root, _, files in sorted(os.walk(src)):
        for f in sorted(files):
            p = os.path.join(root, f)
            z.write(p, os.path.relpath(p, src))
PY
# A damaged copy: one photo's bytes changed, so its hash no longer matches.
cp -r "$packs/three" "$packs/tampered"
photo=$(find "$packs/tampered/photos" -type f | sort | head -1)
printf 'x' | dd of="$photo" bs=1 seek=200 conv=notrunc status=none
# One person with two links: the slide shows their QR codes.
mkdir -p "$packs/qr/photos"
convert -size 900x1200 gradient:'#e8e4dc'-'#b8b4ac' "$packs/qr/photos/p.jpg"
hash="sha256:$(sha256sum "$packs/qr/photos/p.jpg" | cut -d' ' -f1)"
cat >"$packs/qr/pack.json" <<JSON
{"format":1,"id":"emu-qr","version":"1","title":"Emulated run","publisher":{"name":"tests"},"published":"2024-05-20",
 "languages":["en"],"allowed_link_hosts":["example.org"],"files":{"photos/p.jpg":"$hash"},
 "people":[{"id":"p","name":"Test Person","country":"BY","status":"in_custody","arrested":"2022-03-15","photo":"photos/p.jpg",
   "links":[{"kind":"letter","url":"https://example.org/letters/p"},{"kind":"petition","url":"https://example.org/petition/p"}]}]}
JSON
want_codes=$'https://example.org/letters/p\nhttps://example.org/petition/p'

# ---- runners ---------------------------------------------------------------
run_native() { "$native" "$@"; }
# The :arm64 libraries and loader come from Debian's multiarch packages
# (/lib/ld-linux-aarch64.so.1); with -L /usr/aarch64-linux-gnu (the cross
# compiler's libc) a cgo binary spun at 100% CPU here and never started.
run_arm64() { qemu-aarch64-static "$arm" "$@"; }
wine64=/usr/lib/wine/wine64
wineserver=/usr/lib/wine/wineserver
run_windows() { "$wine64" "$win" "$@"; }

setup_wine() {
  export WINEPREFIX=$work/wine WINEDEBUG=-all WINEARCH=win64
  # No Mono or Gecko installer prompts; the stub below for bcryptprimitives.
  export WINEDLLOVERRIDES="mscoree,mshtml=;bcryptprimitives=n"
  local t0=$(date +%s)
  DISPLAY= "$wine64" wineboot -i >/dev/null 2>&1 || true
  # Go >= 1.22 loads ProcessPrng from bcryptprimitives.dll, which Wine 8 does
  # not have (docs: shared PITFALLS): a stub that fills the buffer with
  # RtlGenRandom, for this emulated test only; Windows has the real DLL.
  cat >"$work/prng.c" <<'C'
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
    if (!SystemFunction036(data, n)) return FALSE;
    data += n; len -= n;
  }
  return TRUE;
}
C
  x86_64-w64-mingw32-gcc -shared -O2 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
    "$work/prng.c" -ladvapi32
  echo "  wine prefix ready in $(( $(date +%s) - t0 )) s"
}

# norm makes the answers of the three binaries comparable: Wine shows the
# same files as Z:\tmp\…; import times and dates differ from run to run;
# the cache's size on disk differs with the JPEG encoder (libjpeg-turbo's
# SIMD on amd64 and arm64, Go's on Windows), so it is not compared. A path
# a hint quotes for the shell (Z:\… needs quotes, /tmp/… does not) is
# compared without its quotes.
norm() {
  sed -E -e 's#[Zz]:\\#/#g' -e 's#\\#/#g' -e "s#$work#WORK#g" \
    -e 's#[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?#DATE#g' \
    -e 's#[0-9]+(\.[0-9]+)?(ms|s|µs)\b#T#g' \
    -e 's#[0-9.]+ [kMG]B on disk#SIZE on disk#' -e 's#WORK/cache-[a-z0-9]+\.db#WORK/CACHE#g' \
    -e "s#'(WORK[^' ]*)'#\\1#g"
}

# answers RUNNER NAME: the pack commands, each as "rc" then normalised stdout.
answers() {
  local runner=$1 name=$2 out=$work/answers-$2
  local cache=$work/cache-$name.db
  mkdir -p "$out"
  local i=0
  while read -r line; do
    i=$((i + 1))
    read -r -a cmd <<<"$line"
    cmd=("${cmd[@]//CACHE/$cache}")
    cmd=("${cmd[@]//PACKS/$packs}")
    local rc=0
    "$runner" "${cmd[@]}" >"$out/$i.stdout" 2>"$out/$i.stderr" </dev/null || rc=$?
    { echo "\$ kiosk $line"; echo "exit $rc"; norm <"$out/$i.stdout"; } >>"$out/all.txt"
  done <<'CMDS'
pack verify PACKS/three
pack verify PACKS/three.zip
pack verify PACKS/tampered
pack verify PACKS/qr
pack import --cache CACHE --screen-size 1280x720 PACKS/three.zip PACKS/qr
pack import --cache CACHE --screen-size 1280x720 PACKS/tampered
pack list --cache CACHE
CMDS
}

# first_slide RUNNER NAME: imports the QR pack into a fresh cache, starts the
# show under its own Xvfb and polls the screen until zbarimg reads the
# person's codes; prints the seconds from start to then.
first_slide() {
  local runner=$1 name=$2 cache=$work/show-$2.db
  "$runner" pack import --cache "$cache" --screen-size "$SCREEN" "$packs/qr" >/dev/null 2>&1 </dev/null ||
    { fail "$name: import of the QR pack failed"; return; }
  local display=":$(( 400 + RANDOM % 200 ))"
  Xvfb "$display" -screen 0 "${SCREEN}x24" -nolisten tcp >/dev/null 2>&1 &
  local xvfb=$!
  pids+=("$xvfb")
  for _ in $(seq 50); do xdpyinfo -display "$display" >/dev/null 2>&1 && break; sleep 0.1; done
  local t0 t1 found="" shot=$work/shot-$name.png log=$work/show-$name.log
  # Wine: a wineserver (and its desktop process) left from the commands
  # above was started without a display; GLFW then fails to create its
  # helper window ("Resource type not found"). The show starts a new one.
  [ "$name" = windows ] && { "$wineserver" -k 2>/dev/null || true; "$wineserver" -w 2>/dev/null || true; }
  t0=$(date +%s.%N)
  DISPLAY=$display "$runner" --cache "$cache" --mode spotlight >"$log" 2>&1 </dev/null &
  local show=$!
  pids+=("$show")
  while :; do
    t1=$(date +%s.%N)
    if ! kill -0 "$show" 2>/dev/null; then
      fail "$name: the show ended before its first slide; its log:"
      head -20 "$log" | sed 's/^/    /'
      break
    fi
    if [ "$(echo "$t1 - $t0 > $FIRST_SLIDE_LIMIT" | bc)" = 1 ]; then
      fail "$name: no QR code on screen after ${FIRST_SLIDE_LIMIT} s"
      break
    fi
    if xwd -root -silent -display "$display" 2>/dev/null | convert xwd:- "$shot" 2>/dev/null; then
      found=$(zbarimg -q --raw "$shot" 2>/dev/null | sort -u || true)
      if [ -n "$found" ]; then
        t1=$(date +%s.%N)
        break
      fi
    fi
    sleep 0.3
  done
  kill "$show" 2>/dev/null || true
  wait "$show" 2>/dev/null || true
  kill "$xvfb" 2>/dev/null || true
  wait "$xvfb" 2>/dev/null || true
  [ -z "$found" ] && return
  local extra
  extra=$(comm -23 <(echo "$found") <(echo "$want_codes"))
  if [ -n "$extra" ] || [ "$found" != "$want_codes" ]; then
    fail "$name: the screenshot decodes to: $(echo "$found" | tr '\n' ' '); want $(echo "$want_codes" | tr '\n' ' ')"
    return
  fi
  cp "$shot" "${SHOTS:-$work}/first-slide-$name.png" 2>/dev/null || true
  printf '  %s: first slide (both QR codes read) %.1f s after start\n' "$name" "$(echo "$t1 - $t0" | bc -l)"
}

echo "native linux/amd64: $native"
answers run_native native
first_slide run_native native

for w in "${which[@]}"; do
  case "$w" in
    arm64)
      [ -n "$arm" ] || { fail "arm64: $BINDIR/kiosk-linux-arm64 missing"; continue; }
      echo "linux/arm64 under qemu-user-static: $arm"
      runner=run_arm64 ;;
    windows)
      [ -n "$win" ] || { fail "windows: $BINDIR/kiosk-windows-amd64.exe missing"; continue; }
      echo "windows/amd64 under $("$wine64" --version 2>/dev/null): $win"
      setup_wine
      runner=run_windows ;;
    *) echo "emulated.sh: arm64 or windows, not $w" >&2; exit 2 ;;
  esac
  t0=$(date +%s)
  answers "$runner" "$w"
  if diff -u "$work/answers-native/all.txt" "$work/answers-$w/all.txt" >"$work/diff-$w.txt"; then
    echo "  pack verify/import/list: the same answers as native ($(grep -c '^\$' "$work/answers-$w/all.txt") commands, $(( $(date +%s) - t0 )) s)"
  else
    fail "$w: answers differ from native:"
    cat "$work/diff-$w.txt"
  fi
  first_slide "$runner" "$w"
  if [ "$w" = windows ]; then
    # Where a Windows user's cache lands: os.UserCacheDir, i.e. %LocalAppData%.
    "$runner" pack import --screen-size "$SCREEN" "$packs/qr" >/dev/null 2>&1 </dev/null || true
    found=$(cd "$WINEPREFIX/drive_c" && find . -name 'cache.db' -path '*AppData*' | head -1)
    if [ -n "$found" ]; then
      echo "  default cache under Wine: C:${found#.}" | tr '/' '\\'
    else
      fail "windows: no cache.db under AppData after an import without --cache"
      (cd "$WINEPREFIX/drive_c" && find . -name 'cache.db*' | head)
    fi
  fi
done

echo "native answers:"
sed 's/^/    /' "$work/answers-native/all.txt"
if [ "$failures" -gt 0 ]; then
  echo "emulated.sh: $failures failure(s)"
  exit 1
fi
echo "emulated.sh: all passed"
