#!/bin/bash
# Issue 17's model-zoo run (not in the default suite: about 30 minutes on 2 cores, most of it compiling
# and timing): every model of models/zoo/export_zoo.py (torchvision's classification zoo adapted to
# 1x28x28 and a small ViT) exported by PyTorch in training mode at opsets 11, 13, 15 and 17 and
# imported; the opset-17 export compiled, trained 20 SGD steps against PyTorch from the same weights
# (within 1e-3 relative, or twice PyTorch's own float32 floor where that is larger), and a step timed
# against PyTorch's (each the faster of 1 and 2 threads); where PyTorch's floor is above 1e-3, mlc's and
# PyTorch's distances from PyTorch in float64. The table is docs/zoo.md's.
# Usage: tests/e2e/zoo.sh BUILD_DIR [MODELS] [TABLE_FILE]   (env: DATA=dir)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ARGS=(--mlc "$1/bin/mlc" --data "${DATA:-/usr/share/datasets/fashion-mnist}" --timing --f64)
[ -n "${2:-}" ] && ARGS+=(--models "$2")
[ -n "${3:-}" ] && ARGS+=(--table "$3")
exec /usr/bin/python3 "$HERE/zoo.py" "${ARGS[@]}"
