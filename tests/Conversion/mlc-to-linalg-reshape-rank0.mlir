// convert-mlc-to-linalg of a rank-0 to rank-0 reshape (a no-op): it must lower to valid IR.
// RUN: mlc-opt %s --convert-mlc-to-linalg | FileCheck %s

// CHECK-LABEL: func.func @reshape_scalar
// CHECK-NOT: mlc.reshape
// CHECK: return
func.func @reshape_scalar(%x: tensor<f32>) -> tensor<f32> {
  %0 = mlc.reshape %x : tensor<f32> -> tensor<f32>
  return %0 : tensor<f32>
}
