// convert-mlc-to-linalg of a rank-0 to rank-0 reshape (a no-op): it must lower to valid IR.
// XFAIL: *
// BUG: the fallback path collapses the rank-0 input "to 1-D" with an empty reassociation,
// producing an invalid tensor.collapse_shape (tensor<f32> into tensor<1xf32>); the pass fails with
// "'tensor.collapse_shape' op expected the expanded type ... to have a higher (or same) rank".
// RUN: mlc-opt %s --convert-mlc-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @reshape_scalar
// CHECK-NOT: mlc.reshape
// CHECK: return
func.func @reshape_scalar(%x: tensor<f32>) -> tensor<f32> {
  %0 = mlc.reshape %x : tensor<f32> -> tensor<f32>
  return %0 : tensor<f32>
}
