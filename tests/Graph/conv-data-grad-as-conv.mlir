// mlc-conv-data-grad-as-conv: col2im of dY x filters (stride 1) becomes the windows of dY, padded
// by K - 1 - pad, times the filters with reversed taps and swapped channels; other col2im stay.
// RUN: mlc-opt %s --split-input-file --mlc-conv-data-grad-as-conv=min-channels=1 | FileCheck %s
// RUN: mlc-opt %s --split-input-file --mlc-conv-data-grad-as-conv | FileCheck %s --check-prefix=DEFAULT

// A 3x2 kernel with pads [top 1, left 0, bottom 1, right 1] over a 5x6 image: dY's windows take
// pads [1, 1, 1, 0]; 4 filters of 3 channels, 6 taps each. The windows are taken channels last:
// the rows [60, 4] as an image [2, 1, 5, 6 x 4], windows of 3 rows of 2 x 4 elements stepping 4
// (pads in elements: [1, 4, 1, 0]), so K runs over (kh, kw, f) and the filters follow.
// CHECK-LABEL: func.func @stride1
// CHECK-SAME: (%[[DY:[^:]*]]: tensor<60x4xf32>, %[[F:[^:]*]]: tensor<4x18xf32>)
// CHECK-NOT: mlc.col2im
// CHECK: %[[IMG:.*]] = mlc.reshape %[[DY]] : tensor<60x4xf32> -> tensor<2x1x5x24xf32>
// CHECK: %[[WIN:.*]] = mlc.im2col %[[IMG]] kernel = [3, 8] strides = [1, 4] dilations = [1, 1] pads = [1, 4, 1, 0] pad_value = 0.000000e+00 : tensor<2x1x5x24xf32> -> tensor<2x5x6x1x3x8xf32>
// CHECK: %[[ROWS:.*]] = mlc.reshape %[[WIN]] : tensor<2x5x6x1x3x8xf32> -> tensor<60x24xf32>
// CHECK: %[[REV:.*]] = arith.constant dense<[5, 4, 3, 2, 1, 0]> : tensor<6xi64>
// CHECK: %[[F3:.*]] = mlc.reshape %[[F]] : tensor<4x18xf32> -> tensor<4x3x6xf32>
// CHECK: %[[FR:.*]] = mlc.gather %[[F3]], %[[REV]] axis = 2 : tensor<4x3x6xf32>, tensor<6xi64> -> tensor<4x3x6xf32>
// CHECK: %[[FT:.*]] = mlc.transpose %[[FR]] permutation = [2, 0, 1] : tensor<4x3x6xf32> -> tensor<6x4x3xf32>
// CHECK: %[[FF:.*]] = mlc.reshape %[[FT]] : tensor<6x4x3xf32> -> tensor<24x3xf32>
// CHECK: %[[DX:.*]] = mlc.matmul %[[ROWS]], %[[FF]] {mlc.op_group = "conv_bwd_data"} : tensor<60x24xf32>, tensor<24x3xf32> -> tensor<60x3xf32>
// CHECK: %[[DX4:.*]] = mlc.reshape %[[DX]] : tensor<60x3xf32> -> tensor<2x5x6x3xf32>
// CHECK: %[[R:.*]] = mlc.transpose %[[DX4]] permutation = [0, 3, 1, 2] : tensor<2x5x6x3xf32> -> tensor<2x3x5x6xf32>
// CHECK: return %[[R]]
// DEFAULT-LABEL: func.func @stride1
// DEFAULT: mlc.col2im
func.func @stride1(%dy: tensor<60x4xf32>, %f: tensor<4x18xf32>) -> tensor<2x3x5x6xf32> {
  %d = mlc.matmul %dy, %f : tensor<60x4xf32>, tensor<4x18xf32> -> tensor<60x18xf32>
  %dw = mlc.reshape %d : tensor<60x18xf32> -> tensor<2x5x6x3x3x2xf32>
  %dx = mlc.col2im %dw kernel = [3, 2] strides = [1, 1] dilations = [1, 1] pads = [1, 0, 1, 1]
      : tensor<2x5x6x3x3x2xf32> -> tensor<2x3x5x6xf32>
  return %dx : tensor<2x3x5x6xf32>
}

// -----

