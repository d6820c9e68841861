#!/bin/bash
# Issue 4's model-zoo parity run (not in the default suite: about 20 minutes on 2 cores, most of it
# compiling): torchvision's ResNet-18 and MobileNetV2 with the first convolution adapted to 1x28x28
# (models/zoo), exported by PyTorch in training mode, compiled by mlc and trained 20 SGD steps
# against PyTorch from the same weights on the same batches (per-step losses within 1e-3
# relative, or within twice PyTorch's own floor where that is larger), then evaluated on the
# running statistics the steps kept. --floor measures that floor: how far PyTorch drifts from
# itself when the initial weights move by 1e-6; --f64 how far mlc and PyTorch (float32) each are
# from PyTorch in float64.
# Usage: tests/e2e/zoo_parity.sh BUILD_DIR [MODELS]   (env: DATA=dir)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MODELS="${2:-resnet18,mobilenet_v2}"
DATA="${DATA:-/usr/share/datasets/fashion-mnist}"
exec /usr/bin/python3 "$HERE/parity_cnn.py" --mlc "$1/bin/mlc" --data "$DATA" --models "$MODELS" \
  --optimizers sgd --floor --f64
