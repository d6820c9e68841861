#!/usr/bin/env bash
# The demo: installs what is missing, builds mlc, compiles the bundled MLP (exported from PyTorch)
# with cross-entropy and Adam, and trains it on Fashion-MNIST with a progress bar and test accuracy.
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS="${EPOCHS:-3}"
tools/setup.sh
tools/build.sh
mkdir -p build/models build/demo
/usr/bin/python3 models/mlp/export_mlp.py --out build/models/mlp.onnx
echo "== mlc compile build/models/mlp.onnx --loss=cross_entropy --optimizer=adam --batch=64 --target=cpu"
time build/bin/mlc compile build/models/mlp.onnx --loss=cross_entropy --optimizer=adam --batch=64 \
  --target=cpu -o build/demo/train_fmnist
echo "== build/demo/train_fmnist --data=/usr/share/datasets/fashion-mnist --epochs=$EPOCHS"
build/demo/train_fmnist --data=/usr/share/datasets/fashion-mnist --epochs="$EPOCHS" --lr=1e-3 \
  --log=build/demo/train_fmnist.jsonl
echo "per-step and per-epoch log: build/demo/train_fmnist.jsonl"
