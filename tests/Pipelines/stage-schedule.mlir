// Stage schedule's contract: matmuls are split over threads (scf.forall) and contracted in vectors.
// RUN: mlc compile %S/Inputs/mlp.mlir --cpu=skylake-avx512 --emit=mlir --stage=schedule | FileCheck %s
// RUN: mlc compile %S/Inputs/mlp.mlir --cpu=haswell --emit=mlir --stage=schedule | FileCheck %s --check-prefix=AVX2

// mlc-opt registers only the graph stage and the whole pipeline: `mlc compile --stage=schedule`
// stops after this stage, running exactly what the driver runs.

// Register tiles follow the target CPU (--cpu): with AVX-512, the forward matmul (32 rows, 64
// columns) splits its 64 columns into chunks of 32, each 8x32 register tiles; with AVX2 chunks of
// 16 and 4x16 tiles (16 registers).
// CHECK-LABEL: func.func @train_step
// CHECK: scf.forall (%{{.*}}) = (0) to (64) step (32) {{.*}} -> (tensor<32x64xf32>)
// CHECK: vector.contract {{.*}} into vector<8x32xf32>
// CHECK-NOT: linalg.matmul
// CHECK: return
// AVX2-LABEL: func.func @train_step
// AVX2: scf.forall (%{{.*}}) = (0) to (64) step (16) {{.*}} -> (tensor<32x64xf32>)
// AVX2: vector.contract {{.*}} into vector<4x16xf32>
// CHECK-LABEL: func.func @eval_step
// CHECK: scf.forall
// CHECK: vector.contract
// CHECK-NOT: linalg.matmul
// CHECK: return
