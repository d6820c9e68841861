// mlc-fuse-elementwise: a producer that is used again later is fused into its consumer and
// yielded as an extra result (one loop, no recomputation); earlier users block the fusion.
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-fuse-elementwise))" | FileCheck %s

#id = affine_map<(d0) -> (d0)>
// The optimizer pattern: the new moment feeds the parameter update and is also returned.
// CHECK-LABEL: func.func @moment_and_update
// CHECK: %[[F:.*]]:2 = linalg.generic
// CHECK-SAME: ins(%arg2, %arg0, %arg1 : tensor<16xf32>, tensor<16xf32>, tensor<16xf32>)
// CHECK-NOT: linalg.generic
// CHECK: return %[[F]]#{{[01]}}, %[[F]]#{{[01]}}
func.func @moment_and_update(%m0: tensor<16xf32>, %g: tensor<16xf32>, %p0: tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>) {
  %e = tensor.empty() : tensor<16xf32>
  %m = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%m0, %g : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.addf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e2 = tensor.empty() : tensor<16xf32>
  %p = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%p0, %m : tensor<16xf32>, tensor<16xf32>) outs(%e2 : tensor<16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %s = arith.subf %a, %b : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  return %p, %m : tensor<16xf32>, tensor<16xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>
// A user of the producer before the consumer (here a scalar read): the fused op would come too
// late for it, so the producer stays.
// CHECK-LABEL: func.func @earlier_user
// CHECK-COUNT-2: linalg.generic
func.func @earlier_user(%x: tensor<16xf32>) -> (tensor<16xf32>, f32) {
  %c0 = arith.constant 0 : index
  %e = tensor.empty() : tensor<16xf32>
  %a = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%v: f32, %o: f32):
    %s = arith.negf %v : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %first = tensor.extract %a[%c0] : tensor<16xf32>
  %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%a : tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%v: f32, %o: f32):
    %s = math.exp %v : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  return %b, %first : tensor<16xf32>, f32
}

// -----

// A padding (a gather: tensor.extract with bounds checks) read by im2col's sliding windows (a
// map that reads each padded pixel 4 times for 2x2 windows) stays its own op: fused, the gather
// would run once per read instead of once per pixel. The windows stay a plain strided copy.
// CHECK-LABEL: func.func @padding_under_windows
// CHECK: %[[PAD:.*]] = linalg.generic
// CHECK: tensor.extract
// CHECK: } -> tensor<1x1x6x6xf32>
// CHECK: linalg.generic {{.*}} ins(%[[PAD]] : tensor<1x1x6x6xf32>)
// CHECK-NOT: tensor.extract
// CHECK: return
func.func @padding_under_windows(%x: tensor<1x1x4x4xf32>) -> tensor<1x5x5x1x2x2xf32> {
  %zero = arith.constant 0.0 : f32
  %c1 = arith.constant 1 : index
  %c0 = arith.constant 0 : index
  %c4 = arith.constant 4 : index
  %e = tensor.empty() : tensor<1x1x6x6xf32>
  %pad = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>],
                         iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      outs(%e : tensor<1x1x6x6xf32>) {
  ^bb0(%o: f32):
    %h = linalg.index 2 : index
    %w = linalg.index 3 : index
    %hi = arith.subi %h, %c1 : index
    %wi = arith.subi %w, %c1 : index
    %hok = arith.cmpi ult, %hi, %c4 : index
    %wok = arith.cmpi ult, %wi, %c4 : index
    %ok = arith.andi %hok, %wok : i1
    %hc = arith.select %hok, %hi, %c0 : index
    %wc = arith.select %wok, %wi, %c0 : index
    %v = tensor.extract %x[%c0, %c0, %hc, %wc] : tensor<1x1x4x4xf32>
    %r = arith.select %ok, %v, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x1x6x6xf32>
  %we = tensor.empty() : tensor<1x5x5x1x2x2xf32>
  %win = linalg.generic {indexing_maps = [affine_map<(n, oh, ow, c, kh, kw) -> (n, c, oh + kh, ow + kw)>,
                                          affine_map<(n, oh, ow, c, kh, kw) -> (n, oh, ow, c, kh, kw)>],
                         iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%pad : tensor<1x1x6x6xf32>) outs(%we : tensor<1x5x5x1x2x2xf32>) {
  ^bb0(%in: f32, %o: f32):
    linalg.yield %in : f32
  } -> tensor<1x5x5x1x2x2xf32>
  return %win : tensor<1x5x5x1x2x2xf32>
}

// -----

