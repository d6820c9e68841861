#!/usr/bin/env bash
# Installs every Debian package that mlc's build, tests and demo need (idempotent).
set -euo pipefail

packages=(
  # build
  cmake ninja-build ccache clang-19 libclang-rt-19-dev lld-19 llvm-19-dev llvm-19-tools libmlir-19-dev mlir-19-tools
  libomp-19-dev libonnx-dev libprotobuf-dev protobuf-compiler zlib1g-dev libgtest-dev pkg-config
  # tests and references
  python3-onnx python3-torch python3-numpy valgrind python3-torchvision python3-sklearn
  # the training report rendered in a real browser (tests/e2e/report.test)
  chromium
  # the ONNX backend test data (conformance runner)
  libonnx-testdata
  # PyTorch reference runs on OpenBLAS (as DESIGN.md assumes), not the netlib reference BLAS
  libopenblas0-pthread
  # data
  dataset-fashion-mnist
  # peak memory of a benchmark's child process alone (GNU time's %M)
  time
  # the augmentation pipeline's generator (Halide 14 with its own LLVM 14, used at build time only)
  libhalide14-0-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
