// Finite-difference check of every VJP rule: each function applies one op (or a composition that
// reaches it) and reduces to a scalar; mlc-gradcheck compares autodiff against central differences.
// RUN: mlc-gradcheck %s | FileCheck %s

// CHECK: gradcheck @vjp_neg: PASS
func.func @vjp_neg(%x: tensor<3x4xf64>, %w: tensor<3x4xf64>) -> tensor<f64> {
  %0 = mlc.neg %x : tensor<3x4xf64>
  %1 = mlc.mul %0, %w : tensor<3x4xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1] : tensor<3x4xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_exp: PASS
func.func @vjp_exp(%x: tensor<3x4xf64>, %w: tensor<3x4xf64>) -> tensor<f64> {
  %0 = mlc.exp %x : tensor<3x4xf64>
  %1 = mlc.mul %0, %w : tensor<3x4xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1] : tensor<3x4xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_log: PASS
func.func @vjp_log(%x: tensor<3x4xf64> {mlc.positive}, %w: tensor<3x4xf64>) -> tensor<f64> {
  %0 = mlc.log %x : tensor<3x4xf64>
  %1 = mlc.mul %0, %w : tensor<3x4xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1] : tensor<3x4xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_sqrt: PASS
func.func @vjp_sqrt(%x: tensor<3x4xf64> {mlc.positive}, %w: tensor<3x4xf64>) -> tensor<f64> {
  %0 = mlc.sqrt %x : tensor<3x4xf64>
  %1 = mlc.mul %0, %w : tensor<3x4xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1] : tensor<3x4xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_relu: PASS
func.func @vjp_relu(%x: tensor<3x4xf64>, %w: tensor<3x4xf64>) -> tensor<f64> {
  %0 = mlc.relu %x : tensor<3x4xf64>
  %1 = mlc.mul %0, %w : tensor<3x4xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1] : tensor<3x4xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// The chosen operand gets the adjoint, the other none; the comparison operands none either.
// CHECK: gradcheck @vjp_where_gt: PASS
func.func @vjp_where_gt(%a: tensor<3x4xf64>, %b: tensor<3x4xf64>, %x: tensor<3x4xf64>, %y: tensor<3x4xf64>, %w: tensor<3x4xf64>) -> tensor<f64> {
  %0 = mlc.where_gt %a, %b, %x, %y : tensor<3x4xf64>
  %1 = mlc.mul %0, %w : tensor<3x4xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1] : tensor<3x4xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// max(a, b) as the importer builds it: each element's adjoint goes to the larger operand.
// CHECK: gradcheck @vjp_where_gt_max: PASS
func.func @vjp_where_gt_max(%a: tensor<3x4xf64>, %b: tensor<3x4xf64>, %w: tensor<3x4xf64>) -> tensor<f64> {
  %0 = mlc.where_gt %b, %a, %b, %a : tensor<3x4xf64>
  %1 = mlc.mul %0, %w : tensor<3x4xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1] : tensor<3x4xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// The adjoint of a maximum reaches the elements equal to it (random data has no ties).
