#!/usr/bin/env bash
# ONNX backend conformance: runs every test of Debian's libonnx-testdata through mlc-onnx-run
# (forward inference on the CPU target) and writes docs/conformance.md. Extra arguments go to
# run_suite.py (e.g. --filter 'node/test_(add|relu)' or --target=cuda-emulated).
# Usage: tests/conformance/run.sh [BUILD_DIR] [run_suite.py options...]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build}"
[ $# -gt 0 ] && shift
exec /usr/bin/python3 "$here/run_suite.py" --runner "$build/bin/mlc-onnx-run" \
  --markdown "$root/docs/conformance.md" "$@"