// The same convolution channels last (mlc-channels-last): the image [2, 1, 5, 6 x 3], windows of
// 3 rows of 2 x 3 elements stepping 3, the filters [4, KH KW C]. dY's windows are the same; the
// filters reverse their taps along dimension 1, and dX is the image as it is, no transpose.
// CHECK-LABEL: func.func @stride1_channels_last
// CHECK-SAME: (%[[DY:[^:]*]]: tensor<60x4xf32>, %[[F:[^:]*]]: tensor<4x18xf32>)
// CHECK-NOT: mlc.col2im
// CHECK: %[[IMG:.*]] = mlc.reshape %[[DY]] : tensor<60x4xf32> -> tensor<2x1x5x24xf32>
// CHECK: %[[WIN:.*]] = mlc.im2col %[[IMG]] kernel = [3, 8] strides = [1, 4] dilations = [1, 1] pads = [1, 4, 1, 0] pad_value = 0.000000e+00 : tensor<2x1x5x24xf32> -> tensor<2x5x6x1x3x8xf32>
// CHECK: %[[ROWS:.*]] = mlc.reshape %[[WIN]] : tensor<2x5x6x1x3x8xf32> -> tensor<60x24xf32>
// CHECK: %[[REV:.*]] = arith.constant dense<[5, 4, 3, 2, 1, 0]> : tensor<6xi64>
// CHECK: %[[F3:.*]] = mlc.reshape %[[F]] : tensor<4x18xf32> -> tensor<4x6x3xf32>
// CHECK: %[[FR:.*]] = mlc.gather %[[F3]], %[[REV]] axis = 1 : tensor<4x6x3xf32>, tensor<6xi64> -> tensor<4x6x3xf32>
// CHECK: %[[FT:.*]] = mlc.transpose %[[FR]] permutation = [1, 0, 2] : tensor<4x6x3xf32> -> tensor<6x4x3xf32>
// CHECK: %[[FF:.*]] = mlc.reshape %[[FT]] : tensor<6x4x3xf32> -> tensor<24x3xf32>
// CHECK: %[[DX:.*]] = mlc.matmul %[[ROWS]], %[[FF]] {mlc.op_group = "conv_bwd_data"} : tensor<60x24xf32>, tensor<24x3xf32> -> tensor<60x3xf32>
// CHECK: %[[R:.*]] = mlc.reshape %[[DX]] : tensor<60x3xf32> -> tensor<2x1x5x18xf32>
// CHECK: return %[[R]]
func.func @stride1_channels_last(%dy: tensor<60x4xf32>, %f: tensor<4x18xf32>) -> tensor<2x1x5x18xf32> {
  %d = mlc.matmul %dy, %f : tensor<60x4xf32>, tensor<4x18xf32> -> tensor<60x18xf32>
  %dw = mlc.reshape %d : tensor<60x18xf32> -> tensor<2x5x6x1x3x6xf32>
  %dx = mlc.col2im %dw kernel = [3, 6] strides = [1, 3] dilations = [1, 1] pads = [1, 0, 1, 3]
      : tensor<2x5x6x1x3x6xf32> -> tensor<2x1x5x18xf32>
  return %dx : tensor<2x1x5x18xf32>
}

// -----

// Channels last with the filters as the forward GEMM reads them, [KH KW C, F] (dY x their
// transpose is the windows' gradient): the taps reverse along dimension 0.
// CHECK-LABEL: func.func @stride1_channels_last_filters_by_tap
// CHECK: %[[F3:.*]] = mlc.reshape %{{.*}} : tensor<18x4xf32> -> tensor<6x3x4xf32>
// CHECK: %[[FR:.*]] = mlc.gather %[[F3]], %{{.*}} axis = 0 : tensor<6x3x4xf32>, tensor<6xi64> -> tensor<6x3x4xf32>
// CHECK: %[[FT:.*]] = mlc.transpose %[[FR]] permutation = [0, 2, 1] : tensor<6x3x4xf32> -> tensor<6x4x3xf32>
// CHECK: mlc.reshape %[[FT]] : tensor<6x4x3xf32> -> tensor<24x3xf32>
// CHECK-NOT: mlc.col2im
func.func @stride1_channels_last_filters_by_tap(%dy: tensor<60x4xf32>, %f: tensor<18x4xf32>) -> tensor<2x1x5x18xf32> {
  %d = mlc.matmul %dy, %f {transpose_rhs} : tensor<60x4xf32>, tensor<18x4xf32> -> tensor<60x18xf32>
  %dw = mlc.reshape %d : tensor<60x18xf32> -> tensor<2x5x6x1x3x6xf32>
  %dx = mlc.col2im %dw kernel = [3, 6] strides = [1, 3] dilations = [1, 1] pads = [1, 0, 1, 3]
      : tensor<2x5x6x1x3x6xf32> -> tensor<2x1x5x18xf32>
  return %dx : tensor<2x1x5x18xf32>
}

// -----

// Strides of 2 (and pools' windows, which no product feeds) keep col2im.
// CHECK-LABEL: func.func @stride2
// CHECK: mlc.col2im
// CHECK-NOT: mlc.im2col
func.func @stride2(%dy: tensor<18x4xf32>, %f: tensor<4x27xf32>) -> tensor<2x3x5x5xf32> {
  %d = mlc.matmul %dy, %f : tensor<18x4xf32>, tensor<4x27xf32> -> tensor<18x27xf32>
  %dw = mlc.reshape %d : tensor<18x27xf32> -> tensor<2x3x3x3x3x3xf32>
  %dx = mlc.col2im %dw kernel = [3, 3] strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1]
      : tensor<2x3x3x3x3x3xf32> -> tensor<2x3x5x5xf32>
  return %dx : tensor<2x3x5x5xf32>
}

