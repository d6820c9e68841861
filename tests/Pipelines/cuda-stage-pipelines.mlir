// Running the stage pipelines one after another with target=cuda gives the same module as the whole mlc-cuda-pipeline.
// RUN: mlc-opt %S/Inputs/mlp.mlir --mlc-stage-graph="optimizer=adam" | mlc-opt --mlc-stage-linalg \
// RUN:   | mlc-opt --mlc-stage-schedule="target=cuda" | mlc-opt --mlc-stage-bufferize="target=cuda" \
// RUN:   | mlc-opt --mlc-stage-llvm="target=cuda gpu-arch=sm_90" > %t.stages
// RUN: mlc-opt %S/Inputs/mlp.mlir --mlc-cuda-pipeline="optimizer=adam gpu-arch=sm_90" > %t.whole
// RUN: diff %t.stages %t.whole
// RUN: FileCheck %s < %t.stages

// CHECK: llvm.func @train_step(
// CHECK: gpu.binary @mlc_kernels
// CHECK: llvm.func @eval_step(
