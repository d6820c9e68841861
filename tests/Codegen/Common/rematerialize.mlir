// mlc-rematerialize: a cheap elementwise value read again far from where it was computed is
// recomputed there from a value that is live there anyway; a value whose inputs would have to
// be kept alive for that stays as it is.
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-rematerialize{near-ops=3 small-bytes=64}))" | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>
// The batch-norm pattern: %x (a product's output) is read by the backward op anyway, so %y,
// scaled from it, is recomputed there instead of living from the forward op to the backward op.
// CHECK-LABEL: func.func @recomputed_from_live_value
// CHECK: %[[X:.*]] = linalg.matmul
// CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%[[X]] :
// CHECK: linalg.generic {{.*}} ins(%[[Y]] :
// CHECK-COUNT-4: linalg.matmul
// CHECK: %[[Y2:.*]] = linalg.generic {{.*}} ins(%[[X]] : tensor<16x16xf32>)
// CHECK-NEXT: ^bb0
// CHECK-NEXT: arith.mulf
// CHECK: linalg.generic {{.*}} ins(%arg2, %[[Y2]], %[[X]] :
func.func @recomputed_from_live_value(%a: tensor<16x16xf32>, %b: tensor<16x16xf32>, %g: tensor<16x16xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %two = arith.constant 2.0 : f32
  %e = tensor.empty() : tensor<16x16xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<16x16xf32>) -> tensor<16x16xf32>
  %x = linalg.matmul ins(%a, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%z : tensor<16x16xf32>) -> tensor<16x16xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<16x16xf32>) outs(%e : tensor<16x16xf32>) {
  ^bb0(%v: f32, %o: f32):
    %s = arith.mulf %v, %two : f32
    linalg.yield %s : f32
  } -> tensor<16x16xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<16x16xf32>) outs(%e : tensor<16x16xf32>) {
  ^bb0(%v: f32, %o: f32):
    %s = arith.maximumf %v, %zero : f32
    linalg.yield %s : f32
  } -> tensor<16x16xf32>
  %m1 = linalg.matmul ins(%r, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%z : tensor<16x16xf32>) -> tensor<16x16xf32>
  %m2 = linalg.matmul ins(%m1, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%z : tensor<16x16xf32>) -> tensor<16x16xf32>
  %m3 = linalg.matmul ins(%m2, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%z : tensor<16x16xf32>) -> tensor<16x16xf32>
  %m4 = linalg.matmul ins(%m3, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%z : tensor<16x16xf32>) -> tensor<16x16xf32>
  %dy = linalg.generic {indexing_maps = [#id, #id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%g, %y, %x : tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>) outs(%e : tensor<16x16xf32>) {
  ^bb0(%gv: f32, %yv: f32, %xv: f32, %o: f32):
    %p = arith.cmpf ogt, %yv, %zero : f32
    %s = arith.select %p, %gv, %zero : f32
    %t = arith.mulf %s, %xv : f32
    linalg.yield %t : f32
  } -> tensor<16x16xf32>
  return %dy, %m4 : tensor<16x16xf32>, tensor<16x16xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
// %x dies after %y is computed: recomputing %y later would keep %x alive instead, so %y stays.
// CHECK-LABEL: func.func @kept_when_inputs_die
// CHECK: %[[Y:.*]] = linalg.generic
// CHECK-COUNT-4: linalg.matmul
// CHECK: linalg.generic {{.*}} ins(%arg2, %[[Y]] :
// CHECK-NOT: linalg.generic
func.func @kept_when_inputs_die(%a: tensor<16x16xf32>, %b: tensor<16x16xf32>, %g: tensor<16x16xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %two = arith.constant 2.0 : f32
  %e = tensor.empty() : tensor<16x16xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<16x16xf32>) -> tensor<16x16xf32>
  %x = linalg.matmul ins(%a, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%z : tensor<16x16xf32>) -> tensor<16x16xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<16x16xf32>) outs(%e : tensor<16x16xf32>) {
  ^bb0(%v: f32, %o: f32):
    %s = arith.mulf %v, %two : f32
    linalg.yield %s : f32
  } -> tensor<16x16xf32>
  %m1 = linalg.matmul ins(%y, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%z : tensor<16x16xf32>) -> tensor<16x16xf32>
  %m2 = linalg.matmul ins(%m1, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%z : tensor<16x16xf32>) -> tensor<16x16xf32>
  %m3 = linalg.matmul ins(%m2, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%z : tensor<16x16xf32>) -> tensor<16x16xf32>
  %m4 = linalg.matmul ins(%m3, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%z : tensor<16x16xf32>) -> tensor<16x16xf32>
  %dy = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%g, %y : tensor<16x16xf32>, tensor<16x16xf32>) outs(%e : tensor<16x16xf32>) {
  ^bb0(%gv: f32, %yv: f32, %o: f32):
    %t = arith.mulf %gv, %yv : f32
    linalg.yield %t : f32
  } -> tensor<16x16xf32>
  return %dy, %m4 : tensor<16x16xf32>, tensor<16x16xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
