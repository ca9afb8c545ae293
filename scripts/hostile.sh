#!/usr/bin/env bash
# Runs the kiosk on every hostile input of internal/pack/hostile (manifests
# nested 100,000 deep, limits ± 1, zips with too many entries or lying
# sizes, oversized signatures and key files, huge spreadsheets) and checks
# that each is refused or accepted as the case says, within 10 s and
# 300 MB of peak memory, without a crash. Then it sends SIGTERM or SIGINT to
# commands mid-run and checks that they end within 1 s.
#
# Usage: scripts/hostile.sh            (builds bin/kiosk unless BIN is set)
# Prints per case: name, exit code, wall time, peak RSS, the first line of
# the answer. Exits 1 when any case fails.
set -euo pipefail
cd "$(dirname "$0")/.."
# Fyne, linked into the kiosk, logs an error for the C locale at start.
export LANG=en_US.UTF-8

TIME_LIMIT_MS=10000 # per case
RSS_LIMIT_KB=292969 # 300 MB, in KiB as ru_maxrss counts
SIGNAL_LIMIT_MS=1000
# A backstop only, so a runaway cannot take the machine: the kiosk (Go and
# the toolkit's libraries) reserves about 1.9 GB of address space, so the
# address-space limit cannot be the 300 MB one; peak RSS, measured, is.
# At 3 GiB a runaway dies with about 1 GB resident.
AS_LIMIT=$((3 << 30))

for tool in prlimit timeout; do
  command -v "$tool" >/dev/null || { echo "hostile.sh: $tool is needed (Debian: util-linux, coreutils)" >&2; exit 2; }
done

if [ -z "${BIN:-}" ]; then
  BIN=bin/kiosk
  go build -o "$BIN" ./cmd/kiosk
fi
BIN=$(realpath "$BIN")

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpus=$work/corpus
# hostilegen writes the corpus, and measures peak memory as
# /usr/bin/time -f %M would (ru_maxrss of the command and its children).
go build -o "$work/hostilegen" ./cmd/hostilegen
"$work/hostilegen" -o "$corpus"
# The kiosk's config and cache stay inside the work folder.
export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_CACHE_HOME=$work/home/.cache
mkdir -p "$HOME"
common=(--cache "$work/cache.db")

now_ms() { date +%s%3N; }

# first_line prints the first line of an answer worth showing: a problem,
# else an error, else the first line that is not a log line.
first_line() {
  local line
  line=$(grep -m1 -E '^  ' "$1" || grep -m1 -E '^kiosk' "$1" || grep -m1 -vE '^(time=|[0-9]{4}/[0-9]{2}/[0-9]{2} )' "$1" || true)
  line=${line#  }
  printf '%.110s' "$line"
}

failures=0
fail() { echo "  FAIL: $*"; failures=$((failures + 1)); }

printf '%-36s %4s %8s %8s  %s\n' CASE EXIT TIME PEAK ANSWER
declare -A figures
# Tabs become \037 first: read would merge two tabs around an empty field.
while IFS=$'\037' read -r name command exit_want want avoid args; do
  [[ -z "$name" || "$name" == \#* ]] && continue
  argv=()
  for a in $args; do argv+=("${a//\$D/$corpus}"); done
  case "$command" in
    verify) cmd=("$BIN" pack verify "${common[@]}" "${argv[@]}") ;;
    build) cmd=("$BIN" pack build "${argv[@]}" -o "$work/out-$name.zip") ;;
    *) echo "hostile.sh: unknown command $command in $name" >&2; exit 2 ;;
  esac
  out=$work/out-$name.txt
  start=$(now_ms)
  set +e
  # --foreground: timeout kills the kiosk alone and waits for it, so its
  # memory is counted (without it, timeout kills its whole group, itself too).
  "$work/hostilegen" -maxrss "$work/rss" -- \
    timeout --foreground -s KILL $((TIME_LIMIT_MS / 1000 + 2)) \
    prlimit --as=$AS_LIMIT -- "${cmd[@]}" >"$out" 2>&1
  code=$?
  set -e
  ms=$(($(now_ms) - start))
  rss=$(grep -E '^[0-9]+$' "$work/rss" | tail -1 || echo 0)
  printf '%-36s %4s %6dms %6dMB  %s\n' "$name" "$code" "$ms" "$((rss / 1024))" "$(first_line "$out")"
  figures[$name]="$ms ms, $((rss / 1024)) MB"
  if grep -qE '^(panic: |fatal error: |goroutine [0-9]+ \[)' "$out"; then
    fail "$name crashed:"; grep -m3 -E '^(panic|fatal error)' "$out" | sed 's/^/    /'
  fi
  [ "$code" -eq "$exit_want" ] || fail "$name: exit code $code, want $exit_want"
  [ "$ms" -le $TIME_LIMIT_MS ] || fail "$name: took $ms ms; the limit is $TIME_LIMIT_MS"
  [ "$rss" -le $RSS_LIMIT_KB ] || fail "$name: peak RSS $((rss / 1024)) MiB; the limit is 300 MB"
  if [ -n "$want" ] && ! grep -qF -- "$want" "$out"; then fail "$name: the answer lacks: $want"; fi
  if [ -n "$avoid" ] && grep -qF -- "$avoid" "$out"; then fail "$name: the answer must not hold: $avoid"; fi
