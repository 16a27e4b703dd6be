#!/bin/sh
# run_comparison.sh — the one command: tinyattn vs PyTorch on W1..W6 and W8, interleaved, 3 rounds.
#   bench/run_comparison.sh [build-dir] [extra run_comparison.py options, e.g. --threads 1,2]
# Build first: cmake -S . -B build && cmake --build build --target bench
set -e
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:-$HERE/../build}
[ $# -gt 0 ] && shift
exec /usr/bin/python3 "$HERE/run_comparison.py" --bench "$BUILD/bin/bench" "$@"
