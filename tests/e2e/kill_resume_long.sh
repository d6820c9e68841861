#!/bin/bash
# The long SIGKILL/resume check (outside the default suite): the two-conv CNN with dropout compiled for
# --target=cuda-emulated (about 75 s to compile and 3 s a step on this machine's cores), killed N times.
# Usage: tests/e2e/kill_resume_long.sh BUILD_DIR [KILLS]   (env: DATA=dir, KEEP_TMP=1)
set -u
PY=/usr/bin/python3
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
MLC="$1/bin/mlc"
KILLS="${2:-5}"
DATA="${DATA:-/usr/share/datasets/fashion-mnist}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mlc_kill_resume.XXXXXX")"
if [ -z "${KEEP_TMP:-}" ]; then trap 'rm -rf "$WORK"' EXIT; else echo "work directory: $WORK"; fi

"$PY" "$ROOT/models/cnn/export_cnn.py" --training --out "$WORK/cnn.onnx" >/dev/null || exit 1
"$MLC" compile "$WORK/cnn.onnx" --optimizer=adam --batch=64 --target=cuda-emulated -o "$WORK/cnn" || exit 1
"$PY" "$HERE/kill_resume.py" "$WORK/cnn" --work "$WORK/run" --kills "$KILLS" --name cnn_emulated -- \
  --data="$DATA" --limit-train=640 --limit-test=64 --epochs=2 --seed=7 --checkpoint-every=2
