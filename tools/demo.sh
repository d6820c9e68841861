#!/usr/bin/env bash
# The demo: installs what is missing, builds mlc, compiles the bundled MLP (exported from PyTorch)
# with cross-entropy and Adam, and trains it on Fashion-MNIST the way a practitioner would: a held-out
# validation split, a cosine learning-rate schedule with warm-up, early stopping keeping the best
# weights, checkpoints (the same command resumes an interrupted run), an HTML report, an ONNX export
# of the trained model; then predicts a few test images from the saved weights.
set -euo pipefail
cd "$(dirname "$0")/.."
EPOCHS="${EPOCHS:-3}"
DATA=/usr/share/datasets/fashion-mnist
tools/setup.sh
tools/build.sh
mkdir -p build/models build/demo
/usr/bin/python3 models/mlp/export_mlp.py --out build/models/mlp.onnx
echo "== mlc compile build/models/mlp.onnx --loss=cross_entropy --optimizer=adam --batch=64 --target=cpu"
time build/bin/mlc compile build/models/mlp.onnx --loss=cross_entropy --optimizer=adam --batch=64 \
  --target=cpu -o build/demo/train_fmnist
train=(build/demo/train_fmnist --data="$DATA" --epochs="$EPOCHS" --lr=2e-3 --lr-schedule=cosine --warmup-steps=100
       --val-split=0.1 --early-stopping=val_loss --patience=2 --keep-best --metrics=loss,accuracy,f1_macro
       --checkpoint=build/demo/checkpoints --resume --log=build/demo/train_fmnist.jsonl
       --report=build/demo/report.html --export=build/demo/trained.onnx --save-weights=build/demo/weights.mlcckpt)
echo "== ${train[*]}"
"${train[@]}"
echo "== the first 8 test images"
/usr/bin/python3 - "$DATA" build/demo/first8-images-idx3-ubyte <<'PY'
import gzip, sys
with gzip.open(sys.argv[1] + "/t10k-images-idx3-ubyte.gz") as f:
    data = f.read(16 + 8 * 28 * 28)
open(sys.argv[2], "wb").write(data[:4] + (8).to_bytes(4, "big") + data[8:])
PY
build/demo/train_fmnist --predict --resume=build/demo/weights.mlcckpt --input=build/demo/first8-images-idx3-ubyte \
  --output=build/demo/predictions.csv
cut -d, -f1-2 build/demo/predictions.csv | paste -sd' '
echo "log: build/demo/train_fmnist.jsonl   report: build/demo/report.html   ONNX: build/demo/trained.onnx"
echo "checkpoints: build/demo/checkpoints (rerun this script with a larger EPOCHS to continue the run)"
