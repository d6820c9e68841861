// mlc-cpu-fuse-sibling-reductions: reductions over one iteration space that read a common input
// become one generic with both ops' inputs and outputs.
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-cpu-fuse-sibling-reductions))" | FileCheck %s

#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#row = affine_map<(d0, d1, d2) -> (d0)>

// Two taps of a depthwise filter gradient: sum(dy * tap) per row of [64, 14, 14], each tap a
// strided slice of the padded image. The second tap's slice moves up; one generic reads dy once
// and yields both sums, each computed as before.
// CHECK-LABEL: func.func @taps
// CHECK-SAME: (%[[DY:[^:]*]]: tensor<64x14x14xf32>, %[[X:[^:]*]]: tensor<64x16x16xf32>
// CHECK: %[[T0:.*]] = tensor.extract_slice %[[X]][0, 0, 0] [64, 14, 14] [1, 1, 1]
// CHECK: %[[T1:.*]] = tensor.extract_slice %[[X]][0, 1, 2] [64, 14, 14] [1, 1, 1]
// CHECK: %[[R:.*]]:2 = linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction", "reduction"]
// CHECK-SAME: ins(%[[DY]], %[[T0]], %[[DY]], %[[T1]] :
// CHECK-NEXT: ^bb0(%[[A:[^:]*]]: f32, %[[B:[^:]*]]: f32, %[[C:[^:]*]]: f32, %[[D:[^:]*]]: f32, %[[O0:[^:]*]]: f32, %[[O1:[^:]*]]: f32):
// CHECK-NEXT: %[[M0:.*]] = arith.mulf %[[A]], %[[B]]
// CHECK-NEXT: %[[S0:.*]] = arith.addf %[[M0]], %[[O0]]
// CHECK-NEXT: %[[M1:.*]] = arith.mulf %[[C]], %[[D]]
// CHECK-NEXT: %[[S1:.*]] = arith.addf %[[M1]], %[[O1]]
// CHECK-NEXT: linalg.yield %[[S0]], %[[S1]]
// CHECK-NOT: linalg.generic
// CHECK: return %[[R]]#0, %[[R]]#1
func.func @taps(%dy: tensor<64x14x14xf32>, %x: tensor<64x16x16xf32>, %init: tensor<64xf32>) -> (tensor<64xf32>, tensor<64xf32>) {
  %t0 = tensor.extract_slice %x[0, 0, 0] [64, 14, 14] [1, 1, 1] : tensor<64x16x16xf32> to tensor<64x14x14xf32>
  %r0 = linalg.generic {indexing_maps = [#id, #id, #row], iterator_types = ["parallel", "reduction", "reduction"]}
      ins(%dy, %t0 : tensor<64x14x14xf32>, tensor<64x14x14xf32>) outs(%init : tensor<64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %m, %o : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  %t1 = tensor.extract_slice %x[0, 1, 2] [64, 14, 14] [1, 1, 1] : tensor<64x16x16xf32> to tensor<64x14x14xf32>
  %r1 = linalg.generic {indexing_maps = [#id, #id, #row], iterator_types = ["parallel", "reduction", "reduction"]}
      ins(%dy, %t1 : tensor<64x14x14xf32>, tensor<64x14x14xf32>) outs(%init : tensor<64xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %m = arith.mulf %a, %b : f32
    %s = arith.addf %m, %o : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  return %r0, %r1 : tensor<64xf32>, tensor<64xf32>
}

// -----

#id = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
#row = affine_map<(d0, d1, d2) -> (d0)>
#bcast = affine_map<(d0, d1, d2) -> (d0)>

// The second reduction reads the first's result (a mean, then a variance about it): it cannot
// run in the same loop, so both stay.
// CHECK-LABEL: func.func @dependent
// CHECK: linalg.generic
// CHECK: linalg.generic
func.func @dependent(%x: tensor<64x14x14xf32>, %init: tensor<64xf32>) -> tensor<64xf32> {
  %mean = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction", "reduction"]}
      ins(%x : tensor<64x14x14xf32>) outs(%init : tensor<64xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %o : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  %var = linalg.generic {indexing_maps = [#id, #bcast, #row], iterator_types = ["parallel", "reduction", "reduction"]}
      ins(%x, %mean : tensor<64x14x14xf32>, tensor<64xf32>) outs(%init : tensor<64xf32>) {
  ^bb0(%a: f32, %m: f32, %o: f32):
    %d = arith.subf %a, %m : f32
    %q = arith.mulf %d, %d : f32
    %s = arith.addf %q, %o : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  return %var : tensor<64xf32>
}