// A chain: %r is recomputed from %y, which is recomputed in turn from %x (live at the far op).
// CHECK-LABEL: func.func @chain
// CHECK: %[[X:.*]] = linalg.matmul
// CHECK-COUNT-4: linalg.matmul
// CHECK: %[[Y2:.*]] = linalg.generic {{.*}} ins(%[[X]] :
// CHECK: %[[R2:.*]] = linalg.generic {{.*}} ins(%[[Y2]] :
// CHECK: linalg.generic {{.*}} ins(%arg2, %[[R2]], %[[X]] :
func.func @chain(%a: tensor<16x16xf32>, %b: tensor<16x16xf32>, %g: tensor<16x16xf32>) -> (tensor<16x16xf32>, tensor<16x16xf32>) {
  %zero = arith.constant 0.0 : f32
  %two = arith.constant 2.0 : f32
  %e = tensor.empty() : tensor<16x16xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<16x16xf32>) -> tensor<16x16xf32>
  %x = linalg.matmul ins(%a, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%z : tensor<16x16xf32>) -> tensor<16x16xf32>
  %y = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<16x16xf32>) outs(%e : tensor<16x16xf32>) {
  ^bb0(%v: f32, %o: f32):
    %s = arith.mulf %v, %two : f32
    linalg.yield %s : f32
  } -> tensor<16x16xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%y : tensor<16x16xf32>) outs(%e : tensor<16x16xf32>) {
  ^bb0(%v: f32, %o: f32):
    %s = arith.maximumf %v, %zero : f32
    linalg.yield %s : f32
  } -> tensor<16x16xf32>
  %m1 = linalg.matmul ins(%r, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%z : tensor<16x16xf32>) -> tensor<16x16xf32>
  %m2 = linalg.matmul ins(%m1, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%z : tensor<16x16xf32>) -> tensor<16x16xf32>
  %m3 = linalg.matmul ins(%m2, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%z : tensor<16x16xf32>) -> tensor<16x16xf32>
  %m4 = linalg.matmul ins(%m3, %b : tensor<16x16xf32>, tensor<16x16xf32>) outs(%z : tensor<16x16xf32>) -> tensor<16x16xf32>
  %dy = linalg.generic {indexing_maps = [#id, #id, #id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%g, %r, %x : tensor<16x16xf32>, tensor<16x16xf32>, tensor<16x16xf32>) outs(%e : tensor<16x16xf32>) {
  ^bb0(%gv: f32, %rv: f32, %xv: f32, %o: f32):
    %s = arith.mulf %gv, %rv : f32
    %t = arith.mulf %s, %xv : f32
    linalg.yield %t : f32
  } -> tensor<16x16xf32>
  return %dy, %m4 : tensor<16x16xf32>, tensor<16x16xf32>
}
