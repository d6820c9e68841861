// Stage schedule's contract: matmuls are split over threads (scf.forall) and contracted in vectors.
// RUN: mlc compile %S/Inputs/mlp.mlir --emit=mlir --stage=schedule | FileCheck %s

// mlc-opt registers only the graph stage and the whole pipeline: `mlc compile --stage=schedule`
// stops after this stage, running exactly what the driver runs.

// The forward matmul: 32 rows in chunks of 8, each an 8x32 register tile.
// CHECK-LABEL: func.func @train_step
// CHECK: scf.forall (%{{.*}}) = (0) to (32) step (8) {{.*}} -> (tensor<32x64xf32>)
// CHECK: vector.contract {{.*}} into vector<8x32xf32>
// CHECK-NOT: linalg.matmul
// CHECK: return
// CHECK-LABEL: func.func @eval_step
// CHECK: scf.forall
// CHECK: vector.contract
// CHECK-NOT: linalg.matmul
// CHECK: return
