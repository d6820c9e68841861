// mlc-channels-last: dense convolutions and poolings rebuilt over channels-last images
// ([N, 1, H, W C] windows, filters as [F, KH KW C]); the transposes between layouts moved
// through bias adds, activations, batch-norm reductions and broadcasts until they cancel.
// RUN: mlc-opt %s --split-input-file --mlc-channels-last | FileCheck %s
// RUN: mlc-opt %s --split-input-file --mlc-channels-last=force=true | FileCheck %s --check-prefix=FORCE

// conv 3x3 (2 -> 4 channels), bias, ReLU, 2x2 max pool, conv 3x3 (4 -> 5), flatten. Channels last
// only the input image, the filters (to [KH KW C, F], as the GEMM reads them) and the flatten's
// input are transposed: 1084 elements, where channels first transposed 1596 (the convolutions'
// outputs, and the filters that lowering transposes for products with transposed filters).
// CHECK-LABEL: func.func @convs
// CHECK-SAME: (%[[X:[^:]*]]: tensor<4x2x8x8xf32>, %[[W1:[^:]*]]: tensor<4x2x3x3xf32>, %[[B1:[^:]*]]: tensor<4xf32>, %[[W2:[^:]*]]: tensor<5x4x3x3xf32>)
// CHECK: %[[XL:.*]] = mlc.transpose %[[X]] permutation = [0, 2, 3, 1] : tensor<4x2x8x8xf32> -> tensor<4x8x8x2xf32>
// CHECK: %[[XR:.*]] = mlc.reshape %[[XL]] : tensor<4x8x8x2xf32> -> tensor<4x1x8x16xf32>
// CHECK: %[[WIN:.*]] = mlc.im2col %[[XR]] kernel = [3, 6] strides = [1, 2] dilations = [1, 1] pads = [1, 2, 1, 2] pad_value = 0.000000e+00 : tensor<4x1x8x16xf32> -> tensor<4x8x8x1x3x6xf32>
// CHECK: %[[ROWS:.*]] = mlc.reshape %[[WIN]] : tensor<4x8x8x1x3x6xf32> -> tensor<256x18xf32>
// CHECK: %[[W1L:.*]] = mlc.transpose %[[W1]] permutation = [2, 3, 1, 0] : tensor<4x2x3x3xf32> -> tensor<3x3x2x4xf32>
// CHECK: %[[W1F:.*]] = mlc.reshape %[[W1L]] : tensor<3x3x2x4xf32> -> tensor<18x4xf32>
// CHECK: %[[Y:.*]] = mlc.matmul %[[ROWS]], %[[W1F]] : tensor<256x18xf32>, tensor<18x4xf32> -> tensor<256x4xf32>
// CHECK: %[[Y4:.*]] = mlc.reshape %[[Y]] : tensor<256x4xf32> -> tensor<4x8x8x4xf32>
// CHECK: %[[B:.*]] = mlc.broadcast %[[B1]] dims = [3] : tensor<4xf32> -> tensor<4x8x8x4xf32>
// CHECK: %[[A:.*]] = mlc.add %[[Y4]], %[[B]] : tensor<4x8x8x4xf32>
// CHECK: %[[R:.*]] = mlc.relu %[[A]] : tensor<4x8x8x4xf32>
// CHECK: %[[RR:.*]] = mlc.reshape %[[R]] : tensor<4x8x8x4xf32> -> tensor<4x1x8x32xf32>
// CHECK: %[[PW:.*]] = mlc.im2col %[[RR]] kernel = [2, 8] strides = [2, 8] dilations = [1, 1] pads = [0, 0, 0, 0] pad_value = 0xFFF0000000000000 : tensor<4x1x8x32xf32> -> tensor<4x4x4x1x2x8xf32>
// CHECK: %[[PT:.*]] = mlc.reshape %[[PW]] : tensor<4x4x4x1x2x8xf32> -> tensor<4x4x4x4x4xf32>
// CHECK: %[[P:.*]] = mlc.reduce_max %[[PT]] dims = [3] : tensor<4x4x4x4x4xf32> -> tensor<4x4x4x4xf32>
// CHECK: %[[PR:.*]] = mlc.reshape %[[P]] : tensor<4x4x4x4xf32> -> tensor<4x1x4x16xf32>
// CHECK: mlc.im2col %[[PR]] kernel = [3, 12] strides = [1, 4] dilations = [1, 1] pads = [1, 4, 1, 4]
// CHECK: mlc.transpose %[[W2]] permutation = [2, 3, 1, 0] : tensor<5x4x3x3xf32> -> tensor<3x3x4x5xf32>
// CHECK: %[[Y2:.*]] = mlc.matmul
// CHECK: %[[Y24:.*]] = mlc.reshape %[[Y2]] : tensor<64x5xf32> -> tensor<4x4x4x5xf32>
// CHECK: %[[F:.*]] = mlc.transpose %[[Y24]] permutation = [0, 3, 1, 2] : tensor<4x4x4x5xf32> -> tensor<4x5x4x4xf32>
// CHECK: %[[OUT:.*]] = mlc.reshape %[[F]] : tensor<4x5x4x4xf32> -> tensor<4x80xf32>
// CHECK: return %[[OUT]]
func.func @convs(%x: tensor<4x2x8x8xf32>, %w1: tensor<4x2x3x3xf32>, %b1: tensor<4xf32>, %w2: tensor<5x4x3x3xf32>) -> tensor<4x80xf32> {
  %0 = mlc.im2col %x kernel = [3, 3] strides = [1, 1] dilations = [1, 1] pads = [1, 1, 1, 1] pad_value = 0.0 : tensor<4x2x8x8xf32> -> tensor<4x8x8x2x3x3xf32>
  %1 = mlc.reshape %0 : tensor<4x8x8x2x3x3xf32> -> tensor<256x18xf32>
  %2 = mlc.reshape %w1 : tensor<4x2x3x3xf32> -> tensor<4x18xf32>
  %3 = mlc.matmul %1, %2 {transpose_rhs} : tensor<256x18xf32>, tensor<4x18xf32> -> tensor<256x4xf32>
  %4 = mlc.reshape %3 : tensor<256x4xf32> -> tensor<4x8x8x4xf32>
  %5 = mlc.transpose %4 permutation = [0, 3, 1, 2] : tensor<4x8x8x4xf32> -> tensor<4x4x8x8xf32>
  %6 = mlc.broadcast %b1 dims = [1] : tensor<4xf32> -> tensor<4x4x8x8xf32>
  %7 = mlc.add %5, %6 : tensor<4x4x8x8xf32>
  %8 = mlc.relu %7 : tensor<4x4x8x8xf32>
  %9 = mlc.reshape %8 : tensor<4x4x8x8xf32> -> tensor<16x1x8x8xf32>
  %10 = mlc.im2col %9 kernel = [2, 2] strides = [2, 2] dilations = [1, 1] pads = [0, 0, 0, 0] pad_value = 0xFFF0000000000000 : tensor<16x1x8x8xf32> -> tensor<16x4x4x1x2x2xf32>
  %11 = mlc.reshape %10 : tensor<16x4x4x1x2x2xf32> -> tensor<4x4x4x4x4xf32>
  %12 = mlc.reduce_max %11 dims = [4] : tensor<4x4x4x4x4xf32> -> tensor<4x4x4x4xf32>
  %13 = mlc.im2col %12 kernel = [3, 3] strides = [1, 1] dilations = [1, 1] pads = [1, 1, 1, 1] pad_value = 0.0 : tensor<4x4x4x4xf32> -> tensor<4x4x4x4x3x3xf32>
  %14 = mlc.reshape %13 : tensor<4x4x4x4x3x3xf32> -> tensor<64x36xf32>
  %15 = mlc.reshape %w2 : tensor<5x4x3x3xf32> -> tensor<5x36xf32>
  %16 = mlc.matmul %14, %15 {transpose_rhs} : tensor<64x36xf32>, tensor<5x36xf32> -> tensor<64x5xf32>
  %17 = mlc.reshape %16 : tensor<64x5xf32> -> tensor<4x4x4x5xf32>
  %18 = mlc.transpose %17 permutation = [0, 3, 1, 2] : tensor<4x4x4x5xf32> -> tensor<4x5x4x4xf32>
  %19 = mlc.reshape %18 : tensor<4x5x4x4xf32> -> tensor<4x80xf32>
  return %19 : tensor<4x80xf32>
}

