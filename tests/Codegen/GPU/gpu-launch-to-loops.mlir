// mlc-gpu-launch-to-loops: a launch becomes loops over blocks (z, y, x) then threads (z, y, x),
// with the ids bound to the loop variables; each barrier or mma.sync starts a new thread loop nest
// (a segment); a loop with barriers becomes a host loop around its segments; barriers inside
// other control flow are rejected. Execution: gpu-launch-to-loops-exec.mlir, gpu-matmul-exec.mlir.
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

// Two segments: shared memory becomes a buffer that the blocks use in turn; a loaded scalar used
// after the barrier is kept in a per-thread slot (the index computation is recomputed).
// CHECK-LABEL: func.func @two_phases
// CHECK: %[[SHARED:.*]] = memref.alloc() : memref<32xf32>
// CHECK: %[[SPILL:.*]] = memref.alloc() : memref<32xf32>
// CHECK: scf.for
// CHECK: scf.for
// CHECK: memref.store %{{.*}}, %[[SPILL]][
// CHECK: memref.store %{{.*}}, %[[SHARED]][
// CHECK: scf.for
// CHECK: memref.load %[[SHARED]][
// CHECK: memref.load %[[SPILL]][
// CHECK: memref.dealloc %[[SHARED]]
// CHECK: memref.dealloc %[[SPILL]]
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
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    // expected-error @below {{a barrier inside 'scf.if' cannot be emulated}}
    scf.if %flag {
      gpu.barrier
    }
    gpu.terminator
  }
  return
}

// -----

// A loop with barriers (a K loop staging tiles through shared memory) is a host loop around
// one thread loop nest per segment; its loop-carried value lives in a per-thread slot, which
// its result reads after the loop.
// CHECK-LABEL: func.func @loop_with_barriers
// CHECK: %[[SHARED:.*]] = memref.alloc() : memref<32xf32>
// CHECK: %[[SLOT:.*]] = memref.alloc() : memref<32xf32>
// Initial value into the slot, for every thread.
// CHECK: memref.store %{{.*}}, %[[SLOT]][
// The host loop: stage, barrier, accumulate, barrier; the yield writes the slot.
// CHECK: scf.for %{{.*}} = %c0 to %c4 step %c1 {
// CHECK: memref.store %{{.*}}, %[[SHARED]][
// CHECK: memref.load %[[SHARED]][
// CHECK: memref.load %[[SLOT]][
// CHECK: memref.store %{{.*}}, %[[SLOT]][
// CHECK: }
// After the loop: the result, from the slot.
// CHECK: memref.load %[[SLOT]][
// CHECK: memref.store %{{.*}}, %arg1[
func.func @loop_with_barriers(%in: memref<4x32xf32>, %out: memref<32xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c31 = arith.constant 31 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant 0.0 : f32
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1)
             workgroup(%shared : memref<32xf32, #gpu.address_space<workgroup>>) {
    %sum = scf.for %k = %c0 to %c4 step %c1 iter_args(%acc = %zero) -> f32 {
      %v = memref.load %in[%k, %tx] : memref<4x32xf32>
      memref.store %v, %shared[%tx] : memref<32xf32, #gpu.address_space<workgroup>>
      gpu.barrier
      %mirror = arith.subi %c31, %tx : index
      %w = memref.load %shared[%mirror] : memref<32xf32, #gpu.address_space<workgroup>>
      %next = arith.addf %acc, %w : f32
      gpu.barrier
      scf.yield %next : f32
    }
    memref.store %sum, %out[%tx] : memref<32xf32>
    gpu.terminator
  }
  return
}

// -----

// mma.sync is warp-collective: its operands are kept in per-thread slots, and each thread's
// share of the product reads the fragments of the other lanes of its warp.
// CHECK-LABEL: func.func @mma_sync
// CHECK-DAG: %[[A:.*]] = memref.alloc() : memref<32xvector<4x1xf32>>
// CHECK-DAG: %[[B:.*]] = memref.alloc() : memref<32xvector<2x1xf32>>
// CHECK-DAG: %[[C:.*]] = memref.alloc() : memref<32xvector<2x2xf32>>
// CHECK-NOT: nvgpu.mma.sync
// CHECK: memref.store %{{.*}}, %[[A]][
// CHECK: memref.store %{{.*}}, %[[B]][
// CHECK: arith.remui %{{.*}}, %c32
// CHECK: memref.load %[[A]][
// CHECK: arith.andi %{{.*}}, %c-8192_i32
// CHECK: memref.load %[[B]][
// CHECK: memref.store %{{.*}}, %[[C]][
func.func @mma_sync(%a: memref<32x4xf32>, %b: memref<32x2xf32>, %out: memref<32x4xf32>) {
  %c1 = arith.constant 1 : index
  %c32 = arith.constant 32 : index
  %zero = arith.constant dense<0.0> : vector<2x2xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c32, %sy = %c1, %sz = %c1) {
    %c0 = arith.constant 0 : index
    %av = vector.load %a[%tx, %c0] : memref<32x4xf32>, vector<4xf32>
    %bv = vector.load %b[%tx, %c0] : memref<32x2xf32>, vector<2xf32>
    %af = vector.shape_cast %av : vector<4xf32> to vector<4x1xf32>
    %bf = vector.shape_cast %bv : vector<2xf32> to vector<2x1xf32>
    %d = nvgpu.mma.sync (%af, %bf, %zero) {mmaShape = [16, 8, 8], tf32Enabled} : (vector<4x1xf32>, vector<2x1xf32>, vector<2x2xf32>) -> vector<2x2xf32>
    %dv = vector.shape_cast %d : vector<2x2xf32> to vector<4xf32>
    vector.store %dv, %out[%tx, %c0] : memref<32x4xf32>, vector<4xf32>
    gpu.terminator
  }
  return
}
