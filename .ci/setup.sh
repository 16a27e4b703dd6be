#!/usr/bin/env bash
# Sets up tinyattn on Debian 12: installs what is missing, configures and builds.
# Idempotent: with everything installed and built, it makes no apt call and rebuilds nothing.
# Used by both README quick-start commands and by .ci/run.
#   bash .ci/setup.sh                     the normal setup (packages, configure, build)
#   bash .ci/setup.sh --install PKG...    only install those Debian packages if missing
#                                         (.ci/run: clang + libclang-rt-14-dev for the fuzzers,
#                                         chromium for the attention page's browser test)
set -euo pipefail
cd "$(dirname "$0")/.."

install_missing() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "tinyattn setup: installing ${missing[*]}"
    if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

if [ "${1:-}" = "--install" ]; then
  shift
  install_missing "$@"
  exit 0
fi

install_missing g++ cmake make catch2 libgnuplot-iostream-dev libboost-iostreams-dev \
                libboost-system-dev libboost-filesystem-dev gnuplot-nox fonts-dejavu-core libstb-dev

if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build build -j"$(nproc)"
