#!/usr/bin/env bash
# Builds what tests/gpu/run.sh needs into DIR (default build/gpu): the MLP, CPU and CUDA trainers for
# SGD and Adam, the Fashion-MNIST files and LLVM's libomp, so DIR can be taken to a GPU machine.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DIR="${1:-$ROOT/build/gpu}"
ARCH="${GPU_ARCH:-sm_90}"
MLC="$ROOT/build/bin/mlc"
mkdir -p "$DIR/data"
/usr/bin/python3 "$ROOT/models/mlp/export_mlp.py" --out "$DIR/mlp.onnx"
for opt in sgd adam; do
  "$MLC" compile "$DIR/mlp.onnx" --optimizer=$opt --batch=64 --target=cpu -o "$DIR/trainer_cpu_$opt"
  "$MLC" compile "$DIR/mlp.onnx" --optimizer=$opt --batch=64 --target=cuda --gpu-arch="$ARCH" \
    -o "$DIR/trainer_cuda_$opt"
done
cp /usr/share/datasets/fashion-mnist/*.gz "$DIR/data/"
cp -L /usr/lib/x86_64-linux-gnu/libomp.so.5 "$DIR/"
echo "built $DIR (gpu arch $ARCH)"
