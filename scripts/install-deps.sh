#!/usr/bin/env bash
# Installs the Debian packages the kiosk needs to build, run and test.
# Usage: scripts/install-deps.sh [build|test|bench]   (default: build)
# Uses sudo when not root; skips apt entirely when everything is present.
set -euo pipefail

build=(make gcc pkg-config libgl1-mesa-dev xorg-dev libturbojpeg0-dev libwebp-dev)
test=(xvfb poppler-utils x11-apps x11-xserver-utils zbar-tools imagemagick minisign nginx-light util-linux xdotool webp python3-zxing-cpp libjpeg-turbo-progs libimage-exiftool-perl)
bench=(libvips-tools time bc feh)

case "${1:-build}" in
  build) want=("${build[@]}") ;;
  test) want=("${build[@]}" "${test[@]}") ;;
  bench) want=("${build[@]}" "${test[@]}" "${bench[@]}") ;;
  *) echo "usage: $0 [build|test|bench]" >&2; exit 2 ;;
esac

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "installing Debian packages: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