// CHECK: gradcheck @vjp_reduce_max: PASS
func.func @vjp_reduce_max(%x: tensor<3x5xf64>, %w: tensor<3xf64>) -> tensor<f64> {
  %0 = mlc.reduce_max %x dims = [1] : tensor<3x5xf64> -> tensor<3xf64>
  %1 = mlc.mul %0, %w : tensor<3xf64>
  %2 = mlc.reduce_sum %1 dims = [0] : tensor<3xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_reduce_max_keep_dims: PASS
func.func @vjp_reduce_max_keep_dims(%x: tensor<3x5xf64>, %w: tensor<1x5xf64>) -> tensor<f64> {
  %0 = mlc.reduce_max %x dims = [0] keep_dims : tensor<3x5xf64> -> tensor<1x5xf64>
  %1 = mlc.mul %0, %w : tensor<1x5xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1] : tensor<1x5xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_sigmoid: PASS
func.func @vjp_sigmoid(%x: tensor<3x4xf64>, %w: tensor<3x4xf64>) -> tensor<f64> {
  %0 = mlc.sigmoid %x : tensor<3x4xf64>
  %1 = mlc.mul %0, %w : tensor<3x4xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1] : tensor<3x4xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_tanh: PASS
func.func @vjp_tanh(%x: tensor<3x4xf64>, %w: tensor<3x4xf64>) -> tensor<f64> {
  %0 = mlc.tanh %x : tensor<3x4xf64>
  %1 = mlc.mul %0, %w : tensor<3x4xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1] : tensor<3x4xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_add_sub: PASS
func.func @vjp_add_sub(%x: tensor<3x4xf64>, %y: tensor<3x4xf64>, %w: tensor<3x4xf64>) -> tensor<f64> {
  %0 = mlc.add %x, %y : tensor<3x4xf64>
  %1 = mlc.sub %0, %w : tensor<3x4xf64>
  %2 = mlc.mul %1, %1 : tensor<3x4xf64>
  %3 = mlc.reduce_sum %2 dims = [0, 1] : tensor<3x4xf64> -> tensor<f64>
  return %3 : tensor<f64>
}

// CHECK: gradcheck @vjp_div: PASS
func.func @vjp_div(%x: tensor<3x4xf64>, %y: tensor<3x4xf64> {mlc.positive}) -> tensor<f64> {
  %0 = mlc.div %x, %y : tensor<3x4xf64>
  %1 = mlc.reduce_sum %0 dims = [0, 1] : tensor<3x4xf64> -> tensor<f64>
  return %1 : tensor<f64>
}

// CHECK: gradcheck @vjp_pow: PASS
func.func @vjp_pow(%x: tensor<3x4xf64> {mlc.positive}, %p: tensor<3x4xf64>) -> tensor<f64> {
  %0 = mlc.pow %x, %p : tensor<3x4xf64>
  %1 = mlc.reduce_sum %0 dims = [0, 1] : tensor<3x4xf64> -> tensor<f64>
  return %1 : tensor<f64>
}

// CHECK: gradcheck @vjp_broadcast_new_and_expanded_dims: PASS
func.func @vjp_broadcast_new_and_expanded_dims(%x: tensor<1x4xf64>, %w: tensor<2x3x4xf64>) -> tensor<f64> {
  %0 = mlc.broadcast %x dims = [1, 2] : tensor<1x4xf64> -> tensor<2x3x4xf64>
  %1 = mlc.mul %0, %w : tensor<2x3x4xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1, 2] : tensor<2x3x4xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_reduce_sum_keep_dims: PASS
func.func @vjp_reduce_sum_keep_dims(%x: tensor<3x4xf64>, %w: tensor<3x1xf64>) -> tensor<f64> {
  %0 = mlc.reduce_sum %x dims = [1] keep_dims : tensor<3x4xf64> -> tensor<3x1xf64>
  %1 = mlc.mul %0, %w : tensor<3x1xf64>
  %2 = mlc.mul %1, %1 : tensor<3x1xf64>
  %3 = mlc.reduce_sum %2 dims = [0, 1] : tensor<3x1xf64> -> tensor<f64>
  return %3 : tensor<f64>
}

// CHECK: gradcheck @vjp_reshape_transpose: PASS
func.func @vjp_reshape_transpose(%x: tensor<2x3x4xf64>, %w: tensor<4x6xf64>) -> tensor<f64> {
  %0 = mlc.reshape %x : tensor<2x3x4xf64> -> tensor<6x4xf64>
  %1 = mlc.transpose %0 permutation = [1, 0] : tensor<6x4xf64> -> tensor<4x6xf64>
  %2 = mlc.mul %1, %w : tensor<4x6xf64>
  %3 = mlc.reduce_sum %2 dims = [0, 1] : tensor<4x6xf64> -> tensor<f64>
  return %3 : tensor<f64>
}

// CHECK: gradcheck @vjp_matmul: PASS
func.func @vjp_matmul(%a: tensor<5x3xf64>, %b: tensor<3x4xf64>, %w: tensor<5x4xf64>) -> tensor<f64> {
  %0 = mlc.matmul %a, %b : tensor<5x3xf64>, tensor<3x4xf64> -> tensor<5x4xf64>
  %1 = mlc.mul %0, %w : tensor<5x4xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1] : tensor<5x4xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_matmul_transpose_lhs: PASS
func.func @vjp_matmul_transpose_lhs(%a: tensor<3x5xf64>, %b: tensor<3x4xf64>, %w: tensor<5x4xf64>) -> tensor<f64> {
  %0 = mlc.matmul %a, %b {transpose_lhs} : tensor<3x5xf64>, tensor<3x4xf64> -> tensor<5x4xf64>
  %1 = mlc.mul %0, %w : tensor<5x4xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1] : tensor<5x4xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_matmul_transpose_rhs: PASS
func.func @vjp_matmul_transpose_rhs(%a: tensor<5x3xf64>, %b: tensor<4x3xf64>, %w: tensor<5x4xf64>) -> tensor<f64> {
  %0 = mlc.matmul %a, %b {transpose_rhs} : tensor<5x3xf64>, tensor<4x3xf64> -> tensor<5x4xf64>
  %1 = mlc.mul %0, %w : tensor<5x4xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1] : tensor<5x4xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_matmul_transpose_both: PASS
func.func @vjp_matmul_transpose_both(%a: tensor<3x5xf64>, %b: tensor<4x3xf64>, %w: tensor<5x4xf64>) -> tensor<f64> {
  %0 = mlc.matmul %a, %b {transpose_lhs, transpose_rhs} : tensor<3x5xf64>, tensor<4x3xf64> -> tensor<5x4xf64>
  %1 = mlc.mul %0, %w : tensor<5x4xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1] : tensor<5x4xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// A batch of products (Winograd's per point), plain and with each operand transposed.
// CHECK: gradcheck @vjp_matmul_batched: PASS
func.func @vjp_matmul_batched(%a: tensor<2x5x3xf64>, %b: tensor<2x3x4xf64>, %w: tensor<2x5x4xf64>) -> tensor<f64> {
  %0 = mlc.matmul %a, %b : tensor<2x5x3xf64>, tensor<2x3x4xf64> -> tensor<2x5x4xf64>
  %1 = mlc.mul %0, %w : tensor<2x5x4xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1, 2] : tensor<2x5x4xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_matmul_batched_transpose_both: PASS
func.func @vjp_matmul_batched_transpose_both(%a: tensor<3x3x5xf64>, %b: tensor<3x4x3xf64>, %w: tensor<3x5x4xf64>) -> tensor<f64> {
  %0 = mlc.matmul %a, %b {transpose_lhs, transpose_rhs} : tensor<3x3x5xf64>, tensor<3x4x3xf64> -> tensor<3x5x4xf64>
  %1 = mlc.mul %0, %w : tensor<3x5x4xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1, 2] : tensor<3x5x4xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_softmax: PASS
func.func @vjp_softmax(%x: tensor<3x5xf64>, %w: tensor<3x5xf64>) -> tensor<f64> {
  %0 = mlc.softmax %x axis = 1 : tensor<3x5xf64>
  %1 = mlc.mul %0, %w : tensor<3x5xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1] : tensor<3x5xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_log_softmax_axis0: PASS
func.func @vjp_log_softmax_axis0(%x: tensor<3x5xf64>, %w: tensor<3x5xf64>) -> tensor<f64> {
  %0 = mlc.log_softmax %x axis = 0 : tensor<3x5xf64>
  %1 = mlc.mul %0, %w : tensor<3x5xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1] : tensor<3x5xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_softmax_cross_entropy: PASS
func.func @vjp_softmax_cross_entropy(%x: tensor<6x5xf64>, %labels: tensor<6xi32> {mlc.range = 5 : i64}) -> tensor<f64> {
  %0 = mlc.softmax_cross_entropy %x, %labels : tensor<6x5xf64>, tensor<6xi32> -> tensor<f64>
  return %0 : tensor<f64>
}

// The MLP and its loss, end to end (shared values: adjoints are summed).
// CHECK: gradcheck @vjp_mlp_loss: PASS
func.func @vjp_mlp_loss(%x: tensor<4x6xf64>, %w1: tensor<5x6xf64>, %b1: tensor<5xf64>, %w2: tensor<3x5xf64>,
                    %labels: tensor<4xi32> {mlc.range = 3 : i64}) -> tensor<f64> {
  %0 = mlc.matmul %x, %w1 {transpose_rhs} : tensor<4x6xf64>, tensor<5x6xf64> -> tensor<4x5xf64>
  %1 = mlc.broadcast %b1 dims = [1] : tensor<5xf64> -> tensor<4x5xf64>
  %2 = mlc.add %0, %1 : tensor<4x5xf64>
  %3 = mlc.tanh %2 : tensor<4x5xf64>
  %4 = mlc.mul %3, %2 : tensor<4x5xf64>
  %5 = mlc.matmul %4, %w2 {transpose_rhs} : tensor<4x5xf64>, tensor<3x5xf64> -> tensor<4x3xf64>
  %6 = mlc.softmax_cross_entropy %5, %labels : tensor<4x3xf64>, tensor<4xi32> -> tensor<f64>
  return %6 : tensor<f64>
}

// Strided, dilated, asymmetrically padded windows; the pad value gets no gradient.
// CHECK: gradcheck @vjp_im2col: PASS
func.func @vjp_im2col(%x: tensor<2x3x7x6xf64>, %w: tensor<2x4x5x3x3x2xf64>) -> tensor<f64> {
  %0 = mlc.im2col %x kernel = [3, 2] strides = [2, 1] dilations = [1, 2] pads = [1, 0, 2, 1] pad_value = 5.000000e-01 : tensor<2x3x7x6xf64> -> tensor<2x4x5x3x3x2xf64>
  %1 = mlc.mul %0, %w : tensor<2x4x5x3x3x2xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1, 2, 3, 4, 5] : tensor<2x4x5x3x3x2xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_col2im: PASS
func.func @vjp_col2im(%c: tensor<2x4x5x3x3x2xf64>, %w: tensor<2x3x7x6xf64>) -> tensor<f64> {
  %0 = mlc.col2im %c kernel = [3, 2] strides = [2, 1] dilations = [1, 2] pads = [1, 0, 2, 1] : tensor<2x4x5x3x3x2xf64> -> tensor<2x3x7x6xf64>
  %1 = mlc.mul %0, %w : tensor<2x3x7x6xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1, 2, 3] : tensor<2x3x7x6xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// Windows of 2 channels side by side, as mlc-channels-last takes them (the image [N, 1, H, W C],
// 3-pixel windows of 6 columns stepping 2 pixels); col2im lowers them by the residue classes of
// pixels, 2 channels interleaved.
// CHECK: gradcheck @vjp_im2col_channels_last: PASS
func.func @vjp_im2col_channels_last(%x: tensor<2x1x7x12xf64>, %w: tensor<2x4x4x1x3x6xf64>) -> tensor<f64> {
  %0 = mlc.im2col %x kernel = [3, 6] strides = [2, 4] dilations = [1, 1] pads = [1, 2, 1, 4] pad_value = 0.000000e+00 : tensor<2x1x7x12xf64> -> tensor<2x4x4x1x3x6xf64>
  %1 = mlc.mul %0, %w : tensor<2x4x4x1x3x6xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1, 2, 3, 4, 5] : tensor<2x4x4x1x3x6xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_col2im_channels_last: PASS
func.func @vjp_col2im_channels_last(%c: tensor<2x4x4x1x3x6xf64>, %w: tensor<2x1x7x12xf64>) -> tensor<f64> {
  %0 = mlc.col2im %c kernel = [3, 6] strides = [2, 4] dilations = [1, 1] pads = [1, 2, 1, 4] : tensor<2x4x4x1x3x6xf64> -> tensor<2x1x7x12xf64>
  %1 = mlc.mul %0, %w : tensor<2x1x7x12xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1, 2, 3] : tensor<2x1x7x12xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// A convolution as the importer builds it: windows times the flattened filters.
// CHECK: gradcheck @vjp_conv: PASS
func.func @vjp_conv(%x: tensor<2x3x6x5xf64>, %f: tensor<4x3x3x3xf64>, %w: tensor<2x3x3x4xf64>) -> tensor<f64> {
  %0 = mlc.im2col %x kernel = [3, 3] strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1] pad_value = 0.000000e+00 : tensor<2x3x6x5xf64> -> tensor<2x3x3x3x3x3xf64>
  %1 = mlc.reshape %0 : tensor<2x3x3x3x3x3xf64> -> tensor<18x27xf64>
  %2 = mlc.reshape %f : tensor<4x3x3x3xf64> -> tensor<4x27xf64>
  %3 = mlc.matmul %1, %2 {transpose_rhs} : tensor<18x27xf64>, tensor<4x27xf64> -> tensor<18x4xf64>
  %4 = mlc.reshape %3 : tensor<18x4xf64> -> tensor<2x3x3x4xf64>
  %5 = mlc.mul %4, %w : tensor<2x3x3x4xf64>
  %6 = mlc.reduce_sum %5 dims = [0, 1, 2, 3] : tensor<2x3x3x4xf64> -> tensor<f64>
  return %6 : tensor<f64>
}