done < <(tr '\t' '\037' <"$corpus/cases.tsv")

# Signals: each command runs, gets the signal after a delay while still
# running, and must be gone within 1 s, without a crash. A command that
# may finish first (the deepest input is refused in milliseconds) passes
# when it did; the others must still be running when the signal comes.
echo
echo "signals (the command must end within ${SIGNAL_LIMIT_MS} ms of the signal)"
go run ./cmd/packgen -n 48 -size 3000x2000 -o "$work/photos-pack" >"$work/packgen.log" 2>&1 || { cat "$work/packgen.log"; exit 2; }
signal_case() { # name signal delay-ms may-finish-first command...
  local name=$1 sig=$2 delay=$3 may_finish=$4
  shift 4
  local out=$work/sig-$name.txt
  "$@" >"$out" 2>&1 &
  local pid=$!
  sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
  if ! kill -0 "$pid" 2>/dev/null; then
    local code=0
    wait "$pid" || code=$?
    printf '%-36s %-4s after %4d ms: had ended, exit %d  %s\n' "$name" "$sig" "$delay" "$code" "$(first_line "$out")"
    [ "$may_finish" = yes ] || fail "$name: finished before the signal (after $delay ms): nothing measured"
    return
  fi
  local start
  start=$(now_ms)
  kill -s "$sig" "$pid"
  local code=0
  wait "$pid" || code=$?
  local ms=$(($(now_ms) - start))
  local note=""
  # "kiosk: stopped": the command did not wind down by itself and the
  # kiosk's grace period (800 ms) ended it; a command whose context reaches
  # every loop ends at once, with exit code 1.
  if grep -q '^kiosk: stopped' "$out"; then note=" (ended by the grace period, not by its context)"; fi
  printf '%-36s %-4s after %4d ms: exit %3d in %4d ms%s  %s\n' "$name" "$sig" "$delay" "$code" "$ms" "$note" "$(first_line "$out")"
  if grep -qE '^(panic: |fatal error: )' "$out"; then fail "$name crashed"; fi
  [ "$ms" -le $SIGNAL_LIMIT_MS ] || fail "$name: ended $ms ms after $sig; the limit is $SIGNAL_LIMIT_MS"
}
signal_case deepest-input TERM 5 yes "$BIN" pack verify "${common[@]}" "$corpus/issue10-deep-arrays"
signal_case slowest-manifest TERM 500 no "$BIN" pack verify "${common[@]}" "$corpus/most-text-entries"
signal_case largest-valid-pack TERM 300 no "$BIN" pack verify "${common[@]}" "$corpus/largest-valid"
signal_case pack-with-photos TERM 1500 no "$BIN" pack verify "${common[@]}" "$work/photos-pack"
signal_case import-with-photos INT 1500 no "$BIN" pack import "${common[@]}" "$work/photos-pack"
signal_case build-most-rows INT 150 no "$BIN" pack build --from "$corpus/csv-rows-at-limit.csv" -o "$work/built.zip"

echo
echo "figures (wall time, peak RSS):"
for f in "issue10-deep-arrays:the deepest, issue 10: 100,000 [ then 100,000 ]" \
  "deep-objects:100,000 nested objects" \
  "largest-valid:the largest valid manifest, 10,000 people, 15.6 MB" \
  "most-text-entries:the slowest manifest, 900,000 texts, 15 MB" \
  "string-16mib:one 16 MB string" \
  "zip-entries-at-limit:a zip of 100,000 entries" \
  "csv-one-huge-line:a CSV of one 60 MB line" \
  "csv-rows-at-limit:a CSV of 20,000 rows"; do
  printf '  %-60s %s\n' "${f#*:}" "${figures[${f%%:*}]:-not run}"
done
if [ $failures -gt 0 ]; then
  echo "hostile.sh: $failures failure(s)"
  exit 1
fi
echo "hostile.sh: every case answered as it should, within 10 s and 300 MB"
