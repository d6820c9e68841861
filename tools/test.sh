#!/usr/bin/env bash
# Installs what is missing, builds mlc, and runs every test: GoogleTest unit tests (ctest) and the
# lit suite (IR FileCheck tests, VJP finite-difference checks, ONNX import, driver, end-to-end
# training on Fashion-MNIST and per-step parity with PyTorch), then the ONNX backend conformance
# suite (tests/conformance/run.sh).
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

echo "== ONNX conformance (libonnx-testdata)"
tests/conformance/run.sh "$BUILD_DIR" --markdown "$BUILD_DIR/conformance.md" | tee "$BUILD_DIR/conformance.log"
conf_rc=${PIPESTATUS[0]}

# One closing line over the runners (the conformance suite counts as one test here; its own
# summary line above counts its ONNX tests).
unit_pass=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\2 \1/p' "$BUILD_DIR/ctest.log" | awk '{print $1-$2}')
unit_fail=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of.*/\1/p' "$BUILD_DIR/ctest.log")
lit_pass=$(sed -n 's/^ *Passed *: *\([0-9]*\).*/\1/p' "$BUILD_DIR/lit.log")
lit_fail=$(awk -F: '/^ *(Failed|Unresolved|Timed Out) *:/ {n += $2} END {print n + 0}' "$BUILD_DIR/lit.log")
lit_skip=$(awk -F: '/^ *(Unsupported|Skipped|Expectedly Failed) *:/ {n += $2} END {print n + 0}' "$BUILD_DIR/lit.log")
conf_pass=$(( conf_rc == 0 ? 1 : 0 ))
passed=$(( ${unit_pass:-0} + ${lit_pass:-0} + conf_pass ))
failed=$(( ${unit_fail:-0} + ${lit_fail:-0} + 1 - conf_pass ))
if [ "$unit_rc" -ne 0 ] || [ "$lit_rc" -ne 0 ] || [ "$conf_rc" -ne 0 ]; then
  [ "$failed" -gt 0 ] || failed=1
fi
echo "tests: $passed passed, $failed failed, ${lit_skip:-0} skipped"
[ "$failed" -eq 0 ]
