#!/bin/bash
# End-to-end: export the two-conv CNN with dropout in training mode, compile it with mlc (Conv,
# MaxPool, Dropout), train on 3,200 Fashion-MNIST images, check the log; then check that dropout
# masks are reproducible: the same --seed gives the same step losses, another seed other ones; and
# that it trains with --augment=crop:2,flip, reproducibly; and that --profile accounts its FLOPs.
# Usage: tests/e2e/train_cnn.sh BUILD_DIR   (env: DATA=dir overrides the dataset, KEEP_TMP=1 keeps
#        the work directory)
set -u
PY=/usr/bin/python3
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
MLC="$1/bin/mlc"
DATA="${DATA:-/usr/share/datasets/fashion-mnist}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/mlc_train_cnn.XXXXXX")"
if [ -z "${KEEP_TMP:-}" ]; then trap 'rm -rf "$WORK"' EXIT; else echo "work directory: $WORK"; fi

"$PY" "$ROOT/models/cnn/export_cnn.py" --training --out "$WORK/cnn.onnx" >/dev/null || { echo "train_cnn: FAIL export"; exit 1; }
"$MLC" compile "$WORK/cnn.onnx" --loss=cross_entropy --optimizer=adam --batch=64 --target=cpu -o "$WORK/trainer" \
  || { echo "train_cnn: FAIL (mlc compile exited non-zero)"; exit 1; }

status=0
# PyTorch-like behaviour on 50 steps: the loss roughly halves, test accuracy about 0.75.
"$WORK/trainer" --data="$DATA" --epochs=1 --lr=1e-3 --seed=0 --limit-train=3200 --limit-test=1000 \
  --log="$WORK/train.jsonl" || { echo "train_cnn: FAIL (trainer exited non-zero)"; exit 1; }
"$PY" "$HERE/check_train_log.py" "$WORK/train.jsonl" --steps 50 --epochs 1 --min-accuracy 0.6 --drop 0.75 \
  --name cnn_adam || status=1

# step_losses LOG: the per-step losses of a --log file, one per line.
step_losses() { "$PY" -c 'import json,sys; [print(r["loss"]) for r in map(json.loads, open(sys.argv[1])) if "step" in r and "loss" in r]' "$1"; }
for seed in 0 0 5; do
  "$WORK/trainer" --data="$DATA" --epochs=1 --seed=$seed --no-shuffle --limit-train=640 --limit-test=64 \
    --log="$WORK/seed$seed.$RANDOM.jsonl" >/dev/null || { echo "train_cnn: FAIL (trainer, seed $seed)"; exit 1; }
done
set -- "$WORK"/seed0.*.jsonl
if [ "$(step_losses "$1")" = "$(step_losses "$2")" ] && [ -n "$(step_losses "$1")" ]; then
  echo "dropout_same_seed: PASS"
else
  echo "dropout_same_seed: FAIL (two runs with --seed=0 differ)"; status=1
fi
if [ "$(step_losses "$1")" != "$(step_losses "$WORK"/seed5.*.jsonl)" ]; then
  echo "dropout_other_seed: PASS"
else
  echo "dropout_other_seed: FAIL (--seed=5 drew the same masks as --seed=0)"; status=1
fi

# --augment=crop:2,flip (the Halide pipeline, a batch prepared while the previous step runs): the
# same 50 steps still learn (loss falls, accuracy above 0.55), and an augmented run is reproducible.
for run in 1 2; do
  "$WORK/trainer" --data="$DATA" --epochs=1 --lr=1e-3 --seed=0 --limit-train=3200 --limit-test=1000 \
    --augment=crop:2,flip --log="$WORK/augment$run.jsonl" >/dev/null || { echo "train_cnn: FAIL (trainer, --augment)"; exit 1; }
done
"$PY" "$HERE/check_train_log.py" "$WORK/augment1.jsonl" --steps 50 --epochs 1 --min-accuracy 0.55 --drop 0.8 \
  --name cnn_augment || status=1
if [ "$(step_losses "$WORK/augment1.jsonl")" = "$(step_losses "$WORK/augment2.jsonl")" ]; then
  echo "augment_reproducible: PASS"
else
  echo "augment_reproducible: FAIL (two --augment runs with the same seed differ)"; status=1
fi

# --profile: time per op group over 3 steps (after a warm-up); its FLOPs are the model's own.
"$WORK/trainer" --data="$DATA" --epochs=1 --limit-train=256 --limit-test=64 --profile >"$WORK/profile.txt" \
  || { echo "train_cnn: FAIL (trainer, --profile)"; exit 1; }
"$PY" "$HERE/check_profile.py" "$WORK/profile.txt" --name cnn_profile || status=1

if [ $status -eq 0 ]; then echo "train_cnn: PASS"; else echo "train_cnn: FAIL"; fi
exit $status
