// im2col lowers to a padded copy (a parallel generic reading the image where the position is
// inside it) and a plain copy through a strided affine map; col2im to one parallel generic that
// gathers the KH x KW window elements taken from each image element (unrolled: 9 extracts).
// RUN: mlc-opt %s --convert-mlc-to-linalg | FileCheck %s

// CHECK-DAG: #[[ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[STRIDED:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d3, d1 * 2 + d4, d2 * 2 + d5)>
// CHECK-LABEL: func.func @im2col
// CHECK: %[[PAD:.*]] = linalg.generic {indexing_maps = [#[[ID4]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%{{.*}} : tensor<1x2x7x7xf32>)
// CHECK: tensor.extract %{{.*}} : tensor<1x2x5x5xf32>
// CHECK: arith.select
// CHECK: linalg.generic {indexing_maps = [#[[STRIDED]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%[[PAD]] : tensor<1x2x7x7xf32>) outs(%{{.*}} : tensor<1x3x3x2x3x3xf32>)
func.func @im2col(%x: tensor<1x2x5x5xf32>) -> tensor<1x3x3x2x3x3xf32> {
  %0 = mlc.im2col %x kernel = [3, 3] strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1] pad_value = 0.0 : tensor<1x2x5x5xf32> -> tensor<1x3x3x2x3x3xf32>
  return %0 : tensor<1x3x3x2x3x3xf32>
}

// CHECK-LABEL: func.func @col2im
// CHECK: linalg.generic {indexing_maps = [#[[ID4]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs(%{{.*}} : tensor<1x2x5x5xf32>)
// CHECK-COUNT-9: tensor.extract %{{.*}} : tensor<1x3x3x2x3x3xf32>
// CHECK-NOT: tensor.extract
// CHECK: linalg.yield
func.func @col2im(%w: tensor<1x3x3x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  %0 = mlc.col2im %w kernel = [3, 3] strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1] : tensor<1x3x3x2x3x3xf32> -> tensor<1x2x5x5xf32>
  return %0 : tensor<1x2x5x5xf32>
}
