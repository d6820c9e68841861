// mlc-explicit-slice-copies: an insert_slice whose source was not computed into the
// destination's box gets an explicit linalg.copy into that box (scheduled like any op, where
// bufferization's own copy would be a scalar loop nest); one computed into the box stays, and
// a producer that only writes a fresh init, read by nothing else, computes into the box.
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

// -----

#id2 = affine_map<(d0, d1) -> (d0, d1)>
// The inserted value's producer only writes its init (a fresh tensor) and nothing else reads the
// value: it computes into the destination's box instead, so no copy is needed. The
// destination's making (an alloc_tensor with its border filled, after the producer) moves before
// the producer.
// CHECK-LABEL: func.func @producer_into_box
// CHECK: %[[FRESH:.*]] = bufferization.alloc_tensor() : tensor<6x6xf32>
// CHECK: linalg.fill
// CHECK: %[[BORDERED:.*]] = tensor.insert_slice
// CHECK: %[[BOX:.*]] = tensor.extract_slice %[[BORDERED]][1, 1] [4, 4] [1, 1] : tensor<6x6xf32> to tensor<4x4xf32>
// CHECK: %[[RELU:.*]] = linalg.generic {{.*}} ins(%arg0 : tensor<4x4xf32>) outs(%[[BOX]] : tensor<4x4xf32>)
// CHECK-NOT: linalg.copy
// CHECK: tensor.insert_slice %[[RELU]] into %[[BORDERED]][1, 1] [4, 4] [1, 1]
func.func @producer_into_box(%x: tensor<4x4xf32>) -> tensor<6x6xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %relu = linalg.generic {indexing_maps = [#id2, #id2], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x4xf32>
  %fresh = bufferization.alloc_tensor() : tensor<6x6xf32>
  %top = tensor.extract_slice %fresh[0, 0] [1, 6] [1, 1] : tensor<6x6xf32> to tensor<1x6xf32>
  %zeros = linalg.fill ins(%zero : f32) outs(%top : tensor<1x6xf32>) -> tensor<1x6xf32>
  %bordered = tensor.insert_slice %zeros into %fresh[0, 0] [1, 6] [1, 1] : tensor<1x6xf32> into tensor<6x6xf32>
  %r = tensor.insert_slice %relu into %bordered[1, 1] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<6x6xf32>
  return %r : tensor<6x6xf32>
}

// -----

#id3 = affine_map<(d0, d1) -> (d0, d1)>
// The value is read elsewhere too: computed into the box, it would live in the padded tensor's
// buffer, which bufferization then copies out and back when that buffer is reused; it keeps its
// own tensor and the copy is explicit.
// CHECK-LABEL: func.func @producer_used_twice
// CHECK: %[[RELU:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<4x4xf32>)
// CHECK: %[[FILL:.*]] = linalg.fill
// CHECK: %[[BOX:.*]] = tensor.extract_slice %[[FILL]][1, 1] [4, 4] [1, 1]
// CHECK: linalg.copy ins(%[[RELU]] : tensor<4x4xf32>) outs(%[[BOX]] : tensor<4x4xf32>)
func.func @producer_used_twice(%x: tensor<4x4xf32>) -> (tensor<6x6xf32>, tensor<4x4xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %relu = linalg.generic {indexing_maps = [#id3, #id3], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<4x4xf32>) outs(%e : tensor<4x4xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.maximumf %a, %zero : f32
    linalg.yield %m : f32
  } -> tensor<4x4xf32>
  %fresh = bufferization.alloc_tensor() : tensor<6x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%fresh : tensor<6x6xf32>) -> tensor<6x6xf32>
  %r = tensor.insert_slice %relu into %f[1, 1] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<6x6xf32>
  return %r, %relu : tensor<6x6xf32>, tensor<4x4xf32>
}
