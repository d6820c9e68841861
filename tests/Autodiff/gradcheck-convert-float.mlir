// Finite-difference check of convert_float's VJP: a float32 argument widened to float64 (the
// adjoint is rounded back to float32). Float32 arguments take steps of 1e-2, whose truncation
// error (about 1e-5 relative) sets the tolerance.
// RUN: mlc-gradcheck %s --rtol 1e-3 | FileCheck %s
// RUN: mlc-gradcheck %s --rtol 1e-3 --target=cuda-emulated | FileCheck %s

// CHECK: gradcheck @vjp_convert_float: PASS
func.func @vjp_convert_float(%x: tensor<3x4xf32>, %w: tensor<3x4xf64>) -> tensor<f64> {
  %0 = mlc.convert_float %x : tensor<3x4xf32> -> tensor<3x4xf64>
  %1 = mlc.exp %0 : tensor<3x4xf64>
  %2 = mlc.mul %1, %w : tensor<3x4xf64>
  %3 = mlc.reduce_sum %2 dims = [0, 1] : tensor<3x4xf64> -> tensor<f64>
  return %3 : tensor<f64>
}