// Depthwise convolutions: strided, dilated and asymmetrically padded; with the kernel flipped;
// with pads wider than the kernel (the image adjoint's padding goes negative and is cut).
// CHECK: gradcheck @vjp_depthwise_conv: PASS
func.func @vjp_depthwise_conv(%x: tensor<2x3x7x6xf64>, %f: tensor<3x3x2xf64>, %w: tensor<2x3x4x5xf64>) -> tensor<f64> {
  %0 = mlc.depthwise_conv %x, %f kernel = [3, 2] strides = [2, 1] dilations = [1, 2] pads = [1, 0, 2, 1] : tensor<2x3x7x6xf64>, tensor<3x3x2xf64> -> tensor<2x3x4x5xf64>
  %1 = mlc.mul %0, %w : tensor<2x3x4x5xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1, 2, 3] : tensor<2x3x4x5xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// Channels last ([N, H, W, C], as mlc-channels-last makes them), strided, dilated, padded.
// CHECK: gradcheck @vjp_depthwise_conv_channels_last: PASS
func.func @vjp_depthwise_conv_channels_last(%x: tensor<2x7x6x3xf64>, %f: tensor<3x3x2xf64>, %w: tensor<2x4x5x3xf64>) -> tensor<f64> {
  %0 = mlc.depthwise_conv %x, %f kernel = [3, 2] strides = [2, 1] dilations = [1, 2] pads = [1, 0, 2, 1] channels_last : tensor<2x7x6x3xf64>, tensor<3x3x2xf64> -> tensor<2x4x5x3xf64>
  %1 = mlc.mul %0, %w : tensor<2x4x5x3xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1, 2, 3] : tensor<2x4x5x3xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_depthwise_conv_channels_last_wide_pads: PASS
