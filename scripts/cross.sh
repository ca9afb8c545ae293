#!/usr/bin/env bash
# Builds the kiosk for every platform it ships on, from this Debian machine:
#
#   linux/amd64    native gcc; libturbojpeg and libwebp through cgo
#   linux/arm64    aarch64-linux-gnu-gcc with Debian's multiarch :arm64
#                  libraries (Raspberry Pi OS 64-bit); the same C libraries
#   windows/amd64  x86_64-w64-mingw32-gcc; Debian has no mingw libturbojpeg
#                  or libwebp, so the pure-Go JPEG and WebP paths are chosen
#                  at build time (GOOS=windows selects jpeg_pure.go and
#                  webp_pure.go in internal/imageprep)
#
#   scripts/cross.sh                         # all three into bin/cross/
#   TARGETS="linux/arm64" scripts/cross.sh   # one
#
# Release builds: -tags migrated_fynedo (see Makefile release), stripped,
# the version from FyneApp.toml stamped into main.version. No -trimpath: it
# changes every package's build-cache key, and the linux/amd64 build would
# then compile the cgo GL and GLFW packages again (minutes, cold) instead of
# reusing those of `make build` and the tests.
# scripts/install-deps.sh cross installs the compilers and libraries.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGETS="${TARGETS:-linux/amd64 linux/arm64 windows/amd64}"
OUT="${OUT:-bin/cross}"
GO="${GO:-go}"
WINRES=github.com/tc-hib/go-winres@v0.3.3
version="${VERSION:-$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml | head -1)}"
build="$(sed -n 's/^ *Build *= *\([0-9]*\)/\1/p' FyneApp.toml | head -1)"
ldflags="-s -w -X main.version=$version"
mkdir -p "$OUT"

for t in $TARGETS; do
  os="${t%/*}" arch="${t#*/}"
  exe="$OUT/kiosk-$os-$arch"
  env=(GOOS="$os" GOARCH="$arch" CGO_ENABLED=1)
  tags="migrated_fynedo"
  case "$t" in
    linux/amd64) env+=(CC=gcc) ;;
    linux/arm64)
      env+=(CC=aarch64-linux-gnu-gcc PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig
        PKG_CONFIG_PATH=) ;;
    windows/amd64)
      exe="$exe.exe"
      # A console program, not -H windowsgui: 'kiosk pack import' and the
      # other commands must print in cmd and PowerShell. Started from its
      # shortcut, the fullscreen show covers the console (README-Windows.txt).
      env+=(CC=x86_64-w64-mingw32-gcc)
      # The icon, version and manifest: go-winres writes them as a .syso
      # that go build links into cmd/kiosk for GOOS=windows only (no go.mod
      # change; removed again after the build).
      syso=cmd/kiosk/rsrc_windows_amd64.syso
      trap 'rm -f "$syso"' EXIT
      "$GO" run "$WINRES" simply --arch amd64 --out cmd/kiosk/rsrc --manifest gui \
        --icon assets/icon.png --product-name "Solidarity Kiosk" --file-description "Solidarity Kiosk" \
        --product-version "$version" --file-version "$version.${build:-0}" \
        --original-filename kiosk.exe --copyright "Solidarity Kiosk contributors" ;;
    *) echo "cross.sh: unknown target $t" >&2; exit 2 ;;
  esac
  start=$(date +%s)
  echo "building $exe" >&2
  env "${env[@]}" "$GO" build -tags "$tags" -ldflags "$ldflags" -o "$exe" ./cmd/kiosk
  [ "$os" = windows ] && rm -f cmd/kiosk/rsrc_windows_amd64.syso
  printf '%-32s %6.1f MB  %ds\n' "$exe" "$(echo "$(stat -c %s "$exe") / 1048576" | bc -l)" "$(( $(date +%s) - start ))" >&2
done