// -----

// A convolution whose output the caller takes channels first, of an image it passes channels
// first: channels last both would be transposed (384 + 512 elements, and the filters), where
// channels first only the output is (512, and the filters), so the function stays as it was
// unless forced.
// CHECK-LABEL: func.func @boundary
// CHECK-NOT: permutation = [0, 2, 3, 1]
// CHECK: mlc.im2col %{{.*}} kernel = [3, 3] strides = [1, 1]
// FORCE-LABEL: func.func @boundary
// FORCE: mlc.transpose %{{.*}} permutation = [0, 2, 3, 1] : tensor<2x3x8x8xf32> -> tensor<2x8x8x3xf32>
// FORCE: mlc.im2col %{{.*}} kernel = [3, 9] strides = [1, 3] dilations = [1, 1] pads = [1, 3, 1, 3]
// FORCE: mlc.transpose %{{.*}} permutation = [0, 3, 1, 2] : tensor<2x8x8x4xf32> -> tensor<2x4x8x8xf32>
func.func @boundary(%x: tensor<2x3x8x8xf32>, %w1: tensor<4x3x3x3xf32>) -> tensor<2x4x8x8xf32> {
  %0 = mlc.im2col %x kernel = [3, 3] strides = [1, 1] dilations = [1, 1] pads = [1, 1, 1, 1] pad_value = 0.0 : tensor<2x3x8x8xf32> -> tensor<2x8x8x3x3x3xf32>
  %1 = mlc.reshape %0 : tensor<2x8x8x3x3x3xf32> -> tensor<128x27xf32>
  %2 = mlc.reshape %w1 : tensor<4x3x3x3xf32> -> tensor<4x27xf32>
  %3 = mlc.matmul %1, %2 {transpose_rhs} : tensor<128x27xf32>, tensor<4x27xf32> -> tensor<128x4xf32>
  %4 = mlc.reshape %3 : tensor<128x4xf32> -> tensor<2x8x8x4xf32>
  %5 = mlc.transpose %4 permutation = [0, 3, 1, 2] : tensor<2x8x8x4xf32> -> tensor<2x4x8x8xf32>
  return %5 : tensor<2x4x8x8xf32>
}