func.func @vjp_depthwise_conv_channels_last_wide_pads(%x: tensor<1x4x4x2xf64>, %f: tensor<2x2x2xf64>, %w: tensor<1x5x3x2xf64>) -> tensor<f64> {
  %0 = mlc.depthwise_conv %x, %f kernel = [2, 2] strides = [2, 3] dilations = [1, 1] pads = [3, 2, 3, 3] channels_last : tensor<1x4x4x2xf64>, tensor<2x2x2xf64> -> tensor<1x5x3x2xf64>
  %1 = mlc.mul %0, %w : tensor<1x5x3x2xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1, 2, 3] : tensor<1x5x3x2xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_depthwise_conv_flipped: PASS
func.func @vjp_depthwise_conv_flipped(%x: tensor<1x2x5x5xf64>, %f: tensor<2x3x3xf64>, %w: tensor<1x2x3x3xf64>) -> tensor<f64> {
  %0 = mlc.depthwise_conv %x, %f kernel = [3, 3] strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1] flip_kernel : tensor<1x2x5x5xf64>, tensor<2x3x3xf64> -> tensor<1x2x3x3xf64>
  %1 = mlc.mul %0, %w : tensor<1x2x3x3xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1, 2, 3] : tensor<1x2x3x3xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_depthwise_conv_wide_pads: PASS
