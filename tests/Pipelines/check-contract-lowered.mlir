// mlc-check-contract after lowering: no mlc op after the linalg stage; on the CPU no contraction
// left whole after scheduling; no tensor, heap allocation or result after bufferization; only
// LLVM (and OpenMP) after the LLVM stage.
// RUN: mlc-opt %s --split-input-file --verify-diagnostics --mlc-check-contract="stage=linalg"
// RUN: mlc-opt %S/Inputs/contract-schedule.mlir --verify-diagnostics --mlc-check-contract="stage=schedule"
// RUN: mlc-opt %S/Inputs/contract-schedule.mlir --mlc-check-contract="stage=schedule target=cuda"
// RUN: mlc-opt %S/Inputs/contract-bufferize.mlir --split-input-file --verify-diagnostics --mlc-check-contract="stage=bufferize"
// RUN: mlc-opt %S/Inputs/contract-llvm.mlir --verify-diagnostics --mlc-check-contract="stage=llvm"
// RUN: not mlc-opt %s --mlc-check-contract="stage=codegen" 2>&1 | FileCheck %s --check-prefix=STAGE
// STAGE: mlc-check-contract: unknown stage 'codegen' (graph, linalg, schedule, bufferize or llvm)

func.func @train_step(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @below {{stage 'linalg' breaks its contract: 'mlc.relu' left after lowering}}
  %y = mlc.relu %x : tensor<4xf32>
  return %y : tensor<4xf32>
}
