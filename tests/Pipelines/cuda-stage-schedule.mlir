// Stage schedule for cuda: every op with a parallel dimension is a block forall around a thread forall; scalar ops stay as they are.
// On sm_80 and newer, f32 GEMMs stay whole for mlc-gpu-matmul (tensor cores), each right after
// its own accumulator fill, and read transposed weights in place.
// RUN: mlc-opt %S/Inputs/mlp.mlir --mlc-stage-graph --mlc-stage-linalg --mlc-stage-schedule="target=cuda" | FileCheck %s --check-prefix=TC
// RUN: mlc-opt %S/Inputs/mlp.mlir --mlc-stage-graph --mlc-stage-linalg --mlc-stage-schedule="target=cuda gpu-arch=sm_75" | FileCheck %s

// TC-LABEL: func.func @train_step
// TC-NOT: linalg.transpose
// TC: %[[FILL:.*]] = linalg.fill {mlc.accumulator = {{[0-9]+}} : i64} ins(%{{.*}} : f32) outs(%{{.*}} : tensor<32x64xf32>)
// TC-NEXT: linalg.generic {indexing_maps = [#map, #map1, #map2], iterator_types = ["parallel", "parallel", "reduction"]} ins(%arg4, %arg0 : tensor<32x48xf32>, tensor<64x48xf32>) outs(%[[FILL]] : tensor<32x64xf32>)
// TC-LABEL: func.func @eval_step

// Before sm_80 (no TF32 tensor cores): the forward matmul (32x64, k = 48): 8x32-thread blocks, one output element and the whole k per
// thread. The weight gradient (64x48, reduced over the batch of 32): 48 columns -> 24 on x.
// CHECK-LABEL: func.func @train_step
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (32, 64) step (8, 32)
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (8, 32)
// CHECK: linalg.matmul {mlc.op_group = "gemm"} ins(%{{.*}}, %{{.*}} : tensor<1x48xf32>, tensor<48x1xf32>) outs(%{{.*}} : tensor<1x1xf32>)
// CHECK: } {mapping = [#gpu.thread<y>, #gpu.thread<x>]}
// CHECK: } {mapping = [#gpu.block<y>, #gpu.block<x>]}
// The loss is a full reduction to a scalar: no parallel dimension, not tiled.
// CHECK: %[[LOSS:.*]] = linalg.generic {{.*}} iterator_types = ["reduction"]} {{.*}} outs(%{{.*}} : tensor<f32>)
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (64, 48) step (8, 24)
// CHECK: linalg.matmul_transpose_a {mlc.op_group = "gemm"} ins(%{{.*}}, %{{.*}} : tensor<32x1xf32>, tensor<32x1xf32>) outs(%{{.*}} : tensor<1x1xf32>)
// CHECK: return {{.*}}, %[[LOSS]] :
// No CPU schedule (vectors).
// CHECK-NOT: vector.
// CHECK-LABEL: func.func @eval_step
// CHECK: {mapping = [#gpu.thread<y>, #gpu.thread<x>]}
// CHECK: {mapping = [#gpu.block<y>, #gpu.block<x>]}
// CHECK-NOT: vector.
// CHECK: return
