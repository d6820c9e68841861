// mlc.slice is a copy of a strided extract_slice (last case). mlc.pad lowers two ways. A pad
// that only feeds sums (Concat, a slice's adjoint added to others) is a parallel generic
// gathering the input where a position holds an input element, which fusion folds into the sum.
// Any other pad is materialized: a fill of the pad value and a copy of the input into the
// strided box it occupies (interior padding = stride - 1).
// RUN: mlc-opt %s --split-input-file --convert-mlc-to-linalg --cse | FileCheck %s

// CHECK-LABEL: func.func @pad_summed
// CHECK-NOT: linalg.fill
// CHECK: linalg.generic {{.*}} outs(%{{.*}} : tensor<2x7xf32>)
// CHECK: linalg.index 1
// CHECK: tensor.extract %{{.*}} : tensor<2x3xf32>
// CHECK: arith.select
func.func @pad_summed(%x: tensor<2x3xf32>, %y: tensor<2x7xf32>) -> tensor<2x7xf32> {
  %p = mlc.pad %x low = [0, 1] high = [0, 1] interior = [0, 1] value = 0.0 : tensor<2x3xf32> -> tensor<2x7xf32>
  %s = mlc.add %p, %y : tensor<2x7xf32>
  return %s : tensor<2x7xf32>
}

// -----

// Interior padding 1: the input lands in every other column from column 1.
// CHECK-LABEL: func.func @pad_materialized
// CHECK: %[[FRESH:.*]] = bufferization.alloc_tensor() : tensor<2x7xf32>
// CHECK: %[[FILL:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[FRESH]] : tensor<2x7xf32>)
// CHECK: %[[BOX:.*]] = tensor.extract_slice %[[FILL]][0, 1] [2, 3] [1, 2] : tensor<2x7xf32> to tensor<2x3xf32>
// CHECK: %[[COPY:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<2x3xf32>) outs(%[[BOX]] : tensor<2x3xf32>)
// CHECK-NOT: tensor.extract %
// CHECK: tensor.insert_slice %[[COPY]] into %[[FILL]][0, 1] [2, 3] [1, 2] : tensor<2x3xf32> into tensor<2x7xf32>
func.func @pad_materialized(%x: tensor<2x3xf32>, %y: tensor<2x7xf32>) -> tensor<2x7xf32> {
  %p = mlc.pad %x low = [0, 1] high = [0, 1] interior = [0, 1] value = 0.0 : tensor<2x3xf32> -> tensor<2x7xf32>
  %s = mlc.mul %p, %y : tensor<2x7xf32>
  return %s : tensor<2x7xf32>
}

// -----

// Two equal pads keep a fill each through CSE (each fills an alloc_tensor, which CSE does not
// merge): one shared fill would be copied before each pad writes its box into it.
// CHECK-LABEL: func.func @pads_keep_own_fills
// CHECK: %[[A:.*]] = bufferization.alloc_tensor
// CHECK: linalg.fill {{.*}} outs(%[[A]]
// CHECK: %[[B:.*]] = bufferization.alloc_tensor
// CHECK: linalg.fill {{.*}} outs(%[[B]]
func.func @pads_keep_own_fills(%x: tensor<2x3xf32>, %z: tensor<2x3xf32>, %y: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %p = mlc.pad %x low = [0, 1] high = [0, 1] interior = [0, 0] value = 0.0 : tensor<2x3xf32> -> tensor<2x5xf32>
  %q = mlc.pad %z low = [0, 1] high = [0, 1] interior = [0, 0] value = 0.0 : tensor<2x3xf32> -> tensor<2x5xf32>
  %s = mlc.mul %p, %y : tensor<2x5xf32>
  %t = mlc.mul %q, %s : tensor<2x5xf32>
  return %t : tensor<2x5xf32>
}

// -----

// mlc.slice: a strided tensor.extract_slice (offsets and strides; a strided view once
// bufferized) copied through the identity. A stride in the copy's map would reach the slice's
// consumers by fusion, and the vectorizer takes only projected permutations.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>
// CHECK-LABEL: func.func @slice_strided
// CHECK: %[[BOX:.*]] = tensor.extract_slice %{{.*}}[0, 0, 1, 2] [2, 3, 13, 13] [1, 1, 2, 2] : tensor<2x3x27x28xf32> to tensor<2x3x13x13xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ID]]], {{.*}} ins(%[[BOX]] : tensor<2x3x13x13xf32>)
func.func @slice_strided(%x: tensor<2x3x27x28xf32>) -> tensor<2x3x13x13xf32> {
  %0 = mlc.slice %x offsets = [0, 0, 1, 2] strides = [1, 1, 2, 2] : tensor<2x3x27x28xf32> -> tensor<2x3x13x13xf32>
  return %0 : tensor<2x3x13x13xf32>
}
