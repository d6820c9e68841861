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
