#!/usr/bin/env bash
# On a machine with an NVIDIA GPU: the CUDA trainer against the CPU trainer (per-step losses over
# 50 SGD/Adam steps within 1e-3, same test accuracy after one epoch) and its speed against PyTorch
# eager and torch.compile. Skips (exit 0) where there is no GPU.
#
# usage: tests/gpu/run.sh DIR    where DIR holds mlp.onnx, trainer_cpu_{sgd,adam}, trainer_cuda_{sgd,adam}
#                                (built by tests/gpu/build.sh on the build machine) and data/ (IDX files)
set -uo pipefail
DIR="${1:?usage: $0 DIR}"
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PY="${PYTHON:-python3}"
if ! command -v nvidia-smi >/dev/null 2>&1 || ! nvidia-smi -L >/dev/null 2>&1; then
  echo "gpu: SKIP (no NVIDIA GPU or driver on this machine)"
  exit 0
fi
nvidia-smi -L
# The trainers need LLVM's OpenMP runtime; DIR may carry it for machines without Debian's libomp5.
export LD_LIBRARY_PATH="$DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
DATA="$DIR/data"
status=0
run() { echo "+ $*"; "$@" || status=1; }

for opt in sgd adam; do
  lr=0.1; [ "$opt" = adam ] && lr=0.001
  for t in cpu cuda; do
    run "$DIR/trainer_${t}_$opt" --data="$DATA" --no-shuffle --epochs=1 --limit-train=3200 \
      --limit-test=1000 --lr=$lr --log="$DIR/parity_${t}_$opt.jsonl"
  done
  run "$PY" "$ROOT/tests/e2e/compare_logs.py" "$DIR/parity_cuda_$opt.jsonl" "$DIR/parity_cpu_$opt.jsonl" \
    --tol 1e-3 --steps 50 --name "gpu parity $opt"
done

for t in cpu cuda; do
  run "$DIR/trainer_${t}_adam" --data="$DATA" --epochs=1 --lr=0.001 --seed=0 --log="$DIR/epoch_$t.jsonl"
done
run "$PY" "$ROOT/tests/e2e/compare_logs.py" "$DIR/epoch_cuda.jsonl" "$DIR/epoch_cpu.jsonl" \
  --tol 1e-2 --accuracy-tol 0.005 --name "gpu accuracy"
run "$PY" "$ROOT/bench/gpu_mlp_epoch.py" --model "$DIR/mlp.onnx" --data "$DATA" --mlc-log "$DIR/epoch_cuda.jsonl"
[ $status -eq 0 ] && echo "gpu: PASS" || echo "gpu: FAIL"
exit $status