func.func @vjp_depthwise_conv_wide_pads(%x: tensor<1x2x4x4xf64>, %f: tensor<2x2x2xf64>, %w: tensor<1x2x5x3xf64>) -> tensor<f64> {
  %0 = mlc.depthwise_conv %x, %f kernel = [2, 2] strides = [2, 3] dilations = [1, 1] pads = [3, 2, 3, 3] : tensor<1x2x4x4xf64>, tensor<2x2x2xf64> -> tensor<1x2x5x3xf64>
  %1 = mlc.mul %0, %w : tensor<1x2x5x3xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1, 2, 3] : tensor<1x2x5x3xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// Max pooling: windows padded with -inf, then their maxima.
// CHECK: gradcheck @vjp_max_pool: PASS
func.func @vjp_max_pool(%x: tensor<1x2x5x5xf64>, %w: tensor<1x3x3x2xf64>) -> tensor<f64> {
  %0 = mlc.im2col %x kernel = [2, 2] strides = [2, 2] dilations = [1, 1] pads = [0, 0, 1, 1] pad_value = 0xFFF0000000000000 : tensor<1x2x5x5xf64> -> tensor<1x3x3x2x2x2xf64>
  %1 = mlc.reduce_max %0 dims = [4, 5] : tensor<1x3x3x2x2x2xf64> -> tensor<1x3x3x2xf64>
  %2 = mlc.mul %1, %w : tensor<1x3x3x2xf64>
  %3 = mlc.reduce_sum %2 dims = [0, 1, 2, 3] : tensor<1x3x3x2xf64> -> tensor<f64>
  return %3 : tensor<f64>
}

