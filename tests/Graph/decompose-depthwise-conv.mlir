// mlc-decompose-depthwise-conv: a depthwise convolution becomes a sum over its window taps of a
// strided slice of the padded image times that tap's weights, broadcast per channel.
// RUN: mlc-opt %s --split-input-file --mlc-decompose-depthwise-conv | FileCheck %s

// 3x3, stride 2, pad 1: the image is padded once; tap (kh, kw) reads it from (kh, kw) with
// stride 2; filters [C, 3, 3] are read as 9 columns [C, 9].
// CHECK-LABEL: func.func @strided
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x6x6xf32>, %[[F:.*]]: tensor<4x3x3xf32>)
// CHECK: %[[P:.*]] = mlc.pad %[[X]] low = [0, 0, 1, 1] high = [0, 0, 1, 1] interior = [0, 0, 0, 0] value = 0.000000e+00 : tensor<2x4x6x6xf32> -> tensor<2x4x8x8xf32>
// CHECK: %[[COLS:.*]] = mlc.reshape %[[F]] : tensor<4x3x3xf32> -> tensor<4x9xf32>
// CHECK: %[[W0:.*]] = mlc.slice %[[COLS]] offsets = [0, 0] strides = [1, 1] : tensor<4x9xf32> -> tensor<4x1xf32>
// CHECK: %[[T0:.*]] = mlc.slice %[[P]] offsets = [0, 0, 0, 0] strides = [1, 1, 2, 2] : tensor<2x4x8x8xf32> -> tensor<2x4x3x3xf32>
// CHECK: %[[Y0:.*]] = mlc.mul %[[T0]], %{{.*}} : tensor<2x4x3x3xf32>
// CHECK: mlc.slice %[[COLS]] offsets = [0, 1] strides = [1, 1]
// CHECK: %[[T1:.*]] = mlc.slice %[[P]] offsets = [0, 0, 0, 1] strides = [1, 1, 2, 2]
// CHECK: %[[Y1:.*]] = mlc.mul %[[T1]], %{{.*}}
// CHECK: mlc.add %[[Y0]], %[[Y1]]
// CHECK: mlc.slice %[[P]] offsets = [0, 0, 2, 2] strides = [1, 1, 2, 2]
// CHECK-NOT: mlc.depthwise_conv
func.func @strided(%x: tensor<2x4x6x6xf32>, %f: tensor<4x3x3xf32>) -> tensor<2x4x3x3xf32> {
  %y = mlc.depthwise_conv %x, %f kernel = [3, 3] strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1] : tensor<2x4x6x6xf32>, tensor<4x3x3xf32> -> tensor<2x4x3x3xf32>
  return %y : tensor<2x4x3x3xf32>
}

// -----

// Flipped (the image gradient's form), no padding, dilation 2: tap (0, 0) reads the last
// filter column, taps are 2 apart, and the image is not padded.
// CHECK-LABEL: func.func @flipped
// CHECK-NOT: mlc.pad
// CHECK: %[[COLS:.*]] = mlc.reshape %{{.*}} : tensor<3x2x2xf32> -> tensor<3x4xf32>
// CHECK: mlc.slice %[[COLS]] offsets = [0, 3] strides = [1, 1]
// CHECK: mlc.slice %{{.*}} offsets = [0, 0, 0, 0] strides = [1, 1, 1, 1] : tensor<1x3x5x5xf32> -> tensor<1x3x3x3xf32>
// CHECK: mlc.slice %[[COLS]] offsets = [0, 2] strides = [1, 1]
// CHECK: mlc.slice %{{.*}} offsets = [0, 0, 0, 2] strides = [1, 1, 1, 1]
// CHECK: mlc.slice %[[COLS]] offsets = [0, 0] strides = [1, 1]
// CHECK: mlc.slice %{{.*}} offsets = [0, 0, 2, 2] strides = [1, 1, 1, 1]
func.func @flipped(%x: tensor<1x3x5x5xf32>, %f: tensor<3x2x2xf32>) -> tensor<1x3x3x3xf32> {
  %y = mlc.depthwise_conv %x, %f kernel = [2, 2] strides = [1, 1] dilations = [2, 2] pads = [0, 0, 0, 0] flip_kernel : tensor<1x3x5x5xf32>, tensor<3x2x2xf32> -> tensor<1x3x3x3xf32>
  return %y : tensor<1x3x3x3xf32>
}

// -----

// Channels last ([N, H, W, C]): the image is padded along dimensions 1 and 2, the taps slice
// them, and each tap's weights, a row of the filters taken tap-major ([9, C]: contiguous
// vectors along the channels), broadcast along dimension 3.
// CHECK-LABEL: func.func @channels_last
// CHECK-SAME: (%[[X:.*]]: tensor<2x6x6x4xf32>, %[[F:.*]]: tensor<4x3x3xf32>)
// CHECK: %[[P:.*]] = mlc.pad %[[X]] low = [0, 1, 1, 0] high = [0, 1, 1, 0] interior = [0, 0, 0, 0] value = 0.000000e+00 : tensor<2x6x6x4xf32> -> tensor<2x8x8x4xf32>
// CHECK: %[[COLS:.*]] = mlc.reshape %[[F]] : tensor<4x3x3xf32> -> tensor<4x9xf32>
// CHECK: %[[ROWS:.*]] = mlc.transpose %[[COLS]] permutation = [1, 0] : tensor<4x9xf32> -> tensor<9x4xf32>
// CHECK: %[[W0:.*]] = mlc.slice %[[ROWS]] offsets = [0, 0] strides = [1, 1] : tensor<9x4xf32> -> tensor<1x4xf32>
// CHECK: %[[W0C:.*]] = mlc.reshape %[[W0]] : tensor<1x4xf32> -> tensor<4xf32>
// CHECK: %[[W0B:.*]] = mlc.broadcast %[[W0C]] dims = [3] : tensor<4xf32> -> tensor<2x3x3x4xf32>
// CHECK: %[[T0:.*]] = mlc.slice %[[P]] offsets = [0, 0, 0, 0] strides = [1, 2, 2, 1] : tensor<2x8x8x4xf32> -> tensor<2x3x3x4xf32>
// CHECK: mlc.mul %[[T0]], %[[W0B]] : tensor<2x3x3x4xf32>
// CHECK: mlc.slice %[[ROWS]] offsets = [1, 0] strides = [1, 1] : tensor<9x4xf32> -> tensor<1x4xf32>
// CHECK: mlc.slice %[[P]] offsets = [0, 2, 2, 0] strides = [1, 2, 2, 1]
// CHECK-NOT: mlc.depthwise_conv
func.func @channels_last(%x: tensor<2x6x6x4xf32>, %f: tensor<4x3x3xf32>) -> tensor<2x3x3x4xf32> {
  %y = mlc.depthwise_conv %x, %f kernel = [3, 3] strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1] channels_last : tensor<2x6x6x4xf32>, tensor<4x3x3xf32> -> tensor<2x3x3x4xf32>
  return %y : tensor<2x3x3x4xf32>
}
