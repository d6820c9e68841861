// Every stage is registered in mlc-opt as a pipeline of its own; running them one after another
// gives the same LLVM-dialect module as the whole mlc-cpu-pipeline.
// RUN: mlc-opt %S/Inputs/mlp.mlir --mlc-stage-graph="optimizer=adam" | mlc-opt --mlc-stage-linalg \
// RUN:   | mlc-opt --mlc-stage-schedule | mlc-opt --mlc-stage-bufferize | mlc-opt --mlc-stage-llvm > %t.stages
// RUN: mlc-opt %S/Inputs/mlp.mlir --mlc-cpu-pipeline="optimizer=adam" > %t.whole
// RUN: diff %t.stages %t.whole
// RUN: FileCheck %s < %t.stages

// CHECK: llvm.func @train_step(
// CHECK: llvm.func @eval_step(
