// mlc-write-into-slices: a value computed into a tensor.empty and inserted into a strided slice
// is computed into that slice (an extract_slice of the destination) instead; unit-stride inserts
// and destinations defined after the producer are left alone.
// RUN: mlc-opt %s --mlc-write-into-slices | FileCheck %s

#id = affine_map<(d0, d1) -> (d0, d1)>

// CHECK-LABEL: func.func @strided
// CHECK-SAME: (%[[X:.*]]: tensor<4x4xf32>, %[[IMG:.*]]: tensor<8x8xf32>)
// CHECK: %[[S:.*]] = tensor.extract_slice %[[IMG]][0, 1] [4, 4] [2, 2]
// CHECK: %[[G:.*]] = linalg.generic {{.*}} ins(%[[X]] : tensor<4x4xf32>) outs(%[[S]] : tensor<4x4xf32>)
// CHECK: tensor.insert_slice %[[G]] into %[[IMG]][0, 1] [4, 4] [2, 2]
// CHECK-NOT: tensor.empty
func.func @strided(%x: tensor<4x4xf32>, %img: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %e = tensor.empty() : tensor<4x4xf32>
  %g = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %n = arith.negf %a : f32
    linalg.yield %n : f32
  } -> tensor<4x4xf32>
  %r = tensor.insert_slice %g into %img[0, 1] [4, 4] [2, 2] : tensor<4x4xf32> into tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}

// The tiled form: the loop's init is the slice.
// CHECK-LABEL: func.func @loop
// CHECK: %[[S:.*]] = tensor.extract_slice %{{.*}}[1, 0] [4, 4] [2, 2]
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[S]])
func.func @loop(%x: tensor<4x4xf32>, %img: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %e = tensor.empty() : tensor<4x4xf32>
  %l = scf.for %i = %c0 to %c4 step %c1 iter_args(%t = %e) -> (tensor<4x4xf32>) {
    %row = tensor.extract_slice %x[%i, 0] [1, 4] [1, 1] : tensor<4x4xf32> to tensor<1x4xf32>
    %u = tensor.insert_slice %row into %t[%i, 0] [1, 4] [1, 1] : tensor<1x4xf32> into tensor<4x4xf32>
    scf.yield %u : tensor<4x4xf32>
  }
  %r = tensor.insert_slice %l into %img[1, 0] [4, 4] [2, 2] : tensor<4x4xf32> into tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}

// A unit-stride insert keeps its empty (upstream elimination of those merged padded tensors
// wrongly); so does a strided insert whose destination is computed after the producer.
// CHECK-LABEL: func.func @left_alone
// CHECK: %[[E1:.*]] = tensor.empty() : tensor<4x4xf32>
// CHECK: linalg.generic {{.*}} outs(%[[E1]] : tensor<4x4xf32>)
// CHECK: %[[E2:.*]] = tensor.empty() : tensor<4x4xf32>
// CHECK: linalg.generic {{.*}} outs(%[[E2]] : tensor<4x4xf32>)
// CHECK: %[[LATE:.*]] = arith.addf
// CHECK-NOT: tensor.extract_slice
func.func @left_alone(%x: tensor<4x4xf32>, %img: tensor<8x8xf32>) -> (tensor<8x8xf32>, tensor<8x8xf32>) {
  %e1 = tensor.empty() : tensor<4x4xf32>
  %g1 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x4xf32>) outs(%e1 : tensor<4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<4x4xf32>
  %r1 = tensor.insert_slice %g1 into %img[2, 2] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<8x8xf32>
  %e2 = tensor.empty() : tensor<4x4xf32>
  %g2 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x4xf32>) outs(%e2 : tensor<4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<4x4xf32>
  %late = arith.addf %img, %img : tensor<8x8xf32>
  %r2 = tensor.insert_slice %g2 into %late[0, 0] [4, 4] [2, 2] : tensor<4x4xf32> into tensor<8x8xf32>
  return %r1, %r2 : tensor<8x8xf32>, tensor<8x8xf32>
}
