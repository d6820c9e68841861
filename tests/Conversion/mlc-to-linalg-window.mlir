// im2col lowers to a padded copy (the pad value written around the box the image occupies, and
// a copy of the image into the box) and a copy that reads it at strided positions; col2im to one parallel generic per
// residue class of the stride that gathers the window elements taken from its image elements.
// Windows that tile the image exactly (no padding, stride = kernel) are a transpose of the image
// blocked as [N, C, OH, KH, OW, KW], both ways.
// RUN: mlc-opt %s --convert-mlc-to-linalg | FileCheck %s

// CHECK-DAG: #[[ID4:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-DAG: #[[TO_BLOCKED:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d3, d1, d4, d2, d5)>
// CHECK-DAG: #[[FROM_BLOCKED:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d2, d4, d1, d3, d5)>
// CHECK-LABEL: func.func @im2col
// CHECK: linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x2x1x7xf32>)
// CHECK: %[[FILL:.*]] = tensor.insert_slice %{{.*}} into %{{.*}}[0, 0, 1, 6] [1, 2, 5, 1] [1, 1, 1, 1]
// CHECK: %[[BOX:.*]] = tensor.extract_slice %[[FILL]][0, 0, 1, 1] [1, 2, 5, 5] [1, 1, 1, 1]
// CHECK: %[[COPY:.*]] = linalg.generic {indexing_maps = [#[[ID4]], #[[ID4]]], {{.*}} ins(%{{.*}} : tensor<1x2x5x5xf32>) outs(%[[BOX]] : tensor<1x2x5x5xf32>)
// CHECK: %[[PAD:.*]] = tensor.insert_slice %[[COPY]] into %[[FILL]][0, 0, 1, 1] [1, 2, 5, 5] [1, 1, 1, 1]
// The windows read the padded image at oh * 2 + kh, ow * 2 + kw by tensor.extract (a read map
// with sums would keep the vectorizer away; an extract stepping with kw becomes a vector load).
// CHECK: linalg.generic {indexing_maps = [#{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} outs(%{{.*}} : tensor<1x3x3x2x3x3xf32>) attrs = {mlc.op_group = "windows"}
// CHECK-DAG: %[[I1:.*]] = linalg.index 1 : index
// CHECK-DAG: %[[I4:.*]] = linalg.index 4 : index
// CHECK-DAG: %[[I5:.*]] = linalg.index 5 : index
// CHECK: tensor.extract %[[PAD]][%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}] : tensor<1x2x7x7xf32>
func.func @im2col(%x: tensor<1x2x5x5xf32>) -> tensor<1x3x3x2x3x3xf32> {
  %0 = mlc.im2col %x kernel = [3, 3] strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1] pad_value = 0.0 : tensor<1x2x5x5xf32> -> tensor<1x3x3x2x3x3xf32>
  return %0 : tensor<1x3x3x2x3x3xf32>
}

