#!/usr/bin/env bash
# Builds the four libFuzzer targets with clang (Debian: clang + libclang-rt-14-dev) and
# AddressSanitizer + UndefinedBehaviorSanitizer:  bash tests/fuzz/build.sh [OUT_DIR]
# They are linked from only the library files the readers need, so no CMake and no Boost.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-build-fuzz}
cxx=${FUZZ_CXX:-clang++}
flags=(-std=c++20 -g -O1 -fno-omit-frame-pointer -I. -Wall -Wextra
       -fsanitize=address,undefined -fno-sanitize-recover=undefined)

sources=(tinyattn/data/loaders.cpp tinyattn/data/text_file.cpp tinyattn/data/tokenizer.cpp
         tinyattn/data/utf8.cpp tinyattn/data/vocab.cpp
         tinyattn/io/checkpoint.cpp tinyattn/io/atomic_file.cpp tinyattn/io/crc32.cpp
         tinyattn/tensor.cpp tinyattn/autograd.cpp tinyattn/debug/anomaly.cpp tinyattn/rng.cpp
         tinyattn/nn/module.cpp tinyattn/optim/optimizer.cpp tinyattn/kernels/parallel.cpp
         tinyattn/kernels/memory.cpp)

# Library objects: instrumented for coverage (fuzzer-no-link), rebuilt only when the source is
# newer (after changing a header, remove OUT_DIR/obj).
mkdir -p "$out/obj"
for src in "${sources[@]}"; do
  obj="$out/obj/$(echo "$src" | tr / _).o"
  if [ ! -f "$obj" ] || [ "$src" -nt "$obj" ]; then echo "$src $obj"; fi
done | xargs -r -P "$(nproc)" -n 2 sh -c "$cxx ${flags[*]} -fsanitize=fuzzer-no-link -c \"\$0\" -o \"\$1\""

objs=()
for src in "${sources[@]}"; do objs+=("$out/obj/$(echo "$src" | tr / _).o"); done
pids=()
for target in fuzz_pairs fuzz_labelled fuzz_vocab fuzz_checkpoint; do
  $cxx "${flags[@]}" -fsanitize=fuzzer "tests/fuzz/$target.cpp" "${objs[@]}" -o "$out/$target" & pids+=($!)
done
for p in "${pids[@]}"; do wait "$p"; done
echo "fuzz targets built in $out/"
