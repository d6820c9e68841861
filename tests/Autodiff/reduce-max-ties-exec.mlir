// The adjoint of reduce_max goes to the FIRST maximal element (row-major over the reduced
// dimensions), as PyTorch routes max-pool gradients: a window of equal values (an all-background
// patch of an image) passes the adjoint on once. Differentiated, lowered and run on the host.
// The gradient functions exist only once autodiff has run: @main calls them through an
// unregistered "test.call_grad", which sed turns into func.call between the two runs.
// RUN: mlc-opt %s --allow-unregistered-dialect --pass-pipeline="builtin.module(mlc-autodiff{function=max_rows all-args=true}, mlc-autodiff{function=max_all all-args=true})" \
// RUN:   | sed s/test.call_grad/func.call/ | mlc-opt --pass-pipeline="builtin.module(convert-mlc-to-linalg, one-shot-bufferize{bufferize-function-boundaries}, func.func(convert-linalg-to-loops), convert-vector-to-scf, convert-scf-to-cf, expand-strided-metadata, lower-affine, finalize-memref-to-llvm, convert-vector-to-llvm, convert-arith-to-llvm, convert-index-to-llvm, convert-func-to-llvm, convert-cf-to-llvm, reconcile-unrealized-casts)" \
// RUN:   | mlir-cpu-runner -e main -entry-point-result=void -shared-libs=%mlir_c_runner_utils | FileCheck %s
// Rows [1 3 3 2], [5 5 5 5], [-1 -4 -1 0]: the first 3, the first 5, the 0 (no tie).
// CHECK: ( 0, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1 )
// Over both dimensions (keep_dims) of [[2 7] [7 7]]: the 7 at (0, 1).
// CHECK-NEXT: ( 0, 1, 0, 0 )

func.func @max_rows(%x: tensor<3x4xf32>) -> tensor<f32> {
  %0 = mlc.reduce_max %x dims = [1] : tensor<3x4xf32> -> tensor<3xf32>
  %1 = mlc.reduce_sum %0 dims = [0] : tensor<3xf32> -> tensor<f32>
  return %1 : tensor<f32>
}

func.func @max_all(%x: tensor<2x2xf32>) -> tensor<f32> {
  %0 = mlc.reduce_max %x dims = [0, 1] keep_dims : tensor<2x2xf32> -> tensor<1x1xf32>
  %1 = mlc.reduce_sum %0 dims = [0, 1] : tensor<1x1xf32> -> tensor<f32>
  return %1 : tensor<f32>
}

func.func @main() {
  %c0 = arith.constant 0 : index
  %pad = arith.constant 0.0 : f32
  %x = arith.constant dense<[[1.0, 3.0, 3.0, 2.0], [5.0, 5.0, 5.0, 5.0], [-1.0, -4.0, -1.0, 0.0]]> : tensor<3x4xf32>
  %r:2 = "test.call_grad"(%x) {callee = @max_rows_grad} : (tensor<3x4xf32>) -> (tensor<f32>, tensor<3x4xf32>)
  %g = mlc.reshape %r#1 : tensor<3x4xf32> -> tensor<12xf32>
  %v = vector.transfer_read %g[%c0], %pad : tensor<12xf32>, vector<12xf32>
  vector.print %v : vector<12xf32>
  %y = arith.constant dense<[[2.0, 7.0], [7.0, 7.0]]> : tensor<2x2xf32>
  %s:2 = "test.call_grad"(%y) {callee = @max_all_grad} : (tensor<2x2xf32>) -> (tensor<f32>, tensor<2x2xf32>)
  %h = mlc.reshape %s#1 : tensor<2x2xf32> -> tensor<4xf32>
  %w = vector.transfer_read %h[%c0], %pad : tensor<4xf32>, vector<4xf32>
  vector.print %w : vector<4xf32>
  return
}
