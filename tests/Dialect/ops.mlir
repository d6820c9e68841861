// Round trip of every mlc op through the parser and printer, attributes included.
// RUN: mlc-opt %s --split-input-file | mlc-opt --split-input-file | FileCheck %s
// RUN: mlc-opt %s --split-input-file --mlir-print-op-generic | mlc-opt --split-input-file | FileCheck %s

// CHECK-LABEL: func.func @unary_ops
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
func.func @unary_ops(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK: %[[A:.*]] = mlc.neg %[[X]] : tensor<2x3xf32>
  // CHECK: %[[B:.*]] = mlc.exp %[[A]] : tensor<2x3xf32>
  // CHECK: %[[C:.*]] = mlc.log %[[B]] : tensor<2x3xf32>
  // CHECK: %[[D:.*]] = mlc.sqrt %[[C]] : tensor<2x3xf32>
  // CHECK: %[[E:.*]] = mlc.relu %[[D]] : tensor<2x3xf32>
  // CHECK: %[[F:.*]] = mlc.sigmoid %[[E]] : tensor<2x3xf32>
  // CHECK: %[[G:.*]] = mlc.tanh %[[F]] : tensor<2x3xf32>
  // CHECK: return %[[G]]
  %a = mlc.neg %x : tensor<2x3xf32>
  %b = mlc.exp %a : tensor<2x3xf32>
  %c = mlc.log %b : tensor<2x3xf32>
  %d = mlc.sqrt %c : tensor<2x3xf32>
  %e = mlc.relu %d : tensor<2x3xf32>
  %f = mlc.sigmoid %e : tensor<2x3xf32>
  %g = mlc.tanh %f : tensor<2x3xf32>
  return %g : tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func.func @binary_ops
// CHECK-SAME: (%[[X:.*]]: tensor<4xf64>, %[[Y:.*]]: tensor<4xf64>)
func.func @binary_ops(%x: tensor<4xf64>, %y: tensor<4xf64>) -> tensor<4xf64> {
  // CHECK: %[[A:.*]] = mlc.add %[[X]], %[[Y]] : tensor<4xf64>
  // CHECK: %[[B:.*]] = mlc.sub %[[A]], %[[Y]] : tensor<4xf64>
  // CHECK: %[[C:.*]] = mlc.mul %[[B]], %[[X]] : tensor<4xf64>
  // CHECK: %[[D:.*]] = mlc.div %[[C]], %[[Y]] : tensor<4xf64>
  // CHECK: %[[E:.*]] = mlc.pow %[[D]], %[[X]] : tensor<4xf64>
  // CHECK: %[[F:.*]] = mlc.relu_grad %[[X]], %[[E]] : tensor<4xf64>
  // CHECK: %[[G:.*]] = mlc.where_gt %[[X]], %[[Y]], %[[F]], %[[E]] : tensor<4xf64>
  %a = mlc.add %x, %y : tensor<4xf64>
  %b = mlc.sub %a, %y : tensor<4xf64>
  %c = mlc.mul %b, %x : tensor<4xf64>
  %d = mlc.div %c, %y : tensor<4xf64>
  %e = mlc.pow %d, %x : tensor<4xf64>
  %f = mlc.relu_grad %x, %e : tensor<4xf64>
  %g = mlc.where_gt %x, %y, %f, %e : tensor<4xf64>
  return %g : tensor<4xf64>
}

// -----

// CHECK-LABEL: func.func @broadcast
func.func @broadcast(%bias: tensor<128xf32>, %s: tensor<f32>, %r: tensor<1x4xf32>)
    -> (tensor<64x128xf32>, tensor<3x5xf32>, tensor<2x3x4xf32>) {
  // CHECK: mlc.broadcast %{{.*}} dims = [1] : tensor<128xf32> -> tensor<64x128xf32>
  // CHECK: mlc.broadcast %{{.*}} dims = [] : tensor<f32> -> tensor<3x5xf32>
  // CHECK: mlc.broadcast %{{.*}} dims = [1, 2] : tensor<1x4xf32> -> tensor<2x3x4xf32>
  %0 = mlc.broadcast %bias dims = [1] : tensor<128xf32> -> tensor<64x128xf32>
  %1 = mlc.broadcast %s dims = [] : tensor<f32> -> tensor<3x5xf32>
  %2 = mlc.broadcast %r dims = [1, 2] : tensor<1x4xf32> -> tensor<2x3x4xf32>
  return %0, %1, %2 : tensor<64x128xf32>, tensor<3x5xf32>, tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func.func @reduce_sum
func.func @reduce_sum(%x: tensor<64x10xf32>) -> (tensor<10xf32>, tensor<64x1xf32>, tensor<f32>) {
  // CHECK: mlc.reduce_sum %{{.*}} dims = [0] : tensor<64x10xf32> -> tensor<10xf32>
  // CHECK: mlc.reduce_sum %{{.*}} dims = [1] keep_dims : tensor<64x10xf32> -> tensor<64x1xf32>
  // CHECK: mlc.reduce_sum %{{.*}} dims = [0, 1] : tensor<64x10xf32> -> tensor<f32>
  %0 = mlc.reduce_sum %x dims = [0] : tensor<64x10xf32> -> tensor<10xf32>
  %1 = mlc.reduce_sum %x dims = [1] keep_dims : tensor<64x10xf32> -> tensor<64x1xf32>
  %2 = mlc.reduce_sum %x dims = [0, 1] : tensor<64x10xf32> -> tensor<f32>
  return %0, %1, %2 : tensor<10xf32>, tensor<64x1xf32>, tensor<f32>
}

// -----

// CHECK-LABEL: func.func @reduce_max
func.func @reduce_max(%x: tensor<64x10xf32>) -> (tensor<64xf32>, tensor<1x10xf32>) {
  // CHECK: mlc.reduce_max %{{.*}} dims = [1] : tensor<64x10xf32> -> tensor<64xf32>
  // CHECK: mlc.reduce_max %{{.*}} dims = [0] keep_dims : tensor<64x10xf32> -> tensor<1x10xf32>
  %0 = mlc.reduce_max %x dims = [1] : tensor<64x10xf32> -> tensor<64xf32>
  %1 = mlc.reduce_max %x dims = [0] keep_dims : tensor<64x10xf32> -> tensor<1x10xf32>
  return %0, %1 : tensor<64xf32>, tensor<1x10xf32>
}

// -----

// CHECK-LABEL: func.func @reshape_transpose
func.func @reshape_transpose(%x: tensor<8x1x2x3xf32>) -> tensor<3x16xf32> {
  // CHECK: %[[R:.*]] = mlc.reshape %{{.*}} : tensor<8x1x2x3xf32> -> tensor<16x3xf32>
  // CHECK: mlc.transpose %[[R]] permutation = [1, 0] : tensor<16x3xf32> -> tensor<3x16xf32>
  %r = mlc.reshape %x : tensor<8x1x2x3xf32> -> tensor<16x3xf32>
  %t = mlc.transpose %r permutation = [1, 0] : tensor<16x3xf32> -> tensor<3x16xf32>
  return %t : tensor<3x16xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_batched
func.func @matmul_batched(%v: tensor<16x98x8xf32>, %u: tensor<16x4x8xf32>) -> tensor<16x98x4xf32> {
  // CHECK: mlc.matmul %{{.*}}, %{{.*}} {transpose_rhs} : tensor<16x98x8xf32>, tensor<16x4x8xf32> -> tensor<16x98x4xf32>
  %0 = mlc.matmul %v, %u {transpose_rhs} : tensor<16x98x8xf32>, tensor<16x4x8xf32> -> tensor<16x98x4xf32>
  return %0 : tensor<16x98x4xf32>
}

// CHECK-LABEL: func.func @matmul_variants
func.func @matmul_variants(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>, %at: tensor<8x4xf32>,
                           %bt: tensor<16x8xf32>) -> tensor<4x16xf32> {
  // CHECK: mlc.matmul %{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  // CHECK: mlc.matmul %{{.*}}, %{{.*}} {transpose_lhs} : tensor<8x4xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  // CHECK: mlc.matmul %{{.*}}, %{{.*}} {transpose_rhs} : tensor<4x8xf32>, tensor<16x8xf32> -> tensor<4x16xf32>
  // CHECK: mlc.matmul %{{.*}}, %{{.*}} {transpose_lhs, transpose_rhs} : tensor<8x4xf32>, tensor<16x8xf32> -> tensor<4x16xf32>
  %0 = mlc.matmul %a, %b : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  %1 = mlc.matmul %at, %b {transpose_lhs} : tensor<8x4xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  %2 = mlc.matmul %a, %bt {transpose_rhs} : tensor<4x8xf32>, tensor<16x8xf32> -> tensor<4x16xf32>
  %3 = mlc.matmul %at, %bt {transpose_lhs, transpose_rhs} : tensor<8x4xf32>, tensor<16x8xf32> -> tensor<4x16xf32>
  %s0 = mlc.add %0, %1 : tensor<4x16xf32>
  %s1 = mlc.add %2, %3 : tensor<4x16xf32>
  %s = mlc.add %s0, %s1 : tensor<4x16xf32>
  return %s : tensor<4x16xf32>
}

// -----

// CHECK-LABEL: func.func @softmax_family
func.func @softmax_family(%x: tensor<4x10xf32>, %y: tensor<4xi32>, %z: tensor<2x3x5xf32>)
    -> (tensor<4x10xf32>, tensor<2x3x5xf32>, tensor<f32>) {
  // CHECK: mlc.softmax %{{.*}} axis = 1 : tensor<4x10xf32>
  // CHECK: mlc.log_softmax %{{.*}} axis = 0 : tensor<2x3x5xf32>
  // CHECK: mlc.softmax_cross_entropy %{{.*}}, %{{.*}} : tensor<4x10xf32>, tensor<4xi32> -> tensor<f32>
  %0 = mlc.softmax %x axis = 1 : tensor<4x10xf32>
  %1 = mlc.log_softmax %z axis = 0 : tensor<2x3x5xf32>
  %2 = mlc.softmax_cross_entropy %x, %y : tensor<4x10xf32>, tensor<4xi32> -> tensor<f32>
  return %0, %1, %2 : tensor<4x10xf32>, tensor<2x3x5xf32>, tensor<f32>
}

// -----

// CHECK-LABEL: func.func @one_hot
func.func @one_hot(%y: tensor<4xi32>, %z: tensor<2x3xi64>) -> (tensor<4x10xf32>, tensor<2x3x7xf16>) {
  // CHECK: mlc.one_hot %{{.*}} : tensor<4xi32> -> tensor<4x10xf32>
  // CHECK: mlc.one_hot %{{.*}} : tensor<2x3xi64> -> tensor<2x3x7xf16>
  %0 = mlc.one_hot %y : tensor<4xi32> -> tensor<4x10xf32>
  %1 = mlc.one_hot %z : tensor<2x3xi64> -> tensor<2x3x7xf16>
  return %0, %1 : tensor<4x10xf32>, tensor<2x3x7xf16>
}

// -----

// The generic form parses to the same ops, and unit attributes print in the custom form.
// CHECK-LABEL: func.func @generic_form
func.func @generic_form(%x: tensor<2x3xf32>, %w: tensor<3x2xf32>) -> tensor<2x2xf32> {
  // CHECK: mlc.matmul %{{.*}}, %{{.*}} {transpose_lhs, transpose_rhs} : tensor<2x3xf32>, tensor<3x2xf32> -> tensor<3x3xf32>
  // CHECK: mlc.reduce_sum %{{.*}} dims = [0] keep_dims : tensor<3x3xf32> -> tensor<1x3xf32>
  %0 = "mlc.matmul"(%x, %w) {transpose_lhs, transpose_rhs} : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<3x3xf32>
  %1 = "mlc.reduce_sum"(%0) {dims = array<i64: 0>, keep_dims} : (tensor<3x3xf32>) -> tensor<1x3xf32>
  %2 = mlc.matmul %x, %w : tensor<2x3xf32>, tensor<3x2xf32> -> tensor<2x2xf32>
  return %2 : tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func.func @depthwise_conv
func.func @depthwise_conv(%x: tensor<2x3x7x6xf32>, %f: tensor<3x3x2xf32>) -> (tensor<2x3x4x5xf32>, tensor<2x3x4x5xf32>) {
  // CHECK: mlc.depthwise_conv %{{.*}}, %{{.*}} kernel = [3, 2] strides = [2, 1] dilations = [1, 2] pads = [1, 0, 2, 1] : tensor<2x3x7x6xf32>, tensor<3x3x2xf32> -> tensor<2x3x4x5xf32>
  // CHECK: mlc.depthwise_conv %{{.*}}, %{{.*}} kernel = [3, 2] strides = [2, 1] dilations = [1, 2] pads = [1, 0, 2, 1] flip_kernel : tensor<2x3x7x6xf32>, tensor<3x3x2xf32> -> tensor<2x3x4x5xf32>
  %y = mlc.depthwise_conv %x, %f kernel = [3, 2] strides = [2, 1] dilations = [1, 2] pads = [1, 0, 2, 1] : tensor<2x3x7x6xf32>, tensor<3x3x2xf32> -> tensor<2x3x4x5xf32>
  %z = mlc.depthwise_conv %x, %f kernel = [3, 2] strides = [2, 1] dilations = [1, 2] pads = [1, 0, 2, 1] flip_kernel : tensor<2x3x7x6xf32>, tensor<3x3x2xf32> -> tensor<2x3x4x5xf32>
  return %y, %z : tensor<2x3x4x5xf32>, tensor<2x3x4x5xf32>
}

// -----

// CHECK-LABEL: func.func @window_ops
func.func @window_ops(%x: tensor<2x3x7x6xf32>, %step: tensor<f32>, %seed: tensor<f32>) -> tensor<2x3x7x6xf32> {
  // CHECK: mlc.im2col %{{.*}} kernel = [3, 2] strides = [2, 1] dilations = [1, 2] pads = [1, 0, 2, 1] pad_value = 0xFFF0000000000000 : tensor<2x3x7x6xf32> -> tensor<2x4x5x3x3x2xf32>
  // CHECK: mlc.col2im %{{.*}} kernel = [3, 2] strides = [2, 1] dilations = [1, 2] pads = [1, 0, 2, 1] : tensor<2x4x5x3x3x2xf32> -> tensor<2x3x7x6xf32>
  // CHECK: mlc.dropout %{{.*}}, %{{.*}}, %{{.*}} ratio = 2.500000e-01 stream = 3 : tensor<2x3x7x6xf32>
  %w = mlc.im2col %x kernel = [3, 2] strides = [2, 1] dilations = [1, 2] pads = [1, 0, 2, 1] pad_value = 0xFFF0000000000000 : tensor<2x3x7x6xf32> -> tensor<2x4x5x3x3x2xf32>
  %y = mlc.col2im %w kernel = [3, 2] strides = [2, 1] dilations = [1, 2] pads = [1, 0, 2, 1] : tensor<2x4x5x3x3x2xf32> -> tensor<2x3x7x6xf32>
  %d = mlc.dropout %y, %step, %seed ratio = 2.500000e-01 stream = 3 : tensor<2x3x7x6xf32>
  return %d : tensor<2x3x7x6xf32>
}

// -----

// CHECK-LABEL: func.func @slice_pad_erf
func.func @slice_pad_erf(%x: tensor<5x9xf32>) -> tensor<6x9xf32> {
  // CHECK: mlc.slice %{{.*}} offsets = [1, 2] strides = [2, 3] : tensor<5x9xf32> -> tensor<2x3xf32>
  // CHECK: mlc.pad %{{.*}} low = [1, 0] high = [3, 2] interior = [0, 2] value = 1.500000e+00 : tensor<2x3xf32> -> tensor<6x9xf32>
  // CHECK: mlc.erf %{{.*}} : tensor<6x9xf32>
  %s = mlc.slice %x offsets = [1, 2] strides = [2, 3] : tensor<5x9xf32> -> tensor<2x3xf32>
  %p = mlc.pad %s low = [1, 0] high = [3, 2] interior = [0, 2] value = 1.500000e+00 : tensor<2x3xf32> -> tensor<6x9xf32>
  %e = mlc.erf %p : tensor<6x9xf32>
  return %e : tensor<6x9xf32>
}

// -----

// CHECK-LABEL: func.func @phase_select_iota
func.func @phase_select_iota(%a: tensor<4x9xf32>, %b: tensor<4x9xf32>) -> tensor<4x9xf32> {
  // CHECK: mlc.phase_select train %{{.*}}, eval %{{.*}} : tensor<4x9xf32>
  // CHECK: mlc.iota dim = 1 : tensor<4x9xf32>
  %s = mlc.phase_select train %a, eval %b : tensor<4x9xf32>
  %i = mlc.iota dim = 1 : tensor<4x9xf32>
  %r = mlc.add %s, %i : tensor<4x9xf32>
  return %r : tensor<4x9xf32>
}

// -----

// CHECK-LABEL: func.func @gather_to_float
func.func @gather_to_float(%t: tensor<10x4xf32>, %ids: tensor<2x3xi64>, %n: tensor<i32>) -> (tensor<2x3x4xf32>, tensor<10x4xf32>, tensor<f32>, tensor<i64>) {
  // CHECK: mlc.gather %{{.*}}, %{{.*}} axis = 0 : tensor<10x4xf32>, tensor<2x3xi64> -> tensor<2x3x4xf32>
  // CHECK: mlc.gather_grad %{{.*}}, %{{.*}} axis = 0 : tensor<2x3x4xf32>, tensor<2x3xi64> -> tensor<10x4xf32>
  // CHECK: mlc.to_float %{{.*}} : tensor<i32> -> tensor<f32>
  // CHECK: mlc.to_int %{{.*}} : tensor<f32> -> tensor<i64>
  %g = mlc.gather %t, %ids axis = 0 : tensor<10x4xf32>, tensor<2x3xi64> -> tensor<2x3x4xf32>
  %b = mlc.gather_grad %g, %ids axis = 0 : tensor<2x3x4xf32>, tensor<2x3xi64> -> tensor<10x4xf32>
  %f = mlc.to_float %n : tensor<i32> -> tensor<f32>
  %i = mlc.to_int %f : tensor<f32> -> tensor<i64>
  return %g, %b, %f, %i : tensor<2x3x4xf32>, tensor<10x4xf32>, tensor<f32>, tensor<i64>
}

// -----

// CHECK-LABEL: func.func @convert_float
// CHECK: mlc.convert_float %{{.*}} : tensor<2x3xf32> -> tensor<2x3xf64>
func.func @convert_float(%x: tensor<2x3xf32>) -> tensor<2x3xf64> {
  %y = mlc.convert_float %x : tensor<2x3xf32> -> tensor<2x3xf64>
  return %y : tensor<2x3xf64>
}
