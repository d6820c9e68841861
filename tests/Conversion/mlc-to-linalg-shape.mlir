// convert-mlc-to-linalg, shape family: broadcast, reduce_sum (staged when long), reshape, transpose, one_hot, iota.
// RUN: mlc-opt %s --split-input-file --convert-mlc-to-linalg | FileCheck %s

// A new leading dimension: the input is read at (d1) of the result's (d0, d1).
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-LABEL: func.func @broadcast_new_dim
// CHECK-SAME: (%[[B:[^:]*]]: tensor<3xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[OUT]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[B]] : tensor<3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK-NEXT: ^bb0(%[[V:.*]]: f32, %{{.*}}: f32):
// CHECK-NEXT: linalg.yield %[[V]] : f32
// CHECK-NOT: mlc.
func.func @broadcast_new_dim(%b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = mlc.broadcast %b dims = [1] : tensor<3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A size-1 dimension expanded: it is read at index 0.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @broadcast_size_one
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #{{.*}}]
// CHECK-NOT: mlc.
func.func @broadcast_size_one(%r: tensor<1x3xf32>) -> tensor<2x3xf32> {
  %0 = mlc.broadcast %r dims = [0, 1] : tensor<1x3xf32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A scalar broadcast: an input map with no results.
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1) -> ()>
// CHECK-LABEL: func.func @broadcast_scalar
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #{{.*}}]{{.*}} ins(%{{.*}} : tensor<f32>)
// CHECK-NOT: mlc.
func.func @broadcast_scalar(%s: tensor<f32>) -> tensor<2x3xf32> {
  %0 = mlc.broadcast %s dims = [] : tensor<f32> -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// A sum over the middle dimension: a zero-filled accumulator and a reduction iterator.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[RED:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @reduce_sum
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[RED]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK-SAME: outs(%[[ACC]] : tensor<2x4xf32>)
// CHECK-NEXT: ^bb0(%[[A:.*]]: f32, %[[O:.*]]: f32):
// CHECK-NEXT: %[[S:.*]] = arith.addf %[[A]], %[[O]] : f32
// CHECK-NEXT: linalg.yield %[[S]]
// CHECK-NOT: mlc.
func.func @reduce_sum(%x: tensor<2x3x4xf32>) -> tensor<2x4xf32> {
  %0 = mlc.reduce_sum %x dims = [1] : tensor<2x3x4xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// keep_dims: the reduction drops the dimension, an expand_shape puts it back as size 1 (no
// constant results in indexing maps).
// CHECK-DAG: #[[RED:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @reduce_sum_keep_dims
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#{{.*}}, #[[RED]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK-SAME: outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: tensor.expand_shape %[[R]] {{\[}}[0], [1, 2]] {{.*}} : tensor<2x4xf32> into tensor<2x1x4xf32>
// CHECK-NOT: mlc.
func.func @reduce_sum_keep_dims(%x: tensor<2x3x4xf32>) -> tensor<2x1x4xf32> {
  %0 = mlc.reduce_sum %x dims = [1] keep_dims : tensor<2x3x4xf32> -> tensor<2x1x4xf32>
  return %0 : tensor<2x1x4xf32>
}

// -----

// Every dimension reduced and kept: a rank-0 sum expanded to 1x1x1.
// CHECK-LABEL: func.func @reduce_sum_all_keep_dims
// CHECK: %[[R:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "reduction", "reduction"]}
// CHECK-SAME: outs(%{{.*}} : tensor<f32>)
// CHECK: tensor.expand_shape %[[R]] [] {{.*}} : tensor<f32> into tensor<1x1x1xf32>
func.func @reduce_sum_all_keep_dims(%x: tensor<2x3x4xf32>) -> tensor<1x1x1xf32> {
  %0 = mlc.reduce_sum %x dims = [0, 1, 2] keep_dims : tensor<2x3x4xf32> -> tensor<1x1x1xf32>
  return %0 : tensor<1x1x1xf32>
}

// -----

// A sum of more than 4096 values over several dimensions runs in stages: the trailing reduced
// dimensions first (16 x 16 = 256 values per (n, c), as batch-norm statistics over N, H, W), then
// the leading one (32 values); the kept dimensions come back as size 1.
// CHECK-LABEL: func.func @reduce_sum_staged
// CHECK: %[[P:.*]] = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "reduction", "reduction"]}
// CHECK-SAME: outs(%{{.*}} : tensor<32x3xf32>)
// CHECK: %[[S:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel"]}
// CHECK-SAME: ins(%[[P]] : tensor<32x3xf32>) outs(%{{.*}} : tensor<3xf32>)
// CHECK: tensor.expand_shape %[[S]] {{.*}} : tensor<3xf32> into tensor<1x3x1x1xf32>
func.func @reduce_sum_staged(%x: tensor<32x3x16x16xf32>) -> tensor<1x3x1x1xf32> {
  %0 = mlc.reduce_sum %x dims = [0, 2, 3] keep_dims : tensor<32x3x16x16xf32> -> tensor<1x3x1x1xf32>
  return %0 : tensor<1x3x1x1xf32>
}

// -----

// iota: the element's index along the dimension, as a float.
// CHECK-LABEL: func.func @iota
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<2x5xf32>)
// CHECK: %[[I:.*]] = linalg.index 1 : index
// CHECK: %[[N:.*]] = arith.index_cast %[[I]] : index to i64
// CHECK: %[[F:.*]] = arith.sitofp %[[N]] : i64 to f32
// CHECK: linalg.yield %[[F]]
func.func @iota() -> tensor<2x5xf32> {
  %0 = mlc.iota dim = 1 : tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// Reshapes that group dimensions are a single collapse_shape or expand_shape.
// CHECK-LABEL: func.func @reshape_grouped
// CHECK: %[[C:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : tensor<2x3x4xf32> into tensor<6x4xf32>
// CHECK: %[[X:.*]] = tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [2, 3, 4] : tensor<6x4xf32> into tensor<2x3x4xf32>
// CHECK: return %[[C]], %[[X]]
// CHECK-NOT: mlc.
func.func @reshape_grouped(%x: tensor<2x3x4xf32>, %y: tensor<6x4xf32>) -> (tensor<6x4xf32>, tensor<2x3x4xf32>) {
  %0 = mlc.reshape %x : tensor<2x3x4xf32> -> tensor<6x4xf32>
  %1 = mlc.reshape %y : tensor<6x4xf32> -> tensor<2x3x4xf32>
  return %0, %1 : tensor<6x4xf32>, tensor<2x3x4xf32>
}

// -----

// Dimensions that do not group: through a 1-D tensor.
// CHECK-LABEL: func.func @reshape_regroup
// CHECK: %[[F:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
// CHECK: tensor.expand_shape %[[F]] {{\[}}[0, 1]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>
// CHECK-NOT: mlc.
func.func @reshape_regroup(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %0 = mlc.reshape %x : tensor<2x3xf32> -> tensor<3x2xf32>
  return %0 : tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[X:[^:]*]]: tensor<2x3x4xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x2x3xf32>
// CHECK: linalg.transpose ins(%[[X]] : tensor<2x3x4xf32>) outs(%[[E]] : tensor<4x2x3xf32>) permutation = [2, 0, 1]
// CHECK-NOT: mlc.
func.func @transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  %0 = mlc.transpose %x permutation = [2, 0, 1] : tensor<2x3x4xf32> -> tensor<4x2x3xf32>
  return %0 : tensor<4x2x3xf32>
}

// -----

// One-hot: compare the class index (the last loop) with the label; no gather.
// CHECK-DAG: #[[LBL:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-LABEL: func.func @one_hot
// CHECK-SAME: (%[[Y:[^:]*]]: tensor<5xi32>)
// CHECK: linalg.generic {indexing_maps = [#[[LBL]], #{{.*}}], iterator_types = ["parallel", "parallel"]} ins(%[[Y]] : tensor<5xi32>)
// CHECK-NEXT: ^bb0(%[[L:.*]]: i32, %{{.*}}: f32):
// CHECK-NEXT: %[[C:.*]] = linalg.index 1 : index
// CHECK-NEXT: %[[LI:.*]] = arith.index_cast %[[L]] : i32 to index
// CHECK-NEXT: %[[HIT:.*]] = arith.cmpi eq, %[[C]], %[[LI]] : index
// CHECK: arith.select %[[HIT]]
// CHECK-NOT: mlc.
func.func @one_hot(%y: tensor<5xi32>) -> tensor<5x7xf32> {
  %0 = mlc.one_hot %y : tensor<5xi32> -> tensor<5x7xf32>
  return %0 : tensor<5x7xf32>
}

// -----

// reduce_max: one generic from -inf with maximumf.
// CHECK-LABEL: func.func @reduce_max
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: %[[INIT:.*]] = linalg.fill ins(%[[NINF]] : f32) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction", "parallel"]} ins(%{{.*}} : tensor<2x3x4xf32>) outs(%[[INIT]] : tensor<2x4xf32>)
// CHECK: arith.maximumf
func.func @reduce_max(%x: tensor<2x3x4xf32>) -> tensor<2x4xf32> {
  %0 = mlc.reduce_max %x dims = [1] : tensor<2x3x4xf32> -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
