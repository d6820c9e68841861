#!/bin/bash
# Issue 4's accuracy run (not in the default suite: about 30 minutes on 2 cores): the two-conv CNN
# (conv 5x5 32 -> max-pool -> conv 5x5 64 -> max-pool -> dense 1024 -> dropout 0.4 -> 10),
# exported by PyTorch in training mode, compiled by mlc and trained on all of Fashion-MNIST with
# Adam; passes when the final test accuracy reaches 0.91.
# Usage: tests/e2e/cnn_accuracy.sh BUILD_DIR [EPOCHS]   (env: DATA=dir, KEEP_TMP=1)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
MLC="$1/bin/mlc"
EPOCHS="${2:-6}"
DATA="${DATA:-/usr/share/datasets/fashion-mnist}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mlc_cnn_accuracy.XXXXXX")"
if [ -z "${KEEP_TMP:-}" ]; then trap 'rm -rf "$WORK"' EXIT; else echo "work directory: $WORK"; fi

/usr/bin/python3 "$ROOT/models/cnn/export_cnn.py" --training --out "$WORK/cnn.onnx" >/dev/null
"$MLC" compile "$WORK/cnn.onnx" --loss=cross_entropy --optimizer=adam --batch=64 --target=cpu -o "$WORK/trainer"
"$WORK/trainer" --data="$DATA" --epochs="$EPOCHS" --lr=1e-3 --seed=0 --log="$WORK/train.jsonl" | tee "$WORK/out.txt"
accuracy=$(sed -n 's/^final test_accuracy //p' "$WORK/out.txt")
if /usr/bin/python3 -c "import sys; sys.exit(0 if float('$accuracy') >= 0.91 else 1)"; then
  echo "cnn_accuracy: PASS (test accuracy $accuracy >= 0.91)"
else
  echo "cnn_accuracy: FAIL (test accuracy $accuracy < 0.91)"; exit 1
fi
