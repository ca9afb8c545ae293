#!/usr/bin/env bash
# Installs the Debian packages the kiosk needs to build, run and test.
# Usage: scripts/install-deps.sh [build|test|bench|cross|dist|emulated]   (default: build)
#   cross:    + the arm64 and mingw cross compilers and the :arm64 libraries
#             (adds the arm64 architecture to dpkg) for scripts/cross.sh
#   dist:     cross + lintian and dpkg-dev, for scripts/dist.sh
#   emulated: test + dist + qemu-user-static, Wine and the :arm64 Mesa, for
#             scripts/emulated.sh
# Uses sudo when not root; skips apt entirely when everything is present.
set -euo pipefail

build=(make gcc pkg-config libgl1-mesa-dev xorg-dev libturbojpeg0-dev libwebp-dev)
test=(xvfb zip tesseract-ocr poppler-utils x11-apps x11-xserver-utils zbar-tools imagemagick minisign nginx-light util-linux xdotool webp python3-zxing-cpp libjpeg-turbo-progs libimage-exiftool-perl)
bench=(libvips-tools time bc feh)
# linux/arm64 (Raspberry Pi OS 64-bit) and windows/amd64 from this machine.
cross=(bc gcc-aarch64-linux-gnu libc6-dev-arm64-cross gcc-mingw-w64-x86-64
  libgl1-mesa-dev:arm64 libx11-dev:arm64 libxcursor-dev:arm64 libxrandr-dev:arm64 libxinerama-dev:arm64
  libxi-dev:arm64 libxxf86vm-dev:arm64 libturbojpeg0-dev:arm64 libwebp-dev:arm64)
dist=(lintian dpkg-dev xz-utils python3)
emulated=(qemu-user-static libgl1-mesa-dri:arm64 wine64 x11-utils)

case "${1:-build}" in
  build) want=("${build[@]}") ;;
  test) want=("${build[@]}" "${test[@]}") ;;
  bench) want=("${build[@]}" "${test[@]}" "${bench[@]}") ;;
  cross) want=("${build[@]}" "${cross[@]}") ;;
  dist) want=("${build[@]}" "${cross[@]}" "${dist[@]}") ;;
  emulated) want=("${build[@]}" "${test[@]}" "${cross[@]}" "${dist[@]}" "${emulated[@]}") ;;
  *) echo "usage: $0 [build|test|bench|cross|dist|emulated]" >&2; exit 2 ;;
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
case " ${missing[*]}" in
  *:arm64*) dpkg --print-foreign-architectures | grep -qx arm64 || $sudo dpkg --add-architecture arm64 ;;
esac
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
