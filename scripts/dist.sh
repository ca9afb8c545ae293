#!/usr/bin/env bash
# Packages the cross-built kiosks (scripts/cross.sh) the way each platform
# installs software (issue 14, point 3). Writes under dist/:
#
#   solidarity-kiosk_VERSION-1_amd64.deb, …_arm64.deb
#       /usr/bin/kiosk, a .desktop entry and the icon under /usr/share, the
#       systemd user unit in /usr/lib/systemd/user (not enabled), an
#       autostart entry as an example in /usr/share/doc (not enabled);
#       Depends computed by dpkg-shlibdeps from the binary's libraries.
#       Built with dpkg-deb as root:root, no debhelper.
#   solidarity-kiosk_VERSION_linux_{amd64,arm64}.tar.xz
#       the layout `fyne package -os linux` makes: usr/local/bin,
#       usr/local/share/applications, usr/local/share/pixmaps and a Makefile
#       whose `make install` copies them (PREFIX=/usr/local, DESTDIR).
#   solidarity-kiosk_VERSION_windows_amd64.zip
#       kiosk.exe (icon, version and manifest linked in by cross.sh) and
#       README-Windows.txt.
#
#   scripts/dist.sh          (after make cross; BINDIR=bin/cross)
set -euo pipefail
cd "$(dirname "$0")/.."
BINDIR="${BINDIR:-bin/cross}"
OUT="${OUT:-dist}"
version="${VERSION:-$(sed -n 's/^ *Version *= *"\(.*\)"/\1/p' FyneApp.toml | head -1)}"
app_id="$(sed -n 's/^ *ID *= *"\(.*\)"/\1/p' FyneApp.toml | head -1)"
pkg=solidarity-kiosk
debrev=1
maint="Solidarity Kiosk maintainers <kiosk@solidarity-kiosk.org>"
homepage="$(sed -n 's/^ *Website *= *"\(.*\)"/\1/p' FyneApp.toml | head -1)"
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}"
mkdir -p "$OUT"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

desktop_entry() { # $1: Exec, $2: Icon
  cat <<EOF
[Desktop Entry]
Type=Application
Name=Solidarity Kiosk
GenericName=Portrait exhibit
Comment=Fullscreen exhibit of political prisoners' portraits with ways to help each
Exec=$1
Icon=$2
Terminal=false
Categories=Education;Viewer;
Keywords=kiosk;exhibit;portraits;political prisoners;signage;
EOF
}

