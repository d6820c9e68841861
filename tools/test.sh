#!/usr/bin/env bash
# Installs what is missing, builds mlc, and runs every test: GoogleTest unit tests (ctest) and the
# lit suite (IR FileCheck tests, VJP finite-difference checks, ONNX import, driver, end-to-end
# training on Fashion-MNIST and per-step parity with PyTorch).
set -uo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh || exit 1
tools/build.sh || exit 1
BUILD_DIR="${BUILD_DIR:-build}"

echo "== unit tests (ctest)"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" | tee "$BUILD_DIR/ctest.log"
unit_rc=${PIPESTATUS[0]}

echo "== lit tests"
/usr/bin/python3 /usr/lib/llvm-19/build/utils/lit/lit.py -sv "$BUILD_DIR/tests" | tee "$BUILD_DIR/lit.log"
lit_rc=${PIPESTATUS[0]}

# One closing line over both runners.
unit_pass=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\2 \1/p' "$BUILD_DIR/ctest.log" | awk '{print $1-$2}')
unit_fail=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of.*/\1/p' "$BUILD_DIR/ctest.log")
lit_pass=$(sed -n 's/^ *Passed *: *\([0-9]*\).*/\1/p' "$BUILD_DIR/lit.log")
lit_fail=$(awk -F: '/^ *(Failed|Unresolved|Timed Out) *:/ {n += $2} END {print n + 0}' "$BUILD_DIR/lit.log")
lit_skip=$(awk -F: '/^ *(Unsupported|Skipped|Expectedly Failed) *:/ {n += $2} END {print n + 0}' "$BUILD_DIR/lit.log")
passed=$(( ${unit_pass:-0} + ${lit_pass:-0} ))
failed=$(( ${unit_fail:-0} + ${lit_fail:-0} ))
if [ "$unit_rc" -ne 0 ] || [ "$lit_rc" -ne 0 ]; then
  [ "$failed" -gt 0 ] || failed=1
fi
echo "tests: $passed passed, $failed failed, ${lit_skip:-0} skipped"
[ "$failed" -eq 0 ]
