// mlc.dropout lowered and run on the host: over 65536 ones with ratio 0.4, the kept fraction is
// about 0.6 and kept elements are scaled by 1 / 0.6; the same step and seed redraw the same mask
// (the gradient relies on it); another step, another seed or another stream draws a different
// one (two independent masks differ in about 2 * 0.4 * 0.6 = 48% of the elements).
// RUN: mlc-opt %s --pass-pipeline="builtin.module(convert-mlc-to-linalg, one-shot-bufferize{bufferize-function-boundaries}, func.func(convert-linalg-to-loops), convert-scf-to-cf, expand-strided-metadata, lower-affine, finalize-memref-to-llvm, convert-vector-to-llvm, convert-arith-to-llvm, convert-index-to-llvm, convert-func-to-llvm, convert-cf-to-llvm, reconcile-unrealized-casts)" \
// RUN:   | mlir-cpu-runner -e main -entry-point-result=void -shared-libs=%mlir_c_runner_utils | FileCheck %s
// Kept fraction, then the largest kept value.
// CHECK: 0.59{{[0-9]*}}
// CHECK-NEXT: 1.6666{{[0-9]*}}
// Fraction of elements whose mask differs: same draw, next step, other seed, other stream.
// CHECK-NEXT: 0
// CHECK-NEXT: 0.4{{[6-9][0-9]*}}
// CHECK-NEXT: 0.4{{[6-9][0-9]*}}
// CHECK-NEXT: 0.4{{[6-9][0-9]*}}

func.func @differ(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> f32 {
  %zero = arith.constant dense<0.0> : tensor<256x256xf32>
  %one = arith.constant dense<1.0> : tensor<256x256xf32>
  %ka = mlc.where_gt %a, %zero, %one, %zero : tensor<256x256xf32>
  %kb = mlc.where_gt %b, %zero, %one, %zero : tensor<256x256xf32>
  %d = mlc.sub %ka, %kb : tensor<256x256xf32>
  %d2 = mlc.mul %d, %d : tensor<256x256xf32>
  %s = mlc.reduce_sum %d2 dims = [0, 1] : tensor<256x256xf32> -> tensor<f32>
  %v = tensor.extract %s[] : tensor<f32>
  %n = arith.constant 65536.0 : f32
  %f = arith.divf %v, %n : f32
  return %f : f32
}

func.func @main() {
  %x = arith.constant dense<1.0> : tensor<256x256xf32>
  %one = arith.constant dense<1.0> : tensor<256x256xf32>
  %s1 = arith.constant dense<1.0> : tensor<f32>
  %s2 = arith.constant dense<2.0> : tensor<f32>
  %seed0 = arith.constant dense<0.0> : tensor<f32>
  %seed9 = arith.constant dense<9.0> : tensor<f32>
  %a = mlc.dropout %x, %s1, %seed0 ratio = 4.000000e-01 stream = 0 : tensor<256x256xf32>
  %a2 = mlc.dropout %one, %s1, %seed0 ratio = 4.000000e-01 stream = 0 : tensor<256x256xf32>
  %b = mlc.dropout %x, %s2, %seed0 ratio = 4.000000e-01 stream = 0 : tensor<256x256xf32>
  %c = mlc.dropout %x, %s1, %seed9 ratio = 4.000000e-01 stream = 0 : tensor<256x256xf32>
  %d = mlc.dropout %x, %s1, %seed0 ratio = 4.000000e-01 stream = 1 : tensor<256x256xf32>

  %sum = mlc.reduce_sum %a dims = [0, 1] : tensor<256x256xf32> -> tensor<f32>
  %sumv = tensor.extract %sum[] : tensor<f32>
  %scale = arith.constant 0.6 : f32
  %n = arith.constant 65536.0 : f32
  %kept = arith.divf %sumv, %n : f32
  %frac = arith.mulf %kept, %scale : f32
  vector.print %frac : f32
  %max = mlc.reduce_max %a dims = [0, 1] : tensor<256x256xf32> -> tensor<f32>
  %maxv = tensor.extract %max[] : tensor<f32>
  vector.print %maxv : f32

  %same = call @differ(%a, %a2) : (tensor<256x256xf32>, tensor<256x256xf32>) -> f32
  vector.print %same : f32
  %step = call @differ(%a, %b) : (tensor<256x256xf32>, tensor<256x256xf32>) -> f32
  vector.print %step : f32
  %seed = call @differ(%a, %c) : (tensor<256x256xf32>, tensor<256x256xf32>) -> f32
  vector.print %seed : f32
  %stream = call @differ(%a, %d) : (tensor<256x256xf32>, tensor<256x256xf32>) -> f32
  vector.print %stream : f32
  return
}