// Dropout's adjoint redraws the forward mask (step and seed are fixed: they are not trained).
// CHECK: gradcheck @vjp_dropout: PASS
func.func @vjp_dropout(%x: tensor<6x7xf64>, %w: tensor<6x7xf64>) -> tensor<f64> {
  %step = arith.constant dense<3.0> : tensor<f32>
  %seed = arith.constant dense<11.0> : tensor<f32>
  %0 = mlc.tanh %x : tensor<6x7xf64>
  %1 = mlc.dropout %0, %step, %seed ratio = 5.000000e-01 stream = 2 : tensor<6x7xf64>
  %2 = mlc.mul %1, %w : tensor<6x7xf64>
  %3 = mlc.reduce_sum %2 dims = [0, 1] : tensor<6x7xf64> -> tensor<f64>
  return %3 : tensor<f64>
}

// Strided slice and interior pad: each other's adjoints.
// CHECK: gradcheck @vjp_slice: PASS
func.func @vjp_slice(%x: tensor<5x9xf64>, %w: tensor<2x3xf64>) -> tensor<f64> {
  %0 = mlc.slice %x offsets = [1, 2] strides = [2, 3] : tensor<5x9xf64> -> tensor<2x3xf64>
  %1 = mlc.mul %0, %w : tensor<2x3xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1] : tensor<2x3xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_pad: PASS
func.func @vjp_pad(%x: tensor<2x3xf64>, %w: tensor<6x9xf64>) -> tensor<f64> {
  %0 = mlc.pad %x low = [1, 0] high = [3, 2] interior = [0, 2] value = 1.500000e+00 : tensor<2x3xf64> -> tensor<6x9xf64>
  %1 = mlc.mul %0, %w : tensor<6x9xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1] : tensor<6x9xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_erf: PASS
func.func @vjp_erf(%x: tensor<3x4xf64>, %w: tensor<3x4xf64>) -> tensor<f64> {
  %0 = mlc.erf %x : tensor<3x4xf64>
  %1 = mlc.mul %0, %w : tensor<3x4xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1] : tensor<3x4xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// Gather with random indices (6 draws from 4 rows, so rows repeat): their adjoints accumulate
// (gather_grad). Negative indices: conformance (test_gather_negative_indices) and
// mlc-to-linalg-gather.mlir.
// CHECK: gradcheck @vjp_gather_rows: PASS
func.func @vjp_gather_rows(%x: tensor<4x3xf64>, %i: tensor<2x3xi64> {mlc.range = 4}, %w: tensor<2x3x3xf64>) -> tensor<f64> {
  %0 = mlc.gather %x, %i axis = 0 : tensor<4x3xf64>, tensor<2x3xi64> -> tensor<2x3x3xf64>
  %1 = mlc.mul %0, %w : tensor<2x3x3xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1, 2] : tensor<2x3x3xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// A scalar index on an inner axis drops that dimension.
