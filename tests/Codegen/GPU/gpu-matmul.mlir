// mlc-gpu-matmul: an f32 contraction on buffers becomes one tensor-core GEMM kernel: 2x2 warps of
// 32x32 outputs for 64x128, A and B tiles (32 deep, padded rows) in shared memory, barriers
// around the mma.sync steps, the fill folded into the accumulators. Execution (fragment layout,
// edges, precision): gpu-matmul-exec.mlir.
// RUN: mlc-opt %s --split-input-file --verify-diagnostics --pass-pipeline="builtin.module(func.func(mlc-gpu-matmul), canonicalize, cse)" | FileCheck %s
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-gpu-matmul{precision=tf32}), canonicalize, cse)" | FileCheck %s --check-prefix=TF32

// CHECK-LABEL: func.func @matmul_with_fill
// CHECK-NOT: linalg.fill
// CHECK: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : vector<2x2xf32>
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c2, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c128, {{.*}} = %c1, {{.*}} = %c1)
// CHECK-SAME: workgroup(%[[TA:.*]] : memref<64x36xf32, #gpu.address_space<workgroup>>, %[[TB:.*]] : memref<32x72xf32, #gpu.address_space<workgroup>>)
// Zero accumulators: 2x4 fragments of 16x8 per warp.
// CHECK: scf.for %{{.*}} = %c0 to %c784 step %c32 iter_args(%{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]]) -> (vector<2x2xf32>
// CHECK: memref.store %{{.*}}, %[[TA]][
// CHECK: memref.store %{{.*}}, %[[TB]][
// CHECK: gpu.barrier
// Four 8-deep steps of 8 fragments, three passes each (fp32 precision).
// CHECK-COUNT-96: nvgpu.mma.sync
// CHECK: gpu.barrier
// CHECK: scf.yield
// CHECK-NOT: scf.if
// CHECK: gpu.terminator
// CHECK-NOT: linalg.matmul
// TF32-LABEL: func.func @matmul_with_fill
// TF32-COUNT-32: nvgpu.mma.sync
// TF32-NOT: nvgpu.mma.sync
// TF32: scf.yield
func.func @matmul_with_fill(%a: memref<64x784xf32>, %b: memref<784x128xf32>, %c: memref<64x128xf32>) {
  %zero = arith.constant 0.0 : f32
  linalg.fill ins(%zero : f32) outs(%c : memref<64x128xf32>)
  linalg.matmul ins(%a, %b : memref<64x784xf32>, memref<784x128xf32>) outs(%c : memref<64x128xf32>)
  return
}

// -----

// No fill: the accumulators start from C. 10 columns: one warp column of two 8-wide fragments,
// and the stores are guarded at the edge.
// CHECK-LABEL: func.func @accumulate_partial_tiles
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1, {{.*}} = %c1, {{.*}} = %c1) threads({{.*}}) in ({{.*}} = %c64,
// CHECK: memref.load %{{.*}} : memref<64x10xf32>
// CHECK: scf.for
// CHECK: scf.if
// CHECK: memref.store %{{.*}} : memref<64x10xf32>
func.func @accumulate_partial_tiles(%a: memref<64x128xf32>, %b: memref<128x10xf32>, %c: memref<64x10xf32>) {
  linalg.matmul ins(%a, %b : memref<64x128xf32>, memref<128x10xf32>) outs(%c : memref<64x10xf32>)
  return
}

// -----

// f64 has no TF32 tensor-core path: left to the per-thread schedule.
// CHECK-LABEL: func.func @f64_is_left_alone
// CHECK-NOT: gpu.launch
// CHECK: linalg.matmul
func.func @f64_is_left_alone(%a: memref<8x8xf64>, %b: memref<8x8xf64>, %c: memref<8x8xf64>) {
  linalg.matmul ins(%a, %b : memref<8x8xf64>, memref<8x8xf64>) outs(%c : memref<8x8xf64>)
  return
}