// col2im by residue classes of the stride, over the image padded to 6x6 (3 x 3 blocks of 2 x 2):
// rows and columns 0, 2, 4 take only the middle tap (kh = kw = 1) of window (a, b), odd ones also
// taps 0 and 2 of windows a + 1 and a. One generic sums every class (1, 2, 2 and 4 extracts, no
// division; window a + 1 is tested against the 3 windows, for the padding's row and column), a
// second interleaves the four classes into the blocked image, which is cut to 5 x 5.
// CHECK-LABEL: func.func @col2im
// CHECK: %[[SUMS:.*]]:4 = linalg.generic {indexing_maps = [#[[ID4]], #[[ID4]], #[[ID4]], #[[ID4]]], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} outs({{.*}} : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) {{.*}}mlc.op_group = "windows"
// CHECK-NOT: arith.divui
// CHECK-NOT: arith.remui
// CHECK-COUNT-9: tensor.extract %{{.*}} : tensor<1x3x3x2x3x3xf32>
// CHECK-NOT: tensor.extract
// CHECK: linalg.yield
// CHECK: %[[BLOCKED:.*]] = linalg.generic {{.*}} ins(%[[SUMS]]#0, %[[SUMS]]#1, %[[SUMS]]#2, %[[SUMS]]#3 : {{.*}}) outs(%{{.*}} : tensor<1x2x3x2x3x2xf32>) {{.*}}mlc.op_group = "layout"
// CHECK: %[[IMAGE:.*]] = tensor.collapse_shape %[[BLOCKED]] {{\[\[}}0], [1], [2, 3], [4, 5]] : tensor<1x2x3x2x3x2xf32> into tensor<1x2x6x6xf32>
// CHECK: %[[CUT:.*]] = tensor.extract_slice %[[IMAGE]][0, 0, 0, 0] [1, 2, 5, 5] [1, 1, 1, 1]
// CHECK: return %[[CUT]]
func.func @col2im(%w: tensor<1x3x3x2x3x3xf32>) -> tensor<1x2x5x5xf32> {
  %0 = mlc.col2im %w kernel = [3, 3] strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1] : tensor<1x3x3x2x3x3xf32> -> tensor<1x2x5x5xf32>
  return %0 : tensor<1x2x5x5xf32>
}

// Winograd F(2x2, 3x3) tiles: 4x4 windows at stride 2 with pad 1 over a 6x6 image (3x3 tiles).
// Even rows take tap 1 of tile a and tap 3 of tile a - 1, which exists only from a = 1 on:
// a bounds test (a - 1 >= 0) and a clamped index, no division. The stride divides the image:
// no cut.
// CHECK-LABEL: func.func @col2im_overlapping_tiles
// CHECK: linalg.generic {{.*}} outs({{.*}} : tensor<2x3x3x3xf32>, tensor<2x3x3x3xf32>, tensor<2x3x3x3xf32>, tensor<2x3x3x3xf32>)
// CHECK-NOT: arith.divui
// CHECK: %[[A:.*]] = linalg.index 2 : index
// CHECK: %[[PREV:.*]] = arith.addi %[[A]], %c-1
// CHECK: %[[OK:.*]] = arith.cmpi sge, %[[PREV]], %c0
// CHECK: arith.select %[[OK]], %[[PREV]], %c0
// CHECK: %[[B:.*]] = arith.cmpi sge
// CHECK: %[[B_INDEX:.*]] = arith.select %[[B]]
// CHECK: tensor.extract %{{.*}} : tensor<2x3x3x3x4x4xf32>
// CHECK: %[[TAP3:.*]] = tensor.extract %{{.*}}[%{{.*}}, %{{.*}}, %[[B_INDEX]], %{{.*}}, %{{.*}}, %c3{{.*}}] : tensor<2x3x3x3x4x4xf32>
// CHECK: arith.select %[[B]], %[[TAP3]], %cst
// CHECK-COUNT-14: tensor.extract %{{.*}} : tensor<2x3x3x3x4x4xf32>
// CHECK-NOT: tensor.extract
// CHECK: linalg.yield
// CHECK: %[[BLOCKED:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<2x3x3x2x3x2xf32>)
// CHECK: %[[IMAGE:.*]] = tensor.collapse_shape %[[BLOCKED]]
// CHECK-NOT: tensor.extract_slice
// CHECK: return %[[IMAGE]]
func.func @col2im_overlapping_tiles(%w: tensor<2x3x3x3x4x4xf32>) -> tensor<2x3x6x6xf32> {
  %0 = mlc.col2im %w kernel = [4, 4] strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1] : tensor<2x3x3x3x4x4xf32> -> tensor<2x3x6x6xf32>
  return %0 : tensor<2x3x6x6xf32>
}

