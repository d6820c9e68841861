#!/usr/bin/env bash
# Configures (once) and builds mlc, mlc-opt, the runtime and the tests into build/ with ninja.
# --sanitize: the same with ASan and UBSan into build-sanitize/ (tools/test.sh --sanitize).
set -euo pipefail
cd "$(dirname "$0")/.."
SANITIZE=OFF
if [ "${1:-}" = --sanitize ]; then SANITIZE=ON; fi
if [ "$SANITIZE" = ON ]; then BUILD_DIR="${BUILD_DIR:-build-sanitize}"; else BUILD_DIR="${BUILD_DIR:-build}"; fi
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  cmake -G Ninja -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 -DMLC_SANITIZE="$SANITIZE"
fi
ninja -C "$BUILD_DIR" -j "$(nproc)"
