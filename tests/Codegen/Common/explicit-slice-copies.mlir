// mlc-explicit-slice-copies: an insert_slice whose source was not computed into the
// destination's box gets an explicit linalg.copy into that box (scheduled like any op, where
// bufferization's own copy would be a scalar loop nest); one computed into the box stays.
// RUN: mlc-opt %s --split-input-file --pass-pipeline="builtin.module(func.func(mlc-explicit-slice-copies))" | FileCheck %s

// A padding whose identity copy canonicalization erased: the input is inserted directly.
// CHECK-LABEL: func.func @pad_interior
// CHECK: %[[FILL:.*]] = linalg.fill
// CHECK: %[[BOX:.*]] = tensor.extract_slice %[[FILL]][0, 1, 1] [2, 4, 4] [1, 1, 1] : tensor<2x6x6xf32> to tensor<2x4x4xf32>
// CHECK: %[[COPY:.*]] = linalg.copy ins(%arg0 : tensor<2x4x4xf32>) outs(%[[BOX]] : tensor<2x4x4xf32>)
// CHECK: tensor.insert_slice %[[COPY]] into %[[FILL]][0, 1, 1] [2, 4, 4] [1, 1, 1]
func.func @pad_interior(%x: tensor<2x4x4xf32>) -> tensor<2x6x6xf32> {
  %zero = arith.constant 0.0 : f32
  %e = bufferization.alloc_tensor() : tensor<2x6x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<2x6x6xf32>) -> tensor<2x6x6xf32>
  %r = tensor.insert_slice %x into %f[0, 1, 1] [2, 4, 4] [1, 1, 1] : tensor<2x4x4xf32> into tensor<2x6x6xf32>
  return %r : tensor<2x6x6xf32>
}

// -----

// A rank-reducing insert: the box has the source's type.
// CHECK-LABEL: func.func @rank_reducing
// CHECK: %[[BOX:.*]] = tensor.extract_slice %arg1[1, 0] [1, 8] [1, 1] : tensor<4x8xf32> to tensor<8xf32>
// CHECK: linalg.copy ins(%arg0 : tensor<8xf32>) outs(%[[BOX]] : tensor<8xf32>)
func.func @rank_reducing(%row: tensor<8xf32>, %m: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %r = tensor.insert_slice %row into %m[1, 0] [1, 8] [1, 1] : tensor<8xf32> into tensor<4x8xf32>
  return %r : tensor<4x8xf32>
}

// -----

#id = affine_map<(d0, d1) -> (d0, d1)>
// Computed into the box already (the lowering's padding copy): nothing to add.
// CHECK-LABEL: func.func @in_place
// CHECK-NOT: linalg.copy
func.func @in_place(%x: tensor<4x4xf32>) -> tensor<6x6xf32> {
  %zero = arith.constant 0.0 : f32
  %e = bufferization.alloc_tensor() : tensor<6x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<6x6xf32>) -> tensor<6x6xf32>
  %box = tensor.extract_slice %f[1, 1] [4, 4] [1, 1] : tensor<6x6xf32> to tensor<4x4xf32>
  %c = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x4xf32>) outs(%box : tensor<4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<4x4xf32>
  %r = tensor.insert_slice %c into %f[1, 1] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<6x6xf32>
  return %r : tensor<6x6xf32>
}
