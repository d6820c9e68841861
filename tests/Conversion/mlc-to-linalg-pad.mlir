// mlc.slice is a copy of a strided extract_slice (last case). mlc.pad lowers two ways. A pad
// that only feeds sums (Concat, a slice's adjoint added to others) is a parallel generic
// gathering the input where a position holds an input element, which fusion folds into the sum.
// Any other pad is materialized: the pad value written and a copy of the input into the
// strided box it occupies (interior padding = stride - 1). Without interior padding only the
// border is filled, each element once: per padded dimension its low and high strips, over the
// input's extent in the dimensions before it.
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

// Two equal pads keep their own fills through CSE (each fills an alloc_tensor, which CSE does
// not merge): one shared fill would be copied before each pad writes its box into it.
// CHECK-LABEL: func.func @pads_keep_own_fills
// CHECK: %[[A:.*]] = bufferization.alloc_tensor
// CHECK: %[[SA:.*]] = tensor.extract_slice %[[A]][0, 0] [2, 1] [1, 1]
// CHECK: linalg.fill {{.*}} outs(%[[SA]]
// CHECK: %[[B:.*]] = bufferization.alloc_tensor
// CHECK: %[[SB:.*]] = tensor.extract_slice %[[B]][0, 0] [2, 1] [1, 1]
// CHECK: linalg.fill {{.*}} outs(%[[SB]]
func.func @pads_keep_own_fills(%x: tensor<2x3xf32>, %z: tensor<2x3xf32>, %y: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %p = mlc.pad %x low = [0, 1] high = [0, 1] interior = [0, 0] value = 0.0 : tensor<2x3xf32> -> tensor<2x5xf32>
  %q = mlc.pad %z low = [0, 1] high = [0, 1] interior = [0, 0] value = 0.0 : tensor<2x3xf32> -> tensor<2x5xf32>
  %s = mlc.mul %p, %y : tensor<2x5xf32>
  %t = mlc.mul %q, %s : tensor<2x5xf32>
  return %t : tensor<2x5xf32>
}

// -----

// No interior padding: the border's four strips are filled (rows 0 and 4 whole, then columns
// 0 and 4-5 over the input's rows), not the whole tensor, and the input is copied into its box.
// CHECK-LABEL: func.func @pad_border
// CHECK: %[[FRESH:.*]] = bufferization.alloc_tensor() : tensor<5x6xf32>
// CHECK-NOT: outs(%[[FRESH]] : tensor<5x6xf32>)
// CHECK: %[[TOP:.*]] = tensor.extract_slice %[[FRESH]][0, 0] [1, 6] [1, 1] : tensor<5x6xf32> to tensor<1x6xf32>
// CHECK: %[[F0:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[TOP]] : tensor<1x6xf32>)
// CHECK: %[[P0:.*]] = tensor.insert_slice %[[F0]] into %[[FRESH]][0, 0] [1, 6] [1, 1]
// CHECK: %[[BOTTOM:.*]] = tensor.extract_slice %[[P0]][4, 0] [1, 6] [1, 1]
// CHECK: %[[F1:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[BOTTOM]] : tensor<1x6xf32>)
// CHECK: %[[P1:.*]] = tensor.insert_slice %[[F1]] into %[[P0]][4, 0] [1, 6] [1, 1]
// CHECK: %[[LEFT:.*]] = tensor.extract_slice %[[P1]][1, 0] [3, 1] [1, 1]
// CHECK: %[[F2:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[LEFT]] : tensor<3x1xf32>)
// CHECK: %[[P2:.*]] = tensor.insert_slice %[[F2]] into %[[P1]][1, 0] [3, 1] [1, 1]
// CHECK: %[[RIGHT:.*]] = tensor.extract_slice %[[P2]][1, 4] [3, 2] [1, 1]
// CHECK: %[[F3:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[RIGHT]] : tensor<3x2xf32>)
// CHECK: %[[P3:.*]] = tensor.insert_slice %[[F3]] into %[[P2]][1, 4] [3, 2] [1, 1]
// CHECK: %[[BOX:.*]] = tensor.extract_slice %[[P3]][1, 1] [3, 3] [1, 1]
// CHECK: %[[COPY:.*]] = linalg.generic {{.*}} ins(%{{.*}} : tensor<3x3xf32>) outs(%[[BOX]] : tensor<3x3xf32>)
// CHECK: tensor.insert_slice %[[COPY]] into %[[P3]][1, 1] [3, 3] [1, 1]
func.func @pad_border(%x: tensor<3x3xf32>, %y: tensor<5x6xf32>) -> tensor<5x6xf32> {
  %p = mlc.pad %x low = [1, 1] high = [1, 2] interior = [0, 0] value = 0.0 : tensor<3x3xf32> -> tensor<5x6xf32>
  %s = mlc.mul %p, %y : tensor<5x6xf32>
  return %s : tensor<5x6xf32>
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
