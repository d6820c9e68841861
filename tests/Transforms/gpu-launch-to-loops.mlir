// mlc-gpu-launch-to-loops: a launch becomes loops over blocks (z, y, x) then threads (z, y, x),
// with the ids bound to the loop variables; launches with barriers are rejected.
// RUN: mlc-opt %s --split-input-file --verify-diagnostics --pass-pipeline="builtin.module(func.func(mlc-gpu-launch-to-loops))" | FileCheck %s

// CHECK-LABEL: func.func @grid_2x1_block_32
// CHECK-NOT: gpu.launch
// CHECK: scf.for %{{.*}} = %c0 to %c1
// CHECK: scf.for %{{.*}} = %c0 to %c1
// CHECK: scf.for %[[BX:.*]] = %c0 to %c2
// CHECK: scf.for %{{.*}} = %c0 to %c1
// CHECK: scf.for %{{.*}} = %c0 to %c1
// CHECK: scf.for %[[TX:.*]] = %c0 to %c32
// CHECK: %[[M:.*]] = arith.muli %[[BX]], %c32
// CHECK: %[[I:.*]] = arith.addi %[[M]], %[[TX]]
// CHECK: memref.store %{{.*}}, %{{.*}}[%[[I]]]
func.func @grid_2x1_block_32(%out: memref<64xf32>) {
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c32 = arith.constant 32 : index
  %v = arith.constant 1.0 : f32
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c2, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    %m = arith.muli %bx, %sx : index
    %i = arith.addi %m, %tx : index
    memref.store %v, %out[%i] : memref<64xf32>
    gpu.terminator
  }
  return
}

// -----

func.func @with_barrier(%out: memref<32xf32>) {
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  // expected-error @below {{barriers and shared memory cannot be emulated}}
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    gpu.barrier
    gpu.terminator
  }
  return
}
