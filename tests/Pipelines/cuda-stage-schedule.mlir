// Stage schedule for cuda: every op with a parallel dimension is a block forall around a thread forall; scalar ops stay as they are.
// RUN: mlc-opt %S/Inputs/mlp.mlir --mlc-stage-graph --mlc-stage-linalg --mlc-stage-schedule="target=cuda" | FileCheck %s

// The forward matmul (32x64, k = 48): 8x32-thread blocks, one output element and the whole k per
// thread. The weight gradient (64x48, reduced over the batch of 32): 48 columns -> 24 on x.
// CHECK-LABEL: func.func @train_step
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (32, 64) step (8, 32)
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (8, 32)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<1x48xf32>, tensor<48x1xf32>) outs(%{{.*}} : tensor<1x1xf32>)
// CHECK: } {mapping = [#gpu.thread<y>, #gpu.thread<x>]}
// CHECK: } {mapping = [#gpu.block<y>, #gpu.block<x>]}
// The loss is a full reduction to a scalar: no parallel dimension, not tiled.
// CHECK: %[[LOSS:.*]] = linalg.generic {{.*}} iterator_types = ["reduction"]} {{.*}} outs(%{{.*}} : tensor<f32>)
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (64, 48) step (8, 24)
// CHECK: linalg.matmul_transpose_a ins(%{{.*}}, %{{.*}} : tensor<32x1xf32>, tensor<32x1xf32>) outs(%{{.*}} : tensor<1x1xf32>)
// CHECK: return {{.*}}, %[[LOSS]] :
// No CPU schedule (vectors).
// CHECK-NOT: vector.
// CHECK-LABEL: func.func @eval_step
// CHECK: {mapping = [#gpu.thread<y>, #gpu.thread<x>]}
// CHECK: {mapping = [#gpu.block<y>, #gpu.block<x>]}
// CHECK-NOT: vector.
// CHECK: return
