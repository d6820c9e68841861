#!/bin/bash
# End-to-end: export the MLP, compile it with mlc, train 1 epoch on 6400 Fashion-MNIST images, check the log.
# Usage: tests/e2e/train_mlp.sh BUILD_DIR   (env: MLC=path overrides BUILD_DIR/bin/mlc,
#        DATA=dir overrides the dataset, KEEP_TMP=1 keeps the work directory)
set -u
PY=/usr/bin/python3
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
if [ $# -lt 1 ] && [ -z "${MLC:-}" ]; then
  echo "usage: $0 BUILD_DIR" >&2
  exit 2
fi
MLC="${MLC:-$1/bin/mlc}"
DATA="${DATA:-/usr/share/datasets/fashion-mnist}"
if [ ! -x "$MLC" ]; then
  echo "train_mlp: FAIL mlc not found at $MLC" >&2
  exit 2
fi
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mlc_train_mlp.XXXXXX")"
if [ -z "${KEEP_TMP:-}" ]; then trap 'rm -rf "$WORK"' EXIT; else echo "work directory: $WORK"; fi

"$PY" "$ROOT/models/mlp/export_mlp.py" --out "$WORK/mlp.onnx" || { echo "train_mlp: FAIL export"; exit 1; }

status=0
# variant NAME LOSS OPTIMIZER LR MIN_ACCURACY DROP  (pass: mean of last 10 step losses < DROP * mean of first 10)
variant() {
  local name=$1 loss=$2 opt=$3 lr=$4 minacc=$5 drop=$6
  local trainer="$WORK/trainer_$name" log="$WORK/$name.jsonl"
  echo "== $name: --loss=$loss --optimizer=$opt --lr=$lr"
  if ! "$MLC" compile "$WORK/mlp.onnx" --loss="$loss" --optimizer="$opt" --batch=64 --target=cpu -o "$trainer"; then
    echo "$name: FAIL (mlc compile exited non-zero)"; status=1; return
  fi
  if ! "$trainer" --data="$DATA" --epochs=1 --lr="$lr" --seed=0 --limit-train=6400 --limit-test=2000 \
       --log="$log"; then
    echo "$name: FAIL (trainer exited non-zero)"; status=1; return
  fi
  "$PY" "$HERE/check_train_log.py" "$log" --steps 100 --epochs 1 --min-accuracy "$minacc" --drop "$drop" \
    --name "$name" || status=1
}

# PyTorch on the same setup: ce_adam ratio 0.32-0.37, accuracy 0.75-0.78;
# mse_sgd ratio 0.60-0.63 (MSE against one-hot falls more slowly), accuracy 0.65-0.66.
variant ce_adam cross_entropy adam 0.001 0.6 0.6
variant mse_sgd mse sgd 0.1 0.5 0.75

if [ $status -eq 0 ]; then echo "train_mlp: PASS"; else echo "train_mlp: FAIL"; fi
exit $status
