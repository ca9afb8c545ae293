#!/usr/bin/env bash
# The kiosk given special files where it expects files, in real processes
# (issue 18, items 4 and 5): character devices (made with mknod inside a
# temporary folder, never under /dev), FIFOs and folders as outputs, as the
# cache, as the cache's position file and as the config; then SIGTERM and
# SIGINT during pack sign and poster, which must end within 1 s and leave
# no temporary file; and a leftover of a killed write, removed by the next.
#
# Usage: scripts/special-files.sh      (builds bin/kiosk unless BIN is set)
# Needs root for mknod (skips the device cases otherwise). Exits 1 on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
export LANG=en_US.UTF-8
if [ -z "${BIN:-}" ]; then
  BIN=bin/kiosk
  go build -o "$BIN" ./cmd/kiosk
fi
BIN=$(realpath "$BIN")
work=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_CACHE_HOME=$work/home/.cache
mkdir -p "$HOME"
failures=0
fail() { echo "  FAIL: $*"; failures=$((failures + 1)); }
pass() { echo "  ok: $*"; }
now_ms() { date +%s%3N; }

go run ./cmd/packgen -n 3 -size 1200x900 -csv -o "$work/pack" >/dev/null
(cd "$work/pack" && zip -qr "$work/pack.zip" .)

# run NAME WANT-EXIT-NONZERO(yes/no) COMMAND...: at most 10 s, output kept.
run() {
  local name=$1 want_fail=$2
  shift 2
  local start code=0
  start=$(now_ms)
  timeout -s KILL 10 "$@" >"$work/$name.out" 2>&1 || code=$?
  local ms=$(($(now_ms) - start))
  printf '  %-34s exit %3d in %5d ms  %s\n' "$name" "$code" "$ms" "$(grep -m1 -v '^time=' "$work/$name.out" | cut -c1-110)"
  [ "$code" -ne 137 ] || fail "$name hung (killed after 10 s)"
  if [ "$want_fail" = yes ] && [ "$code" -eq 0 ]; then fail "$name: exit 0, want a refusal"; fi
  if [ "$want_fail" = no ] && [ "$code" -ne 0 ]; then fail "$name: exit $code"; fi
  if grep -qE '^(panic: |fatal error: )' "$work/$name.out"; then fail "$name crashed"; fi
}

# same_node PATH TYPE: still a node of that type (c: character device 1,3; p: FIFO; d: folder).
same_node() {
  local path=$1 type=$2 what
  what=$(stat -c '%F %t,%T %a' "$path" 2>/dev/null || echo missing)
  case "$type" in
    c) [ "$what" = "character special file 1,3 666" ] ;;
    p) [[ "$what" == fifo* ]] ;;
    d) [[ "$what" == directory* ]] ;;
  esac || { fail "$path is now: $what (want $type)"; return; }
  local left
  left=$(find "$(dirname "$path")" -maxdepth 1 -name "$(basename "$path")*" ! -name "$(basename "$path")" | head -3)
  [ -z "$left" ] || fail "beside $path: $left"
}

echo "special files as outputs, cache, position file and config"
d=$work/nodes
mkdir -p "$d"
if mknod "$d/null" c 1 3 2>/dev/null; then
  chmod 666 "$d/null"
  run poster-out-device no "$BIN" poster --out "$d/null" "$work/pack.zip"
  same_node "$d/null" c
  run build-out-device no "$BIN" pack build --from "$work/pack/list.csv" --photos "$work/pack/photos" -o "$d/null"
  same_node "$d/null" c
  run import-cache-device yes "$BIN" pack import --cache "$d/null" "$work/pack.zip"
  same_node "$d/null" c
  grep -q "character device" "$work/import-cache-device.out" || fail "import-cache-device does not say what the cache is"
else
  echo "  (not root: the device cases are skipped)"
