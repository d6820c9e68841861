#!/usr/bin/env bash
# Long libFuzzer runs of the runtime's readers (the suite runs each for seconds: tests/fuzz/fuzz.test).
# Usage: tools/fuzz.sh [SECONDS_PER_TARGET] (default 600). Corpora persist in build/fuzz/<target>;
# crashes are written to build/fuzz/<target>/crash-* and end the run with a non-zero status.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET="${1:-600}"
BUILD_DIR="${BUILD_DIR:-build}"
tools/build.sh
status=0
for target in checkpoint_fuzzer run_log_fuzzer npy_fuzzer csv_fuzzer; do
  corpus="$BUILD_DIR/fuzz/$target"
  mkdir -p "$corpus"
  echo "== $target for ${SECONDS_PER_TARGET}s (corpus $corpus)"
  (cd "$corpus" && "../../bin/$target" -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 .) || status=1
done
exit $status