// -----

// CHECK-LABEL: func.func @pool_windows
// CHECK: mlc.col2im
func.func @pool_windows(%dw: tensor<2x5x5x3x3x3xf32>) -> tensor<2x3x5x5xf32> {
  %dx = mlc.col2im %dw kernel = [3, 3] strides = [1, 1] dilations = [1, 1] pads = [1, 1, 1, 1]
      : tensor<2x5x5x3x3x3xf32> -> tensor<2x3x5x5xf32>
  return %dx : tensor<2x3x5x5xf32>
}

// -----

// Many filters over few channels without padding (LeNet's second convolution, 6 -> 16 on 14x14):
// dY's windows would be 5 times col2im's (16 x 14 x 14 against 6 x 10 x 10 per tap), so col2im
// stays.
// CHECK-LABEL: func.func @more_filters_no_pads
// CHECK: mlc.col2im
// CHECK-NOT: mlc.im2col
func.func @more_filters_no_pads(%dy: tensor<200x16xf32>, %f: tensor<16x150xf32>) -> tensor<2x6x14x14xf32> {
  %d = mlc.matmul %dy, %f : tensor<200x16xf32>, tensor<16x150xf32> -> tensor<200x150xf32>
  %dw = mlc.reshape %d : tensor<200x150xf32> -> tensor<2x10x10x6x5x5xf32>
  %dx = mlc.col2im %dw kernel = [5, 5] strides = [1, 1] dilations = [1, 1] pads = [0, 0, 0, 0]
      : tensor<2x10x10x6x5x5xf32> -> tensor<2x6x14x14xf32>
  return %dx : tensor<2x6x14x14xf32>
}

// -----

// The two-conv CNN's second convolution (32 -> 64, 5x5, pads 2 on 14x14): rewritten by default.
// CHECK-LABEL: func.func @cnn_conv2
// CHECK-NOT: mlc.col2im
// CHECK: mlc.matmul {{.*}} {mlc.op_group = "conv_bwd_data"} : tensor<392x1600xf32>, tensor<1600x32xf32> -> tensor<392x32xf32>
// DEFAULT-LABEL: func.func @cnn_conv2
// DEFAULT-NOT: mlc.col2im
// DEFAULT: mlc.im2col
func.func @cnn_conv2(%dy: tensor<392x64xf32>, %f: tensor<64x800xf32>) -> tensor<2x32x14x14xf32> {
  %d = mlc.matmul %dy, %f : tensor<392x64xf32>, tensor<64x800xf32> -> tensor<392x800xf32>
  %dw = mlc.reshape %d : tensor<392x800xf32> -> tensor<2x14x14x32x5x5xf32>
  %dx = mlc.col2im %dw kernel = [5, 5] strides = [1, 1] dilations = [1, 1] pads = [2, 2, 2, 2]
      : tensor<2x14x14x32x5x5xf32> -> tensor<2x32x14x14xf32>
  return %dx : tensor<2x32x14x14xf32>
}

// -----

// dY as autodiff builds it (the NCHW gradient transposed to rows): the windows read the rows
// (which the weight gradient reads too), each window row 5 x 64 contiguous elements.
// CHECK-LABEL: func.func @incoming_image
// CHECK: %[[T:.*]] = mlc.transpose
// CHECK: %[[DY:.*]] = mlc.reshape %[[T]] : tensor<2x14x14x64xf32> -> tensor<392x64xf32>
// CHECK: %[[IMG:.*]] = mlc.reshape %[[DY]] : tensor<392x64xf32> -> tensor<2x1x14x896xf32>
// CHECK: mlc.im2col %[[IMG]] kernel = [5, 320] strides = [1, 64] dilations = [1, 1] pads = [2, 128, 2, 128] pad_value = 0.000000e+00 : tensor<2x1x14x896xf32> -> tensor<2x14x14x1x5x320xf32>
func.func @incoming_image(%g: tensor<2x64x14x14xf32>, %f: tensor<64x800xf32>) -> tensor<2x32x14x14xf32> {
  %t = mlc.transpose %g permutation = [0, 2, 3, 1] : tensor<2x64x14x14xf32> -> tensor<2x14x14x64xf32>
  %dy = mlc.reshape %t : tensor<2x14x14x64xf32> -> tensor<392x64xf32>
  %d = mlc.matmul %dy, %f : tensor<392x64xf32>, tensor<64x800xf32> -> tensor<392x800xf32>
  %dw = mlc.reshape %d : tensor<392x800xf32> -> tensor<2x14x14x32x5x5xf32>
  %dx = mlc.col2im %dw kernel = [5, 5] strides = [1, 1] dilations = [1, 1] pads = [2, 2, 2, 2]
      : tensor<2x14x14x32x5x5xf32> -> tensor<2x32x14x14xf32>
  return %dx : tensor<2x32x14x14xf32>
}