// -----

// Batch-norm statistics reduce over [N, H, W] channels last; the per-channel broadcasts take their
// inputs reshaped ([1, 8, 1, 1] -> [1, 1, 1, 8]); a global pool over [H, W] keeps [N, C] as it was;
// a result the caller takes channels first is transposed once, at the return.
// FORCE-LABEL: func.func @norm
// FORCE: %[[Y4:.*]] = mlc.reshape %{{.*}} : tensor<144x8xf32> -> tensor<4x6x6x8xf32>
// FORCE: %[[S:.*]] = mlc.reduce_sum %[[Y4]] dims = [0, 1, 2] keep_dims : tensor<4x6x6x8xf32> -> tensor<1x1x1x8xf32>
// FORCE: %[[SB:.*]] = mlc.broadcast %[[S]] dims = [0, 1, 2, 3] : tensor<1x1x1x8xf32> -> tensor<4x6x6x8xf32>
// FORCE: %[[D:.*]] = mlc.sub %[[Y4]], %[[SB]] : tensor<4x6x6x8xf32>
// FORCE: %[[G:.*]] = mlc.reshape %{{.*}} : tensor<8xf32> -> tensor<1x1x8xf32>
// FORCE: %[[GB:.*]] = mlc.broadcast %[[G]] dims = [1, 2, 3] : tensor<1x1x8xf32> -> tensor<4x6x6x8xf32>
// FORCE: %[[M:.*]] = mlc.mul %[[D]], %[[GB]] : tensor<4x6x6x8xf32>
// FORCE: %[[C:.*]] = arith.constant dense<2.000000e+00> : tensor<4x6x6x8xf32>
// FORCE: %[[W:.*]] = mlc.where_gt %[[M]], %[[C]], %[[C]], %[[M]] : tensor<4x6x6x8xf32>
// FORCE: %[[T:.*]] = mlc.transpose %[[W]] permutation = [0, 3, 1, 2] : tensor<4x6x6x8xf32> -> tensor<4x8x6x6xf32>
// FORCE: %[[P:.*]] = mlc.reduce_sum %[[W]] dims = [1, 2] : tensor<4x6x6x8xf32> -> tensor<4x8xf32>
// FORCE: return %[[T]], %[[P]]
func.func @norm(%x: tensor<4x1x6x6xf32>, %w: tensor<8x1x3x3xf32>, %gamma: tensor<8xf32>) -> (tensor<4x8x6x6xf32>, tensor<4x8xf32>) {
  %0 = mlc.im2col %x kernel = [3, 3] strides = [1, 1] dilations = [1, 1] pads = [1, 1, 1, 1] pad_value = 0.0 : tensor<4x1x6x6xf32> -> tensor<4x6x6x1x3x3xf32>
  %1 = mlc.reshape %0 : tensor<4x6x6x1x3x3xf32> -> tensor<144x9xf32>
  %2 = mlc.reshape %w : tensor<8x1x3x3xf32> -> tensor<8x9xf32>
  %3 = mlc.matmul %1, %2 {transpose_rhs} : tensor<144x9xf32>, tensor<8x9xf32> -> tensor<144x8xf32>
  %4 = mlc.reshape %3 : tensor<144x8xf32> -> tensor<4x6x6x8xf32>
  %5 = mlc.transpose %4 permutation = [0, 3, 1, 2] : tensor<4x6x6x8xf32> -> tensor<4x8x6x6xf32>
  %6 = mlc.reduce_sum %5 dims = [0, 2, 3] keep_dims : tensor<4x8x6x6xf32> -> tensor<1x8x1x1xf32>
  %7 = mlc.broadcast %6 dims = [0, 1, 2, 3] : tensor<1x8x1x1xf32> -> tensor<4x8x6x6xf32>
  %8 = mlc.sub %5, %7 : tensor<4x8x6x6xf32>
  %g = mlc.reshape %gamma : tensor<8xf32> -> tensor<8x1x1xf32>
  %9 = mlc.broadcast %g dims = [1, 2, 3] : tensor<8x1x1xf32> -> tensor<4x8x6x6xf32>
  %10 = mlc.mul %8, %9 : tensor<4x8x6x6xf32>
  %cst = arith.constant dense<2.0> : tensor<4x8x6x6xf32>
  %11 = mlc.where_gt %10, %cst, %cst, %10 : tensor<4x8x6x6xf32>
  %12 = mlc.reduce_sum %11 dims = [2, 3] : tensor<4x8x6x6xf32> -> tensor<4x8xf32>
  return %11, %12 : tensor<4x8x6x6xf32>, tensor<4x8xf32>
}

