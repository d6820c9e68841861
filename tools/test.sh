#!/usr/bin/env bash
# Installs what is missing, builds mlc, and runs every test: GoogleTest unit tests (ctest) and the
# lit suite (IR FileCheck tests, VJP finite-difference checks, ONNX import, driver, end-to-end
# training on Fashion-MNIST and per-step parity with PyTorch), then the ONNX backend conformance
# suite (tests/conformance/run.sh).
# --sanitize: builds mlc, its tools and the runtime with ASan and UBSan into build-sanitize/ and runs the
# unit and lit suites there (trainers the tests compile link the instrumented runtime); any sanitizer
# report, leak or undefined behaviour fails the test that met it. The conformance suite is left to the
# plain build (the same importer and JIT over 1072 small models, which the lit suite's ONNX tests
# and the importer's fuzzer cover here).
set -uo pipefail
cd "$(dirname "$0")/.."
SANITIZE=
if [ "${1:-}" = --sanitize ]; then SANITIZE=--sanitize; fi
tools/setup.sh || exit 1
tools/build.sh $SANITIZE || exit 1
if [ -n "$SANITIZE" ]; then
  BUILD_DIR="${BUILD_DIR:-build-sanitize}"
  export ASAN_OPTIONS="detect_leaks=1:check_initialization_order=1:strict_init_order=1"
  export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
  export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-19/bin/llvm-symbolizer
else
  BUILD_DIR="${BUILD_DIR:-build}"
fi

echo "== unit tests (ctest)"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j "$(nproc)" | tee "$BUILD_DIR/ctest.log"
unit_rc=${PIPESTATUS[0]}

echo "== lit tests"
/usr/bin/python3 /usr/lib/llvm-19/build/utils/lit/lit.py -sv "$BUILD_DIR/tests" | tee "$BUILD_DIR/lit.log"
lit_rc=${PIPESTATUS[0]}

conf_rc=0
if [ -z "$SANITIZE" ]; then
  echo "== ONNX conformance (libonnx-testdata)"
  tests/conformance/run.sh "$BUILD_DIR" --markdown "$BUILD_DIR/conformance.md" | tee "$BUILD_DIR/conformance.log"
  conf_rc=${PIPESTATUS[0]}
fi

# One closing line over the runners (the conformance suite counts as one test here; its own
# summary line above counts its ONNX tests).
unit_pass=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of \([0-9]*\).*/\2 \1/p' "$BUILD_DIR/ctest.log" | awk '{print $1-$2}')
unit_fail=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of.*/\1/p' "$BUILD_DIR/ctest.log")
lit_pass=$(sed -n 's/^ *Passed *: *\([0-9]*\).*/\1/p' "$BUILD_DIR/lit.log")
lit_fail=$(awk -F: '/^ *(Failed|Unresolved|Timed Out) *:/ {n += $2} END {print n + 0}' "$BUILD_DIR/lit.log")
lit_skip=$(awk -F: '/^ *(Unsupported|Skipped|Expectedly Failed) *:/ {n += $2} END {print n + 0}' "$BUILD_DIR/lit.log")
conf_ran=$(( ${#SANITIZE} == 0 ? 1 : 0 ))
conf_pass=$(( conf_ran == 1 && conf_rc == 0 ? 1 : 0 ))
passed=$(( ${unit_pass:-0} + ${lit_pass:-0} + conf_pass ))
failed=$(( ${unit_fail:-0} + ${lit_fail:-0} + conf_ran - conf_pass ))
if [ "$unit_rc" -ne 0 ] || [ "$lit_rc" -ne 0 ] || [ "$conf_rc" -ne 0 ]; then
  [ "$failed" -gt 0 ] || failed=1
fi
echo "tests${SANITIZE:+ (ASan+UBSan)}: $passed passed, $failed failed, ${lit_skip:-0} skipped"
[ "$failed" -eq 0 ]
