// A shared-memory tree reduction (barriers between the levels) run on the host by
// mlc-gpu-launch-to-loops: 1 + ... + 8 = 36, plus thread 0's own input (1) kept across three
// barriers. Executing each thread to completion instead of phase by phase would read unwritten
// shared memory.
// RUN: mlc-opt %s --pass-pipeline="builtin.module(func.func(mlc-gpu-launch-to-loops), convert-vector-to-llvm, convert-scf-to-cf, finalize-memref-to-llvm, convert-arith-to-llvm, convert-index-to-llvm, convert-func-to-llvm, convert-cf-to-llvm, reconcile-unrealized-casts)" \
// RUN:   | mlir-cpu-runner -e main -entry-point-result=void -shared-libs=%mlir_c_runner_utils | FileCheck %s
// CHECK: 37

func.func @tree_sum(%in: memref<8xf32>, %out: memref<f32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1)
             threads(%tx, %ty, %tz) in (%sx = %c8, %sy = %c1, %sz = %c1)
             workgroup(%shared : memref<8xf32, #gpu.address_space<workgroup>>) {
    %v = memref.load %in[%tx] : memref<8xf32>
    memref.store %v, %shared[%tx] : memref<8xf32, #gpu.address_space<workgroup>>
    gpu.barrier
    %lt4 = arith.cmpi ult, %tx, %c4 : index
    scf.if %lt4 {
      %o = arith.addi %tx, %c4 : index
      %a = memref.load %shared[%tx] : memref<8xf32, #gpu.address_space<workgroup>>
      %b = memref.load %shared[%o] : memref<8xf32, #gpu.address_space<workgroup>>
      %s = arith.addf %a, %b : f32
      memref.store %s, %shared[%tx] : memref<8xf32, #gpu.address_space<workgroup>>
    }
    gpu.barrier
    %lt2 = arith.cmpi ult, %tx, %c2 : index
    scf.if %lt2 {
      %o = arith.addi %tx, %c2 : index
      %a = memref.load %shared[%tx] : memref<8xf32, #gpu.address_space<workgroup>>
      %b = memref.load %shared[%o] : memref<8xf32, #gpu.address_space<workgroup>>
      %s = arith.addf %a, %b : f32
      memref.store %s, %shared[%tx] : memref<8xf32, #gpu.address_space<workgroup>>
    }
    gpu.barrier
    %is0 = arith.cmpi eq, %tx, %c0 : index
    scf.if %is0 {
      %a = memref.load %shared[%c0] : memref<8xf32, #gpu.address_space<workgroup>>
      %b = memref.load %shared[%c1] : memref<8xf32, #gpu.address_space<workgroup>>
      %s = arith.addf %a, %b : f32
      // Thread 0's own input, kept across three barriers.
      %t = arith.addf %s, %v : f32
      memref.store %t, %out[] : memref<f32>
    }
    gpu.terminator
  }
  return
}

func.func @main() {
  %in = memref.alloc() : memref<8xf32>
  %out = memref.alloc() : memref<f32>
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %one = arith.constant 1.0 : f32
  scf.for %i = %c0 to %c8 step %c1 {
    %ii = arith.index_cast %i : index to i32
    %f = arith.sitofp %ii : i32 to f32
    %v = arith.addf %f, %one : f32
    memref.store %v, %in[%i] : memref<8xf32>
  }
  call @tree_sum(%in, %out) : (memref<8xf32>, memref<f32>) -> ()
  %r = memref.load %out[] : memref<f32>
  vector.print %r : f32
  return
}
