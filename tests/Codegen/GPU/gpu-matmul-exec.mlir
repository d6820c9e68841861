// The tensor-core GEMM kernels of mlc-gpu-matmul, executed on the host by
// mlc-gpu-launch-to-loops (which runs mma.sync with PTX's fragment layout and TF32 truncation),
// against a plain loop nest: C (37x21) = A (37x45) * B^T, with B stored 21x45 and read in place,
// on top of C's previous contents (no fill); no size is a multiple of the tiles. The inputs are
// not TF32 numbers, so precision=fp32 (three TF32 passes) must be near f32 and precision=tf32
// (one pass) visibly worse; a wrong fragment layout or edge handling gives errors of order 1.
// RUN: mlc-opt %s --pass-pipeline="builtin.module(func.func(mlc-gpu-matmul{precision=fp32}, mlc-gpu-launch-to-loops), convert-vector-to-llvm, convert-math-to-llvm, convert-scf-to-cf, finalize-memref-to-llvm, convert-arith-to-llvm, convert-index-to-llvm, convert-func-to-llvm, convert-cf-to-llvm, reconcile-unrealized-casts)" \
// RUN:   | mlir-cpu-runner -e main -entry-point-result=void -shared-libs=%mlir_c_runner_utils | FileCheck %s --check-prefix=FP32
// RUN: mlc-opt %s --pass-pipeline="builtin.module(func.func(mlc-gpu-matmul{precision=tf32}, mlc-gpu-launch-to-loops), convert-vector-to-llvm, convert-math-to-llvm, convert-scf-to-cf, finalize-memref-to-llvm, convert-arith-to-llvm, convert-index-to-llvm, convert-func-to-llvm, convert-cf-to-llvm, reconcile-unrealized-casts)" \
// RUN:   | mlir-cpu-runner -e main -entry-point-result=void -shared-libs=%mlir_c_runner_utils | FileCheck %s --check-prefix=TF32
// Printed, one per line (1 or 0): max |error| < 1e-5, max |error| < 1e-2, max |error| > 1e-5.
// FP32: 1
// FP32-NEXT: 1
// FP32-NEXT: 0
// TF32: 0
// TF32-NEXT: 1
// TF32-NEXT: 1

#a = affine_map<(m, n, k) -> (m, k)>
#b = affine_map<(m, n, k) -> (n, k)>
#c = affine_map<(m, n, k) -> (m, n)>

func.func @gemm(%a: memref<37x45xf32>, %b: memref<21x45xf32>, %c: memref<37x21xf32>) {
  linalg.generic {indexing_maps = [#a, #b, #c], iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : memref<37x45xf32>, memref<21x45xf32>) outs(%c : memref<37x21xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  }
  return
}

// A value with all 23 mantissa bits in use: sin of a scaled index.
func.func @value(%i: index, %j: index, %scale: f32) -> f32 {
  %ii = arith.index_cast %i : index to i32
  %jj = arith.index_cast %j : index to i32
  %c7 = arith.constant 7 : i32
  %m = arith.muli %ii, %c7 : i32
  %s = arith.addi %m, %jj : i32
  %f = arith.sitofp %s : i32 to f32
  %x = arith.mulf %f, %scale : f32
  %v = math.sin %x : f32
  return %v : f32
}

func.func @main() {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c21 = arith.constant 21 : index
  %c37 = arith.constant 37 : index
  %c45 = arith.constant 45 : index
  %sa = arith.constant 0.731 : f32
  %sb = arith.constant 1.37 : f32
  %sc = arith.constant 0.29 : f32
  %a = memref.alloc() : memref<37x45xf32>
  %b = memref.alloc() : memref<21x45xf32>
  %c = memref.alloc() : memref<37x21xf32>
  %ref = memref.alloc() : memref<37x21xf32>
  scf.for %i = %c0 to %c37 step %c1 {
    scf.for %k = %c0 to %c45 step %c1 {
      %v = func.call @value(%i, %k, %sa) : (index, index, f32) -> f32
      memref.store %v, %a[%i, %k] : memref<37x45xf32>
    }
  }
  scf.for %j = %c0 to %c21 step %c1 {
    scf.for %k = %c0 to %c45 step %c1 {
      %v = func.call @value(%j, %k, %sb) : (index, index, f32) -> f32
      memref.store %v, %b[%j, %k] : memref<21x45xf32>
    }
  }
  // The reference, in f64: C0 + sum_k A[i][k] * B[j][k].
  scf.for %i = %c0 to %c37 step %c1 {
    scf.for %j = %c0 to %c21 step %c1 {
      %c0v = func.call @value(%i, %j, %sc) : (index, index, f32) -> f32
      memref.store %c0v, %c[%i, %j] : memref<37x21xf32>
      %init = arith.extf %c0v : f32 to f64
      %sum = scf.for %k = %c0 to %c45 step %c1 iter_args(%acc = %init) -> f64 {
        %x = memref.load %a[%i, %k] : memref<37x45xf32>
        %y = memref.load %b[%j, %k] : memref<21x45xf32>
        %xd = arith.extf %x : f32 to f64
        %yd = arith.extf %y : f32 to f64
        %p = arith.mulf %xd, %yd : f64
        %s = arith.addf %acc, %p : f64
        scf.yield %s : f64
      }
      %sf = arith.truncf %sum : f64 to f32
      memref.store %sf, %ref[%i, %j] : memref<37x21xf32>
    }
  }
  func.call @gemm(%a, %b, %c) : (memref<37x45xf32>, memref<21x45xf32>, memref<37x21xf32>) -> ()
  %zero = arith.constant 0.0 : f32
  %err = scf.for %i = %c0 to %c37 step %c1 iter_args(%e0 = %zero) -> f32 {
    %e1 = scf.for %j = %c0 to %c21 step %c1 iter_args(%e = %e0) -> f32 {
      %x = memref.load %c[%i, %j] : memref<37x21xf32>
      %y = memref.load %ref[%i, %j] : memref<37x21xf32>
      %d = arith.subf %x, %y : f32
      %ad = math.absf %d : f32
      %m = arith.maximumf %e, %ad : f32
      scf.yield %m : f32
    }
    scf.yield %e1 : f32
  }
  %t5 = arith.constant 1.0e-5 : f32
  %t2 = arith.constant 1.0e-2 : f32
  %near = arith.cmpf olt, %err, %t5 : f32
  %close = arith.cmpf olt, %err, %t2 : f32
  %worse = arith.cmpf ogt, %err, %t5 : f32
  %n = arith.extui %near : i1 to i32
  %cl = arith.extui %close : i1 to i32
  %w = arith.extui %worse : i1 to i32
  vector.print %n : i32
  vector.print %cl : i32
  vector.print %w : i32
  return
}