// CHECK-LABEL: func.func @im2col_tiling
// CHECK: %[[B:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0], [1], [2, 3], [4, 5]] output_shape [2, 3, 2, 2, 3, 2] : tensor<2x3x4x6xf32> into tensor<2x3x2x2x3x2xf32>
// CHECK: linalg.generic {indexing_maps = [#[[TO_BLOCKED]], #{{.*}}], {{.*}} ins(%[[B]] : tensor<2x3x2x2x3x2xf32>) outs(%{{.*}} : tensor<2x2x3x3x2x2xf32>) {{.*}}mlc.op_group = "layout"
// CHECK-NOT: tensor.extract
func.func @im2col_tiling(%x: tensor<2x3x4x6xf32>) -> tensor<2x2x3x3x2x2xf32> {
  %0 = mlc.im2col %x kernel = [2, 2] strides = [2, 2] dilations = [1, 1] pads = [0, 0, 0, 0] pad_value = 0.0 : tensor<2x3x4x6xf32> -> tensor<2x2x3x3x2x2xf32>
  return %0 : tensor<2x2x3x3x2x2xf32>
}

// A 1x1 convolution's col2im: each image element from one window, no sum, no bounds.
// CHECK-LABEL: func.func @col2im_pointwise
// CHECK: %[[T:.*]] = linalg.generic {indexing_maps = [#[[FROM_BLOCKED]], #{{.*}}], {{.*}} outs(%{{.*}} : tensor<2x3x4x1x6x1xf32>)
// CHECK-NOT: tensor.extract
// CHECK: tensor.collapse_shape %[[T]] {{\[\[}}0], [1], [2, 3], [4, 5]] : tensor<2x3x4x1x6x1xf32> into tensor<2x3x4x6xf32>
func.func @col2im_pointwise(%w: tensor<2x4x6x3x1x1xf32>) -> tensor<2x3x4x6xf32> {
  %0 = mlc.col2im %w kernel = [1, 1] strides = [1, 1] dilations = [1, 1] pads = [0, 0, 0, 0] : tensor<2x4x6x3x1x1xf32> -> tensor<2x3x4x6xf32>
  return %0 : tensor<2x3x4x6xf32>
}

// A 2x2 pool of stride 2 on a 5x5 image leaves the last row and column out of every window: not
// an exact tiling, so col2im gathers (and writes zeros there).
// CHECK-LABEL: func.func @col2im_not_tiling
// CHECK: tensor.extract
func.func @col2im_not_tiling(%w: tensor<1x2x2x3x2x2xf32>) -> tensor<1x3x5x5xf32> {
  %0 = mlc.col2im %w kernel = [2, 2] strides = [2, 2] dilations = [1, 1] pads = [0, 0, 0, 0] : tensor<1x2x2x3x2x2xf32> -> tensor<1x3x5x5xf32>
  return %0 : tensor<1x3x5x5xf32>
}

// Channels interleaved along the width (mlc-channels-last: the image [N, 1, H, W C], windows of
// KW C columns stepping SW C): the residue classes are those of the pixels, 2 x 2 here for
// strides of 2 pixels (the stride of 8 columns would make 2 x 8), each over [N, 1, TH, TW, C]
// with the 4 channels innermost; interleaving adds the channels as the last dimension.
// CHECK-LABEL: func.func @col2im_interleaved
// CHECK-COUNT-4: tensor.empty() : tensor<2x1x3x3x4xf32>
// CHECK: %[[C:.*]]:4 = linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]
// CHECK: %[[B:.*]] = linalg.generic {{.*}} ins(%[[C]]#0, %[[C]]#1, %[[C]]#2, %[[C]]#3 : {{.*}}) outs(%{{.*}} : tensor<2x1x3x2x3x2x4xf32>)
// CHECK: tensor.collapse_shape %[[B]] {{\[\[}}0], [1], [2, 3], [4, 5, 6]] : tensor<2x1x3x2x3x2x4xf32> into tensor<2x1x6x24xf32>
func.func @col2im_interleaved(%w: tensor<2x3x3x1x4x16xf32>) -> tensor<2x1x6x24xf32> {
  %0 = mlc.col2im %w kernel = [4, 16] strides = [2, 8] dilations = [1, 1] pads = [1, 4, 1, 4] : tensor<2x3x3x1x4x16xf32> -> tensor<2x1x6x24xf32>
  return %0 : tensor<2x1x6x24xf32>
}
