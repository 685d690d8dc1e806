#!/usr/bin/env bash
# Opt-in, on top of install-system-deps.sh: what the cross targets of docs/cross.md need on a
# Debian bookworm build machine (amd64).
#   aarch64-linux-gnu: Debian's cross gcc, qemu-user (qemu-aarch64 as the cross file's
#   exe_wrapper, no binfmt registration needed) and the arm64 -dev libraries of the extension
#   modules through dpkg multiarch (found by pkg-config through the cross file's
#   pkg_config_libdir). tk-dev:arm64 is left out (it pulls in the arm64 X11 stack): _tkinter is
#   then reported missing in the cross build.
#   wasm32-wasi: Debian's clang-16, lld-16 (wasm-ld), llvm-16 (llvm-ar), the compiler runtime for
#   wasm32 and wasi-libc; Node.js (already required) runs the programs through node:wasi.
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

# wasm32-wasi. wasi-libc from bookworm-backports where that suite is configured: its
# 0.0~git20240708 has <pthread.h>, which CPython 3.13 needs (SIZEOF_PTHREAD_T); bookworm's own
# 0.0~git20220510 builds 3.11 only (docs/cross.md, WASI).
$SUDO apt-get install -y -qq --no-install-recommends clang-16 lld-16 llvm-16 libclang-rt-16-dev-wasm32 >/dev/null
if apt-cache policy wasi-libc | grep -q bookworm-backports; then
  $SUDO apt-get install -y -qq --no-install-recommends -t bookworm-backports wasi-libc >/dev/null
else
  $SUDO apt-get install -y -qq --no-install-recommends wasi-libc >/dev/null
fi
echo "$(clang-16 --version | head -1), wasi-libc $(dpkg-query -W -f='${Version}' wasi-libc), node $(node --version)"
