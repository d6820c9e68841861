// mlc-gpu-tree-reduce: a full f32 sum becomes a one-block tree reduction (strided per-thread
// sums, then halving steps in shared memory between barriers); other reductions are left alone.
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-gpu-tree-reduce), canonicalize, cse)" | FileCheck %s

// CHECK-LABEL: func.func @loss_mean
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %c1, {{.*}} = %c1, {{.*}} = %c1) threads(%[[T:.*]], %{{.*}}, %{{.*}}) in ({{.*}} = %c64, {{.*}} = %c1, {{.*}} = %c1)
// CHECK-SAME: workgroup(%[[P:.*]] : memref<64xf32, #gpu.address_space<workgroup>>)
// CHECK: scf.for %{{.*}} = %[[T]] to %c64 step %c64
// CHECK: arith.mulf
// CHECK: memref.store %{{.*}}, %[[P]][%[[T]]]
// One barrier after the partial sums, then one per halving step (32, 16, ..., 1).
// CHECK-COUNT-7: gpu.barrier
// CHECK-NOT: gpu.barrier
// CHECK: arith.cmpi eq, %[[T]], %c0
// CHECK: memref.load %arg1[]
// CHECK: memref.store %{{.*}}, %arg1[]
// CHECK-NOT: linalg.generic
func.func @loss_mean(%x: memref<64xf32>, %s: memref<f32>) {
  %scale = arith.constant 0.015625 : f32
  linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> ()>], iterator_types = ["reduction"]}
      ins(%x : memref<64xf32>) outs(%s : memref<f32>) {
  ^bb0(%a: f32, %acc: f32):
    %m = arith.mulf %a, %scale : f32
    %t = arith.addf %acc, %m : f32
    linalg.yield %t : f32
  }
  return
}

// -----

// A reduction into a vector (a bias gradient) and a max are not full sums.
// CHECK-LABEL: func.func @not_full_sums
// CHECK-NOT: gpu.launch
// CHECK: linalg.generic
// CHECK: linalg.generic
func.func @not_full_sums(%x: memref<8x4xf32>, %v: memref<4xf32>, %m: memref<f32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>], iterator_types = ["reduction", "parallel"]}
      ins(%x : memref<8x4xf32>) outs(%v : memref<4xf32>) {
  ^bb0(%a: f32, %acc: f32):
    %t = arith.addf %acc, %a : f32
    linalg.yield %t : f32
  }
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%x : memref<8x4xf32>) outs(%m : memref<f32>) {
  ^bb0(%a: f32, %acc: f32):
    %t = arith.maximumf %acc, %a : f32
    linalg.yield %t : f32
  }
  return
}
