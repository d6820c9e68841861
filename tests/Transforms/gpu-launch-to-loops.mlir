// mlc-gpu-launch-to-loops: a launch becomes loops over blocks (z, y, x) then threads (z, y, x),
// with the ids bound to the loop variables; each top-level barrier starts a new thread loop nest
// (a phase); barriers inside control flow are rejected. Execution: gpu-launch-to-loops-exec.mlir.
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

// Two phases: shared memory becomes a per-block buffer, a scalar used after the barrier is
// spilled per thread and reloaded.
// CHECK-LABEL: func.func @two_phases
// CHECK: scf.for
// CHECK: %[[SHARED:.*]] = memref.alloca() : memref<32xf32>
// CHECK: %[[SPILL:.*]] = memref.alloca() : memref<1x1x32xf32>
// CHECK: scf.for
// CHECK: memref.store %{{.*}}, %[[SPILL]][
// CHECK: memref.store %{{.*}}, %[[SHARED]][
// CHECK: scf.for
// CHECK: memref.load %[[SHARED]][
// CHECK: memref.load %[[SPILL]][
func.func @two_phases(%in: memref<32xf32>, %out: memref<32xf32>) {
  %c1 = arith.constant 1 : index
  %c31 = arith.constant 31 : index
  %c32 = arith.constant 32 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1)
             workgroup(%shared : memref<32xf32, #gpu.address_space<workgroup>>) {
    %v = memref.load %in[%tx] : memref<32xf32>
    memref.store %v, %shared[%tx] : memref<32xf32, #gpu.address_space<workgroup>>
    gpu.barrier
    %mirror = arith.subi %c31, %tx : index
    %w = memref.load %shared[%mirror] : memref<32xf32, #gpu.address_space<workgroup>>
    %s = arith.addf %v, %w : f32
    memref.store %s, %out[%tx] : memref<32xf32>
    gpu.terminator
  }
  return
}

// -----

func.func @barrier_in_control_flow(%out: memref<32xf32>, %flag: i1) {
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  // expected-error @below {{a barrier inside control flow cannot be emulated}}
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    scf.if %flag {
      gpu.barrier
    }
    gpu.terminator
  }
  return
}