fi
mkdir -p "$d/folder" && touch "$d/folder/keep"
run cache-is-folder yes "$BIN" pack list --cache "$d/folder"
same_node "$d/folder" d
[ -e "$d/folder/keep" ] || fail "the folder given as the cache lost its file"
grep -q "a directory" "$work/cache-is-folder.out" || fail "cache-is-folder does not say it is a directory"
mkfifo "$d/fifo-cache"
run cache-is-fifo yes "$BIN" pack list --cache "$d/fifo-cache"
same_node "$d/fifo-cache" p
mkfifo "$d/fifo-config"
run config-is-fifo yes "$BIN" pack list --config "$d/fifo-config" --cache "$work/cache.db"
same_node "$d/fifo-config" p
mkfifo "$d/fifo-out"
run poster-out-fifo-no-reader yes "$BIN" poster --out "$d/fifo-out" "$work/pack.zip"
same_node "$d/fifo-out" p
run poster-out-stdout no sh -c "'$BIN' poster --out - '$work/pack.zip' > '$work/stdout.pdf'"
head -c 5 "$work/stdout.pdf" | grep -q '%PDF-' || fail "poster --out - did not write a PDF to standard output"
# The position file: the show reads it at start; a FIFO there must not
# hold the show (the pack commands must not touch it either).
run import-for-position no "$BIN" pack import --cache "$work/cache.db" "$work/pack.zip"
mkfifo "$work/cache.db.position"
run list-with-fifo-position no "$BIN" pack list --cache "$work/cache.db"
same_node "$work/cache.db.position" p

echo "signals: pack sign and poster end within 1 s and leave no temporary file"
printf '\n' | "$BIN" pack keygen --no-password -s "$work/k.key" -p "$work/k.pub" >/dev/null 2>&1 ||
  "$BIN" pack keygen --no-password -s "$work/k.key" -p "$work/k.pub"
# A big zip (7 extra files of 60 MB, each under the per-file limit):
# signing copies it whole.
for i in 1 2 3 4 5 6 7; do head -c 60000000 /dev/urandom >"$work/pack/filler$i.bin"; done
(cd "$work/pack" && zip -q0r "$work/big.zip" .)
rm "$work/pack"/filler*.bin
# Many large photos: the poster prepares them for over a second.
go run ./cmd/packgen -n 48 -size 3000x2000 -o "$work/photos-pack" >/dev/null
signal_case() { # name signal delay-ms target-folder command...
  local name=$1 sig=$2 delay=$3 folder=$4
  shift 4
  "$@" >"$work/$name.out" 2>&1 &
  local pid=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  if ! kill -0 "$pid" 2>/dev/null; then fail "$name had ended before the signal"; wait "$pid" || true; return; fi
  local start code=0
  start=$(now_ms)
  kill -s "$sig" "$pid"
  wait "$pid" || code=$?
  local ms=$(($(now_ms) - start))
  local left
  left=$(find "$folder" -maxdepth 1 -name '.*.tmp' | head -3)
  printf '  %-34s %-4s exit %3d in %4d ms; temporary files left: %s\n' "$name" "$sig" "$code" "$ms" "${left:-none}"
  [ "$ms" -le 1000 ] || fail "$name ended $ms ms after $sig"
  [ -z "$left" ] || fail "$name left $left"
}
for sig in TERM INT; do
  signal_case "sign-$sig" "$sig" 300 "$work" "$BIN" pack sign -s "$work/k.key" "$work/big.zip"
done
for sig in TERM INT; do
  signal_case "poster-$sig" "$sig" 700 "$work" "$BIN" poster --out "$work/rally.pdf" "$work/photos-pack"
done

echo "a leftover of a killed write is removed by the next write"
sh -c 'exit 0' & dead=$!
wait $dead
leftover="$work/.rally.pdf.$dead.12345.tmp"
echo half >"$leftover"
run poster-after-kill no "$BIN" poster --out "$work/rally.pdf" "$work/pack.zip"
[ ! -e "$leftover" ] || fail "the leftover $leftover is still there"

if [ $failures -gt 0 ]; then
  echo "special-files.sh: $failures failure(s)"
  exit 1
fi
echo "special-files.sh: every special file refused or written through, nothing replaced or moved, no temporary file left"
