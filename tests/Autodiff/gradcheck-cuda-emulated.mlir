// The CUDA pipeline's kernels, run on the host as loops (mlc-gpu-launch-to-loops): every VJP rule
// still matches finite differences, checking the GPU block/thread mapping's numerics without a GPU.
// RUN: mlc-gradcheck %S/gradcheck.mlir --target=cuda-emulated | FileCheck %S/gradcheck.mlir
