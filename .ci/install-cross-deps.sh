#!/usr/bin/env bash
# Opt-in, on top of install-system-deps.sh: what the cross targets of docs/cross.md need on a
# Debian bookworm build machine (amd64).
#   aarch64-linux-gnu: Debian's cross gcc, qemu-user (qemu-aarch64 as the cross file's
#   exe_wrapper, no binfmt registration needed) and the arm64 -dev libraries of the extension
#   modules through dpkg multiarch (found by pkg-config through the cross file's
#   pkg_config_libdir). tk-dev:arm64 is left out (it pulls in the arm64 X11 stack): _tkinter is
#   then reported missing in the cross build.
# Idempotent: re-running installs nothing new.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive

if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  $SUDO dpkg --add-architecture arm64
fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user \
  zlib1g-dev:arm64 libbz2-dev:arm64 liblzma-dev:arm64 libffi-dev:arm64 libssl-dev:arm64 \
  libsqlite3-dev:arm64 libexpat1-dev:arm64 libncurses-dev:arm64 libreadline-dev:arm64 \
  libedit-dev:arm64 uuid-dev:arm64 libgdbm-dev:arm64 libgdbm-compat-dev:arm64 \
  libzstd-dev:arm64 >/dev/null
echo "$(aarch64-linux-gnu-gcc --version | head -1), $(qemu-aarch64 --version | head -1)"
