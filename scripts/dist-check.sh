#!/usr/bin/env bash
# Checks what scripts/dist.sh wrote (issue 14, point 3), as CI runs it:
#   - each .deb's contents (dpkg-deb --contents) hold the files it must;
#   - lintian finds no errors (its warnings are printed, not fatal);
#   - the amd64 .deb installs here with dpkg -i, `kiosk --help` answers from
#     /usr/bin/kiosk, and the demo shows its first slide under Xvfb;
#     then the package is removed again (unless KEEP_INSTALLED=1);
#   - the tarballs and the Windows zip hold what they must, and kiosk.exe
#     carries the icon and version resources.
# Needs root (or sudo) for dpkg -i.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${OUT:-dist}"
export LANG=en_US.UTF-8
version="$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml | head -1)"
app_id="$(sed -n 's/^ *ID *= *"\(.*\)"/\1/p' FyneApp.toml | head -1)"
pkg=solidarity-kiosk
failures=0
fail() { echo "  FAIL: $*"; failures=$((failures + 1)); }
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT

for arch in amd64 arm64; do
  deb=$OUT/${pkg}_${version}-1_${arch}.deb
  [ -f "$deb" ] || { fail "$deb missing (make dist)"; continue; }
  echo "$deb:"
  dpkg-deb --contents "$deb" >"$work/contents"
  sed 's/^/    /' "$work/contents"
  for f in ./usr/bin/kiosk ./usr/share/applications/$app_id.desktop \
    ./usr/share/icons/hicolor/256x256/apps/$app_id.png ./usr/lib/systemd/user/solidarity-kiosk.service \
    ./usr/share/doc/$pkg/copyright ./usr/share/doc/$pkg/changelog.Debian.gz \
    ./usr/share/doc/$pkg/examples/solidarity-kiosk-autostart.desktop; do
    grep -q " $f\$" "$work/contents" || fail "$deb: no $f"
  done
  if grep -qE ' \./etc/xdg/autostart/| \./etc/systemd/' "$work/contents"; then
    fail "$deb enables something at install"
  fi
  echo "  control:"
  dpkg-deb --field "$deb" Package Version Architecture Depends | sed 's/^/    /'
  echo "  lintian:"
  rc=0
  LC_ALL=C.UTF-8 lintian --tag-display-limit 0 "$deb" 2>&1 | grep -v 'running with root privileges' >"$work/lintian" || rc=${PIPESTATUS[0]}
  sed 's/^/    /' "$work/lintian"
  [ -s "$work/lintian" ] || echo "    (nothing)"
  if grep -q '^E:' "$work/lintian"; then
    fail "$deb: lintian errors"
  elif [ "$rc" -ne 0 ] && ! grep -q '^[WIN]:' "$work/lintian"; then
    fail "$deb: lintian exit $rc"
  fi
done

# Install the amd64 package here and run it from /usr/bin.
deb=$OUT/${pkg}_${version}-1_amd64.deb
if [ -f "$deb" ]; then
  echo "dpkg -i $deb"
  if $sudo dpkg -i "$deb" >"$work/dpkg.log" 2>&1; then
    [ "$(command -v kiosk)" = /usr/bin/kiosk ] || fail "kiosk on PATH is $(command -v kiosk), not /usr/bin/kiosk"
    export HOME=$work/home XDG_CONFIG_HOME=$work/home/.config XDG_CACHE_HOME=$work/home/.cache
    mkdir -p "$HOME"
    rc=0
    /usr/bin/kiosk --help >"$work/help.out" 2>"$work/help.err" || rc=$?
    if grep -q 'kiosk pack' "$work/help.out" "$work/help.err"; then
      echo "  /usr/bin/kiosk --help: exit $rc, $(cat "$work/help.out" "$work/help.err" | wc -l) lines"
    else
      fail "/usr/bin/kiosk --help: exit $rc: $(head -3 "$work/help.err")"
    fi
    # The demo: a fresh user starts the show; its first slide has QR codes.
    display=":$(( 600 + RANDOM % 100 ))"
    Xvfb "$display" -screen 0 1280x720x24 -nolisten tcp >/dev/null 2>&1 &
    pids+=($!)
    sleep 1
    t0=$(date +%s.%N)
    DISPLAY=$display /usr/bin/kiosk --mode spotlight >"$work/demo.log" 2>&1 </dev/null &
    show=$!
    pids+=("$show")
    codes=""
    for _ in $(seq 120); do
      kill -0 "$show" 2>/dev/null || break
      if xwd -root -silent -display "$display" | convert xwd:- "$work/demo.png" 2>/dev/null; then
        codes=$(zbarimg -q --raw "$work/demo.png" 2>/dev/null || true)
        [ -n "$codes" ] && break
      fi
      sleep 0.5
    done
    kill "$show" 2>/dev/null || true
    wait "$show" 2>/dev/null || true
    if [ -n "$codes" ]; then
      printf '  demo from /usr/bin/kiosk: first slide after %.1f s, QR codes: %s\n' \
        "$(echo "$(date +%s.%N) - $t0" | bc -l)" "$(echo "$codes" | tr '\n' ' ')"
      [ -f "$HOME/.cache/solidarity-kiosk/cache.db" ] || fail "the demo wrote no ~/.cache/solidarity-kiosk/cache.db"
    else
      fail "demo from /usr/bin/kiosk: no QR code on screen within 60 s ($(tail -3 "$work/demo.log" | tr '\n' ' '))"
    fi
    if [ "${KEEP_INSTALLED:-0}" != 1 ]; then
      $sudo dpkg -r "$pkg" >/dev/null 2>&1 || fail "dpkg -r $pkg"
      [ ! -e /usr/bin/kiosk ] || fail "/usr/bin/kiosk still there after dpkg -r"
    fi
  else
    fail "dpkg -i $deb: $(tail -5 "$work/dpkg.log")"
  fi
fi

for arch in amd64 arm64; do
  t=$OUT/${pkg}_${version}_linux_${arch}.tar.xz
  [ -f "$t" ] || { fail "$t missing"; continue; }
  list=$(tar -tJf "$t")
  for f in $pkg/Makefile $pkg/usr/local/bin/kiosk $pkg/usr/local/share/applications/$app_id.desktop \
    $pkg/usr/local/share/pixmaps/$app_id.png; do
    grep -qx "$f" <<<"$list" || fail "$t: no $f"
  done
  echo "$t: $(grep -vc '/$' <<<"$list") files"
done

z=$OUT/${pkg}_${version}_windows_amd64.zip
if [ -f "$z" ]; then
  python3 - "$z" "$version" <<'PY' || fail "$z"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
names = z.namelist()
print(f"{sys.argv[1]}: {', '.join(names)}")
for want in ("solidarity-kiosk/kiosk.exe", "solidarity-kiosk/README-Windows.txt"):
    if want not in names:
        sys.exit(f"no {want}")
exe = z.read("solidarity-kiosk/kiosk.exe")
# VERSIONINFO is UTF-16: the product name and version, and an icon group.
ver = sys.argv[2].encode("utf-16-le")
if "Solidarity Kiosk".encode("utf-16-le") not in exe or ver not in exe:
    sys.exit("kiosk.exe has no version resource naming Solidarity Kiosk " + sys.argv[2])
if b"\x89PNG" not in exe and b"\x28\x00\x00\x00" not in exe:
    sys.exit("kiosk.exe has no icon image")
print("  kiosk.exe: version resource and icon present")
PY
else
  fail "$z missing"
fi

if [ "$failures" -gt 0 ]; then
  echo "dist-check.sh: $failures failure(s)"
  exit 1
fi
echo "dist-check.sh: all passed"