// CHECK: gradcheck @vjp_gather_inner_scalar: PASS
func.func @vjp_gather_inner_scalar(%x: tensor<2x5x3xf64>, %i: tensor<i32> {mlc.range = 5}, %w: tensor<2x3xf64>) -> tensor<f64> {
  %0 = mlc.gather %x, %i axis = 1 : tensor<2x5x3xf64>, tensor<i32> -> tensor<2x3xf64>
  %1 = mlc.mul %0, %w : tensor<2x3xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1] : tensor<2x3xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// Windows that tile the image (lowered as transposes): a 1x1 convolution's and a 2x2 pool's.
// CHECK: gradcheck @vjp_im2col_tiling: PASS
func.func @vjp_im2col_tiling(%x: tensor<2x3x4x6xf64>, %w: tensor<2x2x3x3x2x2xf64>) -> tensor<f64> {
  %0 = mlc.im2col %x kernel = [2, 2] strides = [2, 2] dilations = [1, 1] pads = [0, 0, 0, 0] pad_value = 0.000000e+00 : tensor<2x3x4x6xf64> -> tensor<2x2x3x3x2x2xf64>
  %1 = mlc.mul %0, %w : tensor<2x2x3x3x2x2xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1, 2, 3, 4, 5] : tensor<2x2x3x3x2x2xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// CHECK: gradcheck @vjp_col2im_pointwise: PASS
func.func @vjp_col2im_pointwise(%c: tensor<2x4x6x3x1x1xf64>, %w: tensor<2x3x4x6xf64>) -> tensor<f64> {
  %0 = mlc.col2im %c kernel = [1, 1] strides = [1, 1] dilations = [1, 1] pads = [0, 0, 0, 0] : tensor<2x4x6x3x1x1xf64> -> tensor<2x3x4x6xf64>
  %1 = mlc.mul %0, %w : tensor<2x3x4x6xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1, 2, 3] : tensor<2x3x4x6xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// col2im with 8 channels and windows that overlap unevenly (strides 2, asymmetric pads).
// CHECK: gradcheck @vjp_col2im_eight_channels: PASS
func.func @vjp_col2im_eight_channels(%c: tensor<1x3x2x8x3x2xf64>, %w: tensor<1x8x5x4xf64>) -> tensor<f64> {
  %0 = mlc.col2im %c kernel = [3, 2] strides = [2, 2] dilations = [1, 1] pads = [1, 0, 2, 1] : tensor<1x3x2x8x3x2xf64> -> tensor<1x8x5x4xf64>
  %1 = mlc.mul %0, %w : tensor<1x8x5x4xf64>
  %2 = mlc.reduce_sum %1 dims = [0, 1, 2, 3] : tensor<1x8x5x4xf64> -> tensor<f64>
  return %2 : tensor<f64>
}

// A dense stride-1 convolution as the importer builds it (windows x filters): its image gradient
// goes through mlc-conv-data-grad-as-conv (the windows of dY times the reversed, transposed
// filters), with asymmetric pads below the kernel.
// CHECK: gradcheck @vjp_conv_stride1: PASS
func.func @vjp_conv_stride1(%x: tensor<2x3x5x6xf64>, %f: tensor<4x3x3x2xf64>, %w: tensor<2x5x6x4xf64>) -> tensor<f64> {
  %win = mlc.im2col %x kernel = [3, 2] strides = [1, 1] dilations = [1, 1] pads = [1, 0, 1, 1] pad_value = 0.0
      : tensor<2x3x5x6xf64> -> tensor<2x5x6x3x3x2xf64>
  %rows = mlc.reshape %win : tensor<2x5x6x3x3x2xf64> -> tensor<60x18xf64>
  %flat = mlc.reshape %f : tensor<4x3x3x2xf64> -> tensor<4x18xf64>
  %y = mlc.matmul %rows, %flat {transpose_rhs} : tensor<60x18xf64>, tensor<4x18xf64> -> tensor<60x4xf64>
  %y4 = mlc.reshape %y : tensor<60x4xf64> -> tensor<2x5x6x4xf64>
  %0 = mlc.mul %y4, %w : tensor<2x5x6x4xf64>
  %1 = mlc.reduce_sum %0 dims = [0, 1, 2, 3] : tensor<2x5x6x4xf64> -> tensor<f64>
  return %1 : tensor<f64>
}