// A broadcast of a per-channel value read by a forward op and again later (as the backward pass
// does, and as the product, returned too, is): the broadcast is cloned into the consumer rather
// than kept as a result of the fused op, which would write it out at full size; the fused op
// reads the 8-element vector and yields only the product and the quotient.
// CHECK-LABEL: func.func @broadcast_cloned
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[S:.*]]: tensor<8xf32>)
// CHECK: %[[R:.*]]:2 = linalg.generic {{.*}} ins(%[[X]], %[[S]] : tensor<4x8xf32>, tensor<8xf32>) outs(
// CHECK: linalg.yield %{{.*}}, %{{.*}} : f32, f32
// CHECK-NOT: linalg.generic
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @broadcast_cloned(%x: tensor<4x8xf32>, %s: tensor<8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %e = tensor.empty() : tensor<4x8xf32>
  %b = linalg.generic {indexing_maps = [affine_map<(i, j) -> (j)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]} ins(%s : tensor<8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%v: f32, %o: f32):
    linalg.yield %v : f32
  } -> tensor<4x8xf32>
  %y = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]} ins(%x, %b : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%u: f32, %v: f32, %o: f32):
    %m = arith.mulf %u, %v : f32
    linalg.yield %m : f32
  } -> tensor<4x8xf32>
  %z = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>],
                       iterator_types = ["parallel", "parallel"]} ins(%y, %b : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%u: f32, %v: f32, %o: f32):
    %d = arith.divf %u, %v : f32
    linalg.yield %d : f32
  } -> tensor<4x8xf32>
  return %y, %z : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>
// A chain of 20 ops whose every value is used again (the forward activations a backward pass
// reads): fused ops stop at 16 results, so the chain becomes two ops, not one of 20 results
// (whose fusion step by step and pairwise aliasing analysis grew with the square of the depth).
// CHECK-LABEL: func.func @long_kept_chain
// CHECK-COUNT-2: linalg.generic
// CHECK-NOT: linalg.generic
func.func @long_kept_chain(%x: tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) {
  %e0 = tensor.empty() : tensor<16xf32>
  %v0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%x : tensor<16xf32>) outs(%e0 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e1 = tensor.empty() : tensor<16xf32>
  %v1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%v0 : tensor<16xf32>) outs(%e1 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e2 = tensor.empty() : tensor<16xf32>
  %v2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%v1 : tensor<16xf32>) outs(%e2 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e3 = tensor.empty() : tensor<16xf32>
  %v3 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%v2 : tensor<16xf32>) outs(%e3 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e4 = tensor.empty() : tensor<16xf32>
  %v4 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%v3 : tensor<16xf32>) outs(%e4 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e5 = tensor.empty() : tensor<16xf32>
  %v5 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%v4 : tensor<16xf32>) outs(%e5 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e6 = tensor.empty() : tensor<16xf32>
  %v6 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%v5 : tensor<16xf32>) outs(%e6 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e7 = tensor.empty() : tensor<16xf32>
  %v7 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%v6 : tensor<16xf32>) outs(%e7 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e8 = tensor.empty() : tensor<16xf32>
  %v8 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%v7 : tensor<16xf32>) outs(%e8 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e9 = tensor.empty() : tensor<16xf32>
  %v9 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%v8 : tensor<16xf32>) outs(%e9 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e10 = tensor.empty() : tensor<16xf32>
  %v10 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%v9 : tensor<16xf32>) outs(%e10 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e11 = tensor.empty() : tensor<16xf32>
  %v11 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%v10 : tensor<16xf32>) outs(%e11 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e12 = tensor.empty() : tensor<16xf32>
  %v12 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%v11 : tensor<16xf32>) outs(%e12 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e13 = tensor.empty() : tensor<16xf32>
  %v13 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%v12 : tensor<16xf32>) outs(%e13 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e14 = tensor.empty() : tensor<16xf32>
  %v14 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%v13 : tensor<16xf32>) outs(%e14 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e15 = tensor.empty() : tensor<16xf32>
  %v15 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%v14 : tensor<16xf32>) outs(%e15 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e16 = tensor.empty() : tensor<16xf32>
  %v16 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%v15 : tensor<16xf32>) outs(%e16 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e17 = tensor.empty() : tensor<16xf32>
  %v17 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%v16 : tensor<16xf32>) outs(%e17 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e18 = tensor.empty() : tensor<16xf32>
  %v18 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%v17 : tensor<16xf32>) outs(%e18 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  %e19 = tensor.empty() : tensor<16xf32>
  %v19 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%v18 : tensor<16xf32>) outs(%e19 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.mulf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<16xf32>
  return %v0, %v1, %v2, %v3, %v4, %v5, %v6, %v7, %v8, %v9, %v10, %v11, %v12, %v13, %v14, %v15, %v16, %v17, %v18, %v19 : tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>
}
