// mlc-gpu-tree-reduce's kernel run on the host by mlc-gpu-launch-to-loops: the sum of i over a
// 25x40 input read transposed (1000 elements, not a multiple of the 256 threads) onto an output
// that starts at 0.5: 0.5 + 999 * 1000 / 2 = 499500.5. Every partial sum takes part exactly once.
// RUN: mlc-opt %s --pass-pipeline="builtin.module(func.func(mlc-gpu-tree-reduce, mlc-gpu-launch-to-loops), convert-vector-to-llvm, convert-scf-to-cf, finalize-memref-to-llvm, convert-arith-to-llvm, convert-index-to-llvm, convert-func-to-llvm, convert-cf-to-llvm, reconcile-unrealized-casts)" \
// RUN:   | mlir-cpu-runner -e main -entry-point-result=void -shared-libs=%mlir_c_runner_utils | FileCheck %s
// Printed minus 499000 (vector.print shows six digits): 500.5.
// CHECK: 500.5

func.func @sum(%x: memref<40x25xf32>, %s: memref<f32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> ()>], iterator_types = ["reduction", "reduction"]}
      ins(%x : memref<40x25xf32>) outs(%s : memref<f32>) {
  ^bb0(%a: f32, %acc: f32):
    %t = arith.addf %acc, %a : f32
    linalg.yield %t : f32
  }
  return
}

func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c25 = arith.constant 25 : index
  %c40 = arith.constant 40 : index
  %x = memref.alloc() : memref<40x25xf32>
  %s = memref.alloc() : memref<f32>
  scf.for %i = %c0 to %c40 step %c1 {
    scf.for %j = %c0 to %c25 step %c1 {
      %row = arith.muli %i, %c25 : index
      %lin = arith.addi %row, %j : index
      %li = arith.index_cast %lin : index to i32
      %v = arith.sitofp %li : i32 to f32
      memref.store %v, %x[%i, %j] : memref<40x25xf32>
    }
  }
  %half = arith.constant 0.5 : f32
  memref.store %half, %s[] : memref<f32>
  func.call @sum(%x, %s) : (memref<40x25xf32>, memref<f32>) -> ()
  %r = memref.load %s[] : memref<f32>
  %base = arith.constant 499000.0 : f32
  %d = arith.subf %r, %base : f32
  vector.print %d : f32
  return
}
