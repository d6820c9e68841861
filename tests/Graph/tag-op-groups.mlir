// mlc-tag-op-groups: each mlc.matmul says what it is for, and lowering keeps the answer.
// RUN: mlc-opt %s --mlc-tag-op-groups | FileCheck %s
// RUN: mlc-opt %s --mlc-tag-op-groups --convert-mlc-to-linalg | FileCheck %s --check-prefix=LINALG

// A 3x3 convolution of a 1-channel 6x6 image into 4 channels (windows times the filters, a
// parameter), its filters' gradient (the windows times an incoming gradient) and its input's
// gradient (a product that col2im folds back), as the importer and autodiff build them; and a
// dense layer's product.
// CHECK-LABEL: func.func @conv_step
// CHECK: mlc.matmul %{{.*}}, %{{.*}} {mlc.op_group = "conv_fwd", transpose_rhs}
// CHECK: mlc.matmul %{{.*}}, %{{.*}} {mlc.op_group = "conv_bwd_weights", transpose_lhs}
// CHECK: mlc.matmul %{{.*}}, %{{.*}} {mlc.op_group = "conv_bwd_data"}
// CHECK: mlc.matmul %{{.*}}, %{{.*}} {mlc.op_group = "gemm", transpose_rhs}
// LINALG-LABEL: func.func @conv_step
// LINALG: linalg.generic {{.*}} attrs = {mlc.op_group = "windows"}
// LINALG: linalg.matmul {mlc.op_group = "conv_fwd"}
// LINALG: linalg.matmul_transpose_a {mlc.op_group = "conv_bwd_weights"}
// LINALG: linalg.matmul {mlc.op_group = "conv_bwd_data"}
// LINALG: linalg.generic {{.*}} attrs = {mlc.op_group = "windows"}
// LINALG: linalg.matmul {mlc.op_group = "gemm"}
func.func @conv_step(%x: tensor<2x1x6x6xf32>, %w: tensor<4x1x3x3xf32> {mlc.param = "conv.weight"}, %dy: tensor<32x4xf32>,
                     %h: tensor<2x16xf32>, %v: tensor<8x16xf32>)
    -> (tensor<32x4xf32>, tensor<4x9xf32>, tensor<2x1x6x6xf32>, tensor<2x8xf32>) {
  %win = mlc.im2col %x kernel = [3, 3] strides = [1, 1] dilations = [1, 1] pads = [0, 0, 0, 0]
      pad_value = 0.0 : tensor<2x1x6x6xf32> -> tensor<2x4x4x1x3x3xf32>
  %rows = mlc.reshape %win : tensor<2x4x4x1x3x3xf32> -> tensor<32x9xf32>
  %flat = mlc.reshape %w : tensor<4x1x3x3xf32> -> tensor<4x9xf32>
  %y = mlc.matmul %rows, %flat {transpose_rhs} : tensor<32x9xf32>, tensor<4x9xf32> -> tensor<32x4xf32>
  %dw = mlc.matmul %dy, %rows {transpose_lhs} : tensor<32x4xf32>, tensor<32x9xf32> -> tensor<4x9xf32>
  %dcols = mlc.matmul %dy, %flat : tensor<32x4xf32>, tensor<4x9xf32> -> tensor<32x9xf32>
  %dwin = mlc.reshape %dcols : tensor<32x9xf32> -> tensor<2x4x4x1x3x3xf32>
  %dx = mlc.col2im %dwin kernel = [3, 3] strides = [1, 1] dilations = [1, 1] pads = [0, 0, 0, 0]
      : tensor<2x4x4x1x3x3xf32> -> tensor<2x1x6x6xf32>
  %d = mlc.matmul %h, %v {transpose_rhs} : tensor<2x16xf32>, tensor<8x16xf32> -> tensor<2x8xf32>
  return %y, %dw, %dx, %d : tensor<32x4xf32>, tensor<4x9xf32>, tensor<2x1x6x6xf32>, tensor<2x8xf32>
}

// A Winograd convolution F(2x2, 3x3) of a 4x4 image (2x2 tiles, 16 points) and the products its
// gradients build: the transforms (products with a constant) are data movement like im2col; the
// product per point of transformed tiles and transformed filters (a parameter) is the forward
// pass; an incoming gradient times the transformed filters is the image's gradient, times the
// transformed tiles the filters'.
// CHECK-LABEL: func.func @winograd_step
// CHECK: mlc.matmul %{{.*}}, %{{.*}} {mlc.op_group = "windows", transpose_rhs} : tensor<16x16xf32>
// CHECK: mlc.matmul %{{.*}}, %{{.*}} {mlc.op_group = "windows", transpose_rhs} : tensor<16x9xf32>
// CHECK: mlc.matmul %{{.*}}, %{{.*}} {mlc.op_group = "conv_fwd", transpose_rhs} : tensor<16x4x2xf32>
// CHECK: mlc.matmul %{{.*}}, %{{.*}} {mlc.op_group = "conv_bwd_data"} : tensor<16x4x3xf32>
// CHECK: mlc.matmul %{{.*}}, %{{.*}} {mlc.op_group = "conv_bwd_weights", transpose_lhs} : tensor<16x4x3xf32>
// LINALG-LABEL: func.func @winograd_step
// LINALG: linalg.batch_matmul {mlc.op_group = "conv_fwd"}
// LINALG: linalg.batch_matmul {mlc.op_group = "conv_bwd_data"}
// LINALG: linalg.batch_matmul_transpose_a {mlc.op_group = "conv_bwd_weights"}
func.func @winograd_step(%x: tensor<1x2x4x4xf32>, %w: tensor<3x2x3x3xf32> {mlc.param = "conv.weight"},
                         %dm: tensor<16x4x3xf32>) -> (tensor<16x4x3xf32>, tensor<16x4x2xf32>, tensor<16x3x2xf32>) {
  %bt = arith.constant dense<1.0> : tensor<16x16xf32>
  %g = arith.constant dense<0.5> : tensor<16x9xf32>
  %tiles = mlc.im2col %x kernel = [4, 4] strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1]
      pad_value = 0.0 : tensor<1x2x4x4xf32> -> tensor<1x2x2x2x4x4xf32>
  %rows = mlc.reshape %tiles : tensor<1x2x2x2x4x4xf32> -> tensor<8x16xf32>
  %v0 = mlc.matmul %bt, %rows {transpose_rhs} : tensor<16x16xf32>, tensor<8x16xf32> -> tensor<16x8xf32>
  %v = mlc.reshape %v0 : tensor<16x8xf32> -> tensor<16x4x2xf32>
  %flat = mlc.reshape %w : tensor<3x2x3x3xf32> -> tensor<6x9xf32>
  %u0 = mlc.matmul %g, %flat {transpose_rhs} : tensor<16x9xf32>, tensor<6x9xf32> -> tensor<16x6xf32>
  %u = mlc.reshape %u0 : tensor<16x6xf32> -> tensor<16x3x2xf32>
  %m = mlc.matmul %v, %u {transpose_rhs} : tensor<16x4x2xf32>, tensor<16x3x2xf32> -> tensor<16x4x3xf32>
  %dv = mlc.matmul %dm, %u : tensor<16x4x3xf32>, tensor<16x3x2xf32> -> tensor<16x4x2xf32>
  %du = mlc.matmul %dm, %v {transpose_lhs} : tensor<16x4x3xf32>, tensor<16x4x2xf32> -> tensor<16x3x2xf32>
  return %m, %dv, %du : tensor<16x4x3xf32>, tensor<16x4x2xf32>, tensor<16x3x2xf32>
}