deb() { # $1: Debian architecture, $2: binary
  local arch=$1 bin=$2 root=$work/deb-$1
  local doc=$root/usr/share/doc/$pkg
  rm -rf "$root"
  install -d -m 0755 "$root/DEBIAN" "$root/usr/bin" "$root/usr/share/applications" \
    "$root/usr/share/icons/hicolor/256x256/apps" "$root/usr/lib/systemd/user" "$doc/examples" \
    "$root/usr/share/man/man1"
  install -m 0755 "$bin" "$root/usr/bin/kiosk"
  desktop_entry kiosk "$app_id" >"$root/usr/share/applications/$app_id.desktop"
  install -m 0644 assets/icon.png "$root/usr/share/icons/hicolor/256x256/apps/$app_id.png"
  # The unit as docs/ has it, run from /usr/bin.
  sed -e 's#^ExecStart=.*#ExecStart=/usr/bin/kiosk#' \
    -e 's#^\# Install: cp docs/solidarity-kiosk.service ~/.config/systemd/user/#\# Installed by the solidarity-kiosk package; not enabled.#' \
    docs/solidarity-kiosk.service >"$root/usr/lib/systemd/user/solidarity-kiosk.service"
  chmod 0644 "$root/usr/lib/systemd/user/solidarity-kiosk.service"
  # An autostart entry for desktops without systemd user sessions: an
  # example only; copying it into ~/.config/autostart enables it.
  { desktop_entry kiosk "$app_id"; echo "X-GNOME-Autostart-enabled=true"; } \
    >"$doc/examples/solidarity-kiosk-autostart.desktop"
  cat >"$doc/README.Debian" <<'EOF'
Solidarity Kiosk for Debian and Raspberry Pi OS
===============================================

`kiosk` starts the show fullscreen; the first start shows the built-in demo
pack. `kiosk --help` lists the commands (pack import, pack list, ...).
The cache and settings live in ~/.cache/solidarity-kiosk and
~/.config/solidarity-kiosk of the user who runs it.

Nothing starts on its own after installing. To start the kiosk with the
graphical session of the kiosk user, choose ONE of:

 * systemd user unit (restarts the kiosk if it stops; recommended):
     systemctl --user daemon-reload
     systemctl --user enable --now solidarity-kiosk.service
   and, so that it runs without anyone logged in on a console:
     sudo loginctl enable-linger KIOSKUSER   (plus desktop auto-login)

 * desktop autostart entry (any XDG desktop, e.g. Raspberry Pi OS):
     mkdir -p ~/.config/autostart
     cp /usr/share/doc/solidarity-kiosk/examples/solidarity-kiosk-autostart.desktop \
        ~/.config/autostart/

Screen blanking: also run `xset s off -dpms s noblank` in the session.
EOF
  gzip -9n -c >"$root/usr/share/man/man1/kiosk.1.gz" <<EOF
.TH KIOSK 1 "" "$version" "Solidarity Kiosk"
.SH NAME
kiosk \- fullscreen exhibit of political prisoners' portraits
.SH SYNOPSIS
.B kiosk
[\fIoptions\fR]
.br
.B kiosk pack
\fBverify\fR|\fBimport\fR|\fBlist\fR|\fBremove\fR|\fBbuild\fR|\fBkeygen\fR|\fBsign\fR ...
.SH DESCRIPTION
Without a command, \fBkiosk\fR starts the show fullscreen on the installed
portrait packs (the built-in demo pack on first start).
The \fBpack\fR commands check, install, list and remove packs.
\fBkiosk \-\-help\fR and \fBkiosk pack COMMAND \-\-help\fR list every option.
.SH FILES
~/.config/solidarity-kiosk/config.toml, ~/.cache/solidarity-kiosk/
.SH SEE ALSO
/usr/share/doc/solidarity-kiosk/README.Debian
EOF
  cat >"$doc/copyright" <<EOF
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: solidarity-kiosk
Source: $homepage

Files: *
Copyright: Solidarity Kiosk contributors
License: other
 The project has not published a licence yet; until it does, redistribution
 needs the contributors' permission. See $homepage.

Files: fonts embedded in /usr/bin/kiosk (Noto Sans, Noto Sans Arabic)
Copyright: 2015-2020 Google LLC
License: OFL-1.1
 SIL Open Font License, Version 1.1: /usr/share/common-licenses is not
 where Debian keeps it; the text ships in the source as assets/fonts/OFL.txt.

Files: Go modules linked into /usr/bin/kiosk (Fyne, bbolt, golang.org/x/...)
Copyright: their authors
License: BSD-3-clause or MIT or Apache-2.0, as each module states
 On Debian systems, the full text of the Apache License 2.0 can be found in
 /usr/share/common-licenses/Apache-2.0; BSD-3-clause and MIT texts ship with
 each module's source.
EOF
  printf '%s (%s-%s) unstable; urgency=medium\n\n  * Package built from %s.\n\n -- %s  %s\n' \
    "$pkg" "$version" "$debrev" "$(git describe --always --dirty 2>/dev/null || echo source)" "$maint" \
    "$(date -R -u -d "@$SOURCE_DATE_EPOCH")" | gzip -9n >"$doc/changelog.Debian.gz"
  find "$root/usr/share" -type f -exec chmod 0644 {} +

  # Depends: the shared libraries the binary links, as dpkg-shlibdeps finds
  # them among this machine's (multiarch) packages.
  local deps
  mkdir -p "$work/shlibs-$arch/debian"
  printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$pkg" "$pkg" >"$work/shlibs-$arch/debian/control"
  deps=$(cd "$work/shlibs-$arch" && dpkg-shlibdeps -O -l"/usr/lib/$(dpkg-architecture -a"$arch" -qDEB_HOST_MULTIARCH 2>/dev/null)" \
    "$root/usr/bin/kiosk" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
  [ -n "$deps" ] || { echo "dist.sh: dpkg-shlibdeps found no dependencies for $arch" >&2; exit 1; }
  local size
  size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
  cat >"$root/DEBIAN/control" <<EOF
Package: $pkg
Version: $version-$debrev
Architecture: $arch
Maintainer: $maint
Installed-Size: $size
Depends: $deps
Recommends: x11-xserver-utils
Section: x11
Priority: optional
Homepage: $homepage
Description: fullscreen exhibit of political prisoners' portraits
 Solidarity Kiosk shows portrait packs of political prisoners fullscreen,
 one person at a time or as a wall, each with QR codes that lead to a
 letter, a petition or a donation. Packs are checked before they are
 installed and may be signed. Meant for exhibitions, rallies and signage
 screens (Raspberry Pi OS included); the systemd user unit it ships keeps
 it running for days.
EOF
  (cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
  chmod 0644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"
  local out=$OUT/${pkg}_${version}-${debrev}_${arch}.deb
  dpkg-deb --root-owner-group -Zxz --build "$root" "$out" >/dev/null
  echo "$out  ($(du -k "$out" | cut -f1) KB; Depends: $deps)"
}

tarball() { # $1: GOARCH, $2: binary — the layout of `fyne package -os linux`
  local arch=$1 bin=$2 root=$work/tar-$1/$pkg
  rm -rf "$work/tar-$1"
  install -d "$root/usr/local/bin" "$root/usr/local/share/applications" "$root/usr/local/share/pixmaps"
  install -m 0755 "$bin" "$root/usr/local/bin/kiosk"
  desktop_entry kiosk "$app_id" >"$root/usr/local/share/applications/$app_id.desktop"
  install -m 0644 assets/icon.png "$root/usr/local/share/pixmaps/$app_id.png"
  cat >"$root/Makefile" <<EOF
# Installs Solidarity Kiosk: sudo make install (PREFIX=/usr/local; DESTDIR for staging).
PREFIX ?= /usr/local
default:
	@echo "run: sudo make install   (or make user-install, into ~/.local)"
install:
	install -Dm00755 usr/local/bin/kiosk \$(DESTDIR)\$(PREFIX)/bin/kiosk
	install -Dm00644 usr/local/share/applications/$app_id.desktop \$(DESTDIR)\$(PREFIX)/share/applications/$app_id.desktop
	install -Dm00644 usr/local/share/pixmaps/$app_id.png \$(DESTDIR)\$(PREFIX)/share/pixmaps/$app_id.png
user-install:
	\$(MAKE) install PREFIX=\$(HOME)/.local
uninstall:
	-rm -f \$(DESTDIR)\$(PREFIX)/bin/kiosk \$(DESTDIR)\$(PREFIX)/share/applications/$app_id.desktop \$(DESTDIR)\$(PREFIX)/share/pixmaps/$app_id.png
user-uninstall:
	\$(MAKE) uninstall PREFIX=\$(HOME)/.local
.PHONY: default install user-install uninstall user-uninstall
EOF
  local out=$OUT/${pkg}_${version}_linux_${arch}.tar.xz
  tar -C "$work/tar-$1" --owner=0 --group=0 --sort=name --mtime="@$SOURCE_DATE_EPOCH" -cJf "$out" "$pkg"
  echo "$out  ($(du -k "$out" | cut -f1) KB)"
}

winzip() {
  local bin=$1 root=$work/zip/$pkg
  rm -rf "$work/zip" && install -d "$root"
  install -m 0755 "$bin" "$root/kiosk.exe"
  sed "s/@VERSION@/$version/" packaging/README-Windows.txt | sed 's/$/\r/' >"$root/README-Windows.txt"
  local out
  out=$(realpath -m "$OUT/${pkg}_${version}_windows_amd64.zip")
  rm -f "$out"
  (cd "$work/zip" && python3 - "$pkg" "$out" <<'PY'
import os, sys, zipfile
top, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for f in sorted(os.listdir(top)):
        z.write(os.path.join(top, f), os.path.join(top, f))
PY
  )
  echo "$out  ($(du -k "$out" | cut -f1) KB)"
}

for a in amd64 arm64; do
  b=$BINDIR/kiosk-linux-$a
  [ -x "$b" ] || { echo "dist.sh: $b missing: run make cross" >&2; exit 1; }
  deb "$a" "$b"
  tarball "$a" "$b"
done
w=$BINDIR/kiosk-windows-amd64.exe
[ -f "$w" ] || { echo "dist.sh: $w missing: run make cross" >&2; exit 1; }
winzip "$w"
