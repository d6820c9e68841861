// mlc-update-in-place: an elementwise update computes into the argument it replaces, when it can.
// RUN: mlc-opt %s --split-input-file --mlc-update-in-place | FileCheck %s

#id = affine_map<(d0) -> (d0)>

// The init of the updating generic becomes argument 0, which is marked writable; the input that
// read argument 0 at the same indices is dropped and the payload reads the init's block argument.
// CHECK-LABEL: func.func @sgd_update
// CHECK-SAME: (%[[P:[^:]*]]: tensor<16xf32> {bufferization.writable = true, mlc.param = "w"}, %[[G:[^:]*]]: tensor<16xf32>)
// CHECK: %[[R:.*]] = linalg.generic {{.*}} ins(%[[G]] : tensor<16xf32>) outs(%[[P]] : tensor<16xf32>)
// CHECK-NEXT: ^bb0(%[[IN:.*]]: f32, %[[OUT:.*]]: f32):
// CHECK-NEXT: arith.subf %[[OUT]], %[[IN]] : f32
// CHECK: return %[[R]]
func.func @sgd_update(%p: tensor<16xf32> {mlc.param = "w"}, %g: tensor<16xf32>) -> (tensor<16xf32> {mlc.updates = 0 : i64}) {
  %e = tensor.empty() : tensor<16xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%p, %g : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %d = arith.subf %a, %b : f32
    linalg.yield %d : f32
  } -> tensor<16xf32>
  return %r : tensor<16xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// mlc.updates names the argument: here the second one (optimizer state), not the first.
// CHECK-LABEL: func.func @updates_second_argument
// CHECK-SAME: (%[[G:[^:]*]]: tensor<16xf32>, %[[M:[^:]*]]: tensor<16xf32> {bufferization.writable = true})
// CHECK: linalg.generic {{.*}} ins(%[[G]] : tensor<16xf32>) outs(%[[M]] : tensor<16xf32>)
func.func @updates_second_argument(%g: tensor<16xf32>, %m: tensor<16xf32>) -> (tensor<f32>, tensor<16xf32> {mlc.updates = 1 : i64}) {
  %e = tensor.empty() : tensor<16xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%m, %g : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %d = arith.addf %a, %b : f32
    linalg.yield %d : f32
  } -> tensor<16xf32>
  %c = arith.constant dense<0.0> : tensor<f32>
  return %c, %r : tensor<f32>, tensor<16xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// The payload reads the init (an accumulation): retargeting would change the result.
// CHECK-LABEL: func.func @generic_reads_init
// CHECK-NOT: bufferization.writable
// CHECK: %[[E:.*]] = tensor.empty() : tensor<16xf32>
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<16xf32>)
func.func @generic_reads_init(%p: tensor<16xf32>, %g: tensor<16xf32>) -> (tensor<16xf32> {mlc.updates = 0 : i64}) {
  %e = tensor.empty() : tensor<16xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]}
      ins(%p, %g : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %d = arith.subf %a, %o : f32
    linalg.yield %d : f32
  } -> tensor<16xf32>
  return %r : tensor<16xf32>
}

// -----

// A reduction's init is its accumulator: never retargeted.
// CHECK-LABEL: func.func @reduction_update
// CHECK-NOT: bufferization.writable
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<4xf32>)
// CHECK-NOT: outs(%arg0
func.func @reduction_update(%p: tensor<4xf32>, %g: tensor<4x8xf32>) -> (tensor<4xf32> {mlc.updates = 0 : i64}) {
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>],
                       iterator_types = ["parallel", "reduction"]}
      ins(%g : tensor<4x8xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

#id = affine_map<(d0) -> (d0)>

// Not applied: the init is not a tensor.empty, or the result is not marked mlc.updates.
// CHECK-LABEL: func.func @not_applicable
// CHECK-NOT: bufferization.writable
// CHECK: %[[F:.*]] = linalg.fill
// CHECK: linalg.generic {{.*}} outs(%[[F]] : tensor<16xf32>)
// CHECK: %[[E:.*]] = tensor.empty
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<16xf32>)
func.func @not_applicable(%p: tensor<16xf32>, %q: tensor<16xf32>) -> (tensor<16xf32> {mlc.updates = 0 : i64}, tensor<16xf32>) {
  %zero = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<16xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e0 : tensor<16xf32>) -> tensor<16xf32>
  %r0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%p : tensor<16xf32>) outs(%f : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<16xf32>
  %e1 = tensor.empty() : tensor<16xf32>
  %r1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]}
      ins(%q : tensor<16xf32>) outs(%e1 : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<16xf32>
  return %r0, %r1 : tensor<16xf32>, tensor<16xf32>
}

// -----

// The argument is also read transposed: that input stays (bufferization resolves the overlap).
// CHECK-LABEL: func.func @transposed_read_kept
// CHECK-SAME: (%[[P:[^:]*]]: tensor<8x8xf32> {bufferization.writable = true})
// CHECK: linalg.generic {{.*}} ins(%[[P]] : tensor<8x8xf32>) outs(%[[P]] : tensor<8x8xf32>)
func.func @transposed_read_kept(%p: tensor<8x8xf32>) -> (tensor<8x8xf32> {mlc.updates = 0 : i64}) {
  %e = tensor.empty() : tensor<8x8xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>],
                       iterator_types = ["parallel", "parallel"]}
      ins(%p : tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}
