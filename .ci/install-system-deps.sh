#!/usr/bin/env bash
# Installs everything cpython-meson needs on a bare Debian bookworm machine:
# meson 1.7 (bookworm-backports), ninja, a C toolchain, pkg-config, the static -dev
# libraries for the stdlib extension modules, and deb-src entries so that
# `apt-get source --download-only python3.13` can fetch the pristine CPython tarball.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

src=/etc/apt/sources.list.d/cpython-meson.sources
if [ ! -f "$src" ]; then
  $SUDO tee "$src" >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm trixie sid
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
fi
# Keep trixie's binaries out: only its source packages are wanted.
$SUDO apt-get update -qq
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get install -y -qq --no-install-recommends \
  build-essential pkg-config ninja-build dpkg-dev xz-utils file time gdb \
  zlib1g-dev libbz2-dev liblzma-dev libffi-dev libssl-dev libsqlite3-dev libexpat1-dev \
  libncurses-dev libreadline-dev libedit-dev uuid-dev libgdbm-dev libgdbm-compat-dev \
  libzstd-dev tk-dev >/dev/null
if ! meson --version 2>/dev/null | grep -q '^1\.[7-9]\|^[2-9]'; then
  $SUDO apt-get install -y -qq -t bookworm-backports meson >/dev/null
fi
echo "meson $(meson --version), ninja $(ninja --version), $(cc --version | head -1)"