// -----

// A Winograd convolution (F(2x2, 3x3), as winogradConv3x3 builds it) after a channels-last one:
// its input tiles are windows of the channels-last image ([N TH TW, P, C], transposed point-major
// where the product of transposed tiles had lowering transpose them), its output tiles are
// reordered to [N, OH, OW, F] instead of [N, F, OH, OW], the slice to the output size takes the
// same box channels last, and only the flatten transposes.
// CHECK-LABEL: func.func @winograd
// CHECK: %[[Y1:.*]] = mlc.reshape %{{.*}} : tensor<72x4xf32> -> tensor<2x6x6x4xf32>
// CHECK: %[[R1:.*]] = mlc.relu %[[Y1]] : tensor<2x6x6x4xf32>
// CHECK: %[[BT:.*]] = arith.constant dense<5.000000e-01> : tensor<16x16xf32>
// CHECK: %[[IMG:.*]] = mlc.reshape %[[R1]] : tensor<2x6x6x4xf32> -> tensor<2x1x6x24xf32>
// CHECK: %[[TILES:.*]] = mlc.im2col %[[IMG]] kernel = [4, 16] strides = [2, 8] dilations = [1, 1] pads = [1, 4, 1, 4] pad_value = 0.000000e+00 : tensor<2x1x6x24xf32> -> tensor<2x3x3x1x4x16xf32>
// CHECK: %[[TPC:.*]] = mlc.reshape %[[TILES]] : tensor<2x3x3x1x4x16xf32> -> tensor<18x16x4xf32>
// CHECK: %[[PTC:.*]] = mlc.transpose %[[TPC]] permutation = [1, 0, 2] : tensor<18x16x4xf32> -> tensor<16x18x4xf32>
// CHECK: %[[PM:.*]] = mlc.reshape %[[PTC]] : tensor<16x18x4xf32> -> tensor<16x72xf32>
// CHECK: mlc.matmul %[[BT]], %[[PM]] : tensor<16x16xf32>, tensor<16x72xf32> -> tensor<16x72xf32>
// CHECK: %[[OT:.*]] = mlc.reshape %{{.*}} : tensor<4x72xf32> -> tensor<2x2x2x3x3x4xf32>
// CHECK: %[[OL:.*]] = mlc.transpose %[[OT]] permutation = [2, 3, 0, 4, 1, 5] : tensor<2x2x2x3x3x4xf32> -> tensor<2x3x2x3x2x4xf32>
// CHECK: %[[O:.*]] = mlc.reshape %[[OL]] : tensor<2x3x2x3x2x4xf32> -> tensor<2x6x6x4xf32>
// CHECK: %[[S:.*]] = mlc.slice %[[O]] offsets = [0, 0, 0, 0] strides = [1, 1, 1, 1] : tensor<2x6x6x4xf32> -> tensor<2x5x5x4xf32>
// CHECK: %[[R2:.*]] = mlc.relu %[[S]] : tensor<2x5x5x4xf32>
// CHECK: %[[F:.*]] = mlc.transpose %[[R2]] permutation = [0, 3, 1, 2] : tensor<2x5x5x4xf32> -> tensor<2x4x5x5xf32>
// CHECK: mlc.reshape %[[F]] : tensor<2x4x5x5xf32> -> tensor<2x100xf32>
func.func @winograd(%x: tensor<2x1x6x6xf32>, %w1: tensor<4x1x3x3xf32>, %w2: tensor<4x4x3x3xf32>) -> tensor<2x100xf32> {
  %0 = mlc.im2col %x kernel = [3, 3] strides = [1, 1] dilations = [1, 1] pads = [1, 1, 1, 1] pad_value = 0.0 : tensor<2x1x6x6xf32> -> tensor<2x6x6x1x3x3xf32>
  %1 = mlc.reshape %0 : tensor<2x6x6x1x3x3xf32> -> tensor<72x9xf32>
  %2 = mlc.reshape %w1 : tensor<4x1x3x3xf32> -> tensor<4x9xf32>
  %3 = mlc.matmul %1, %2 {transpose_rhs} : tensor<72x9xf32>, tensor<4x9xf32> -> tensor<72x4xf32>
  %4 = mlc.reshape %3 : tensor<72x4xf32> -> tensor<2x6x6x4xf32>
  %5 = mlc.transpose %4 permutation = [0, 3, 1, 2] : tensor<2x6x6x4xf32> -> tensor<2x4x6x6xf32>
  %13 = mlc.relu %5 : tensor<2x4x6x6xf32>
  %14 = mlc.im2col %13 kernel = [4, 4] strides = [2, 2] dilations = [1, 1] pads = [1, 1, 1, 1] pad_value = 0.000000e+00 : tensor<2x4x6x6xf32> -> tensor<2x3x3x4x4x4xf32>
  %15 = mlc.reshape %14 : tensor<2x3x3x4x4x4xf32> -> tensor<72x16xf32>
  %bt = arith.constant dense<0.5> : tensor<16x16xf32>
  %16 = mlc.matmul %bt, %15 {transpose_rhs} : tensor<16x16xf32>, tensor<72x16xf32> -> tensor<16x72xf32>
  %17 = mlc.reshape %16 : tensor<16x72xf32> -> tensor<16x18x4xf32>
  %18 = mlc.reshape %w2 : tensor<4x4x3x3xf32> -> tensor<16x9xf32>
  %g = arith.constant dense<0.25> : tensor<16x9xf32>
  %19 = mlc.matmul %g, %18 {transpose_rhs} : tensor<16x9xf32>, tensor<16x9xf32> -> tensor<16x16xf32>
  %20 = mlc.reshape %19 : tensor<16x16xf32> -> tensor<16x4x4xf32>
  %21 = mlc.matmul %17, %20 {transpose_rhs} : tensor<16x18x4xf32>, tensor<16x4x4xf32> -> tensor<16x18x4xf32>
  %22 = mlc.reshape %21 : tensor<16x18x4xf32> -> tensor<16x72xf32>
  %at = arith.constant dense<1.0> : tensor<4x16xf32>
  %23 = mlc.matmul %at, %22 : tensor<4x16xf32>, tensor<16x72xf32> -> tensor<4x72xf32>
  %24 = mlc.reshape %23 : tensor<4x72xf32> -> tensor<2x2x2x3x3x4xf32>
  %25 = mlc.transpose %24 permutation = [2, 5, 3, 0, 4, 1] : tensor<2x2x2x3x3x4xf32> -> tensor<2x4x3x2x3x2xf32>
  %26 = mlc.reshape %25 : tensor<2x4x3x2x3x2xf32> -> tensor<2x4x6x6xf32>
  %s = mlc.slice %26 offsets = [0, 0, 0, 0] strides = [1, 1, 1, 1] : tensor<2x4x6x6xf32> -> tensor<2x4x5x5xf32>
  %27 = mlc.relu %s : tensor<2x4x5x5xf32>
  %28 = mlc.reshape %27 : tensor<2x4x5x5xf32> -> tensor<2x100xf32>
  return %28 : tensor<2x100xf32>
}

// -----

// A depthwise convolution between two dense ones follows, unless depthwise=false.
// RUN: mlc-opt %s --split-input-file --mlc-channels-last=depthwise=false | FileCheck %s --check-prefix=NODEPTHWISE
// RUN: mlc-opt %s --split-input-file --mlc-channels-last | FileCheck %s --check-prefix=DEPTHWISE
// NODEPTHWISE-LABEL: func.func @depthwise
// NODEPTHWISE: mlc.depthwise_conv %{{.*}} : tensor<4x4x8x8xf32>, tensor<4x3x3xf32> -> tensor<4x4x8x8xf32>
// DEPTHWISE-LABEL: func.func @depthwise
// DEPTHWISE: %[[Y:.*]] = mlc.reshape %{{.*}} : tensor<256x4xf32> -> tensor<4x8x8x4xf32>
// DEPTHWISE: %[[D:.*]] = mlc.depthwise_conv %[[Y]], %{{.*}} kernel = [3, 3] strides = [1, 1] dilations = [1, 1] pads = [1, 1, 1, 1] channels_last : tensor<4x8x8x4xf32>, tensor<4x3x3xf32> -> tensor<4x8x8x4xf32>
// DEPTHWISE: %[[R:.*]] = mlc.reshape %[[D]] : tensor<4x8x8x4xf32> -> tensor<4x1x8x32xf32>
// DEPTHWISE: mlc.im2col %[[R]] kernel = [1, 4] strides = [1, 4]
// DEPTHWISE: mlc.transpose %{{.*}} permutation = [0, 3, 1, 2] : tensor<4x8x8x6xf32> -> tensor<4x6x8x8xf32>
func.func @depthwise(%x: tensor<4x1x8x8xf32>, %w1: tensor<4x1x3x3xf32>, %dw: tensor<4x3x3xf32>, %w2: tensor<6x4x1x1xf32>) -> tensor<4x6x8x8xf32> {
  %0 = mlc.im2col %x kernel = [3, 3] strides = [1, 1] dilations = [1, 1] pads = [1, 1, 1, 1] pad_value = 0.0 : tensor<4x1x8x8xf32> -> tensor<4x8x8x1x3x3xf32>
  %1 = mlc.reshape %0 : tensor<4x8x8x1x3x3xf32> -> tensor<256x9xf32>
  %2 = mlc.reshape %w1 : tensor<4x1x3x3xf32> -> tensor<4x9xf32>
  %3 = mlc.matmul %1, %2 {transpose_rhs} : tensor<256x9xf32>, tensor<4x9xf32> -> tensor<256x4xf32>
  %4 = mlc.reshape %3 : tensor<256x4xf32> -> tensor<4x8x8x4xf32>
  %5 = mlc.transpose %4 permutation = [0, 3, 1, 2] : tensor<4x8x8x4xf32> -> tensor<4x4x8x8xf32>
  %6 = mlc.depthwise_conv %5, %dw kernel = [3, 3] strides = [1, 1] dilations = [1, 1] pads = [1, 1, 1, 1] : tensor<4x4x8x8xf32>, tensor<4x3x3xf32> -> tensor<4x4x8x8xf32>
  %7 = mlc.im2col %6 kernel = [1, 1] strides = [1, 1] dilations = [1, 1] pads = [0, 0, 0, 0] pad_value = 0.0 : tensor<4x4x8x8xf32> -> tensor<4x8x8x4x1x1xf32>
  %8 = mlc.reshape %7 : tensor<4x8x8x4x1x1xf32> -> tensor<256x4xf32>
  %9 = mlc.reshape %w2 : tensor<6x4x1x1xf32> -> tensor<6x4xf32>
  %10 = mlc.matmul %8, %9 {transpose_rhs} : tensor<256x4xf32>, tensor<6x4xf32> -> tensor<256x6xf32>
  %11 = mlc.reshape %10 : tensor<256x6xf32> -> tensor<4x8x8x6xf32>
  %12 = mlc.transpose %11 permutation = [0, 3, 1, 2] : tensor<4x8x8x6xf32> -> tensor<4x6x8x8xf32>
  return %12 : tensor<4x6x8x8xf32>
}
