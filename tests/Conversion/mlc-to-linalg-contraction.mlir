// convert-mlc-to-linalg, contraction family: mlc.matmul variants to named linalg matmuls into a
// zero-filled accumulator; a transposed right-hand side is materialized by linalg.transpose.
// RUN: mlc-opt %s --split-input-file --convert-mlc-to-linalg | FileCheck %s
// RUN: mlc-opt %s --split-input-file --convert-mlc-to-linalg=transposed-products=true | FileCheck %s --check-prefix=TP
// RUN: mlc-opt %s --split-input-file --convert-mlc-to-linalg=split-long-products=true | FileCheck %s --check-prefix=SPLIT

// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[A:[^:]*]]: tensor<4x8xf32>, %[[B:[^:]*]]: tensor<8x16xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x16xf32>
// CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%[[E]] : tensor<4x16xf32>)
// CHECK: %[[R:.*]] = linalg.matmul ins(%[[A]], %[[B]] : tensor<4x8xf32>, tensor<8x16xf32>) outs(%[[ACC]] : tensor<4x16xf32>)
// CHECK: return %[[R]]
// CHECK-NOT: mlc.
func.func @matmul(%a: tensor<4x8xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %0 = mlc.matmul %a, %b : tensor<4x8xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_transpose_lhs
// CHECK-SAME: (%[[A:[^:]*]]: tensor<8x4xf32>, %[[B:[^:]*]]: tensor<8x16xf32>)
// CHECK-NOT: linalg.transpose
// CHECK: linalg.matmul_transpose_a ins(%[[A]], %[[B]] : tensor<8x4xf32>, tensor<8x16xf32>) outs(%{{.*}} : tensor<4x16xf32>)
// CHECK-NOT: mlc.
func.func @matmul_transpose_lhs(%a: tensor<8x4xf32>, %b: tensor<8x16xf32>) -> tensor<4x16xf32> {
  %0 = mlc.matmul %a, %b {transpose_lhs} : tensor<8x4xf32>, tensor<8x16xf32> -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_transpose_rhs
// CHECK-SAME: (%[[A:[^:]*]]: tensor<4x8xf32>, %[[B:[^:]*]]: tensor<16x8xf32>)
// CHECK: %[[BT:.*]] = linalg.transpose ins(%[[B]] : tensor<16x8xf32>) outs(%{{.*}} : tensor<8x16xf32>) permutation = [1, 0]
// CHECK: linalg.matmul ins(%[[A]], %[[BT]] : tensor<4x8xf32>, tensor<8x16xf32>) outs(%{{.*}} : tensor<4x16xf32>)
// CHECK-NOT: mlc.
func.func @matmul_transpose_rhs(%a: tensor<4x8xf32>, %b: tensor<16x8xf32>) -> tensor<4x16xf32> {
  %0 = mlc.matmul %a, %b {transpose_rhs} : tensor<4x8xf32>, tensor<16x8xf32> -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_transpose_both
// CHECK-SAME: (%[[A:[^:]*]]: tensor<8x4xf32>, %[[B:[^:]*]]: tensor<16x8xf32>)
// CHECK: %[[BT:.*]] = linalg.transpose ins(%[[B]] : tensor<16x8xf32>) outs(%{{.*}} : tensor<8x16xf32>) permutation = [1, 0]
// CHECK: linalg.matmul_transpose_a ins(%[[A]], %[[BT]] : tensor<8x4xf32>, tensor<8x16xf32>) outs(%{{.*}} : tensor<4x16xf32>)
// CHECK-NOT: mlc.
func.func @matmul_transpose_both(%a: tensor<8x4xf32>, %b: tensor<16x8xf32>) -> tensor<4x16xf32> {
  %0 = mlc.matmul %a, %b {transpose_lhs, transpose_rhs} : tensor<8x4xf32>, tensor<16x8xf32> -> tensor<4x16xf32>
  return %0 : tensor<4x16xf32>
}

// -----

// Element types carry through: an f64 product accumulates from an f64 zero.
// CHECK-LABEL: func.func @matmul_f64
// CHECK: arith.constant 0.000000e+00 : f64
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<2x3xf64>, tensor<3x5xf64>) outs(%{{.*}} : tensor<2x5xf64>)
// CHECK-NOT: mlc.
func.func @matmul_f64(%a: tensor<2x3xf64>, %b: tensor<3x5xf64>) -> tensor<2x5xf64> {
  %0 = mlc.matmul %a, %b : tensor<2x3xf64>, tensor<3x5xf64> -> tensor<2x5xf64>
  return %0 : tensor<2x5xf64>
}

// -----

// A dense layer's forward product at batch 4: x [4, 64] times the weight [256, 64] transposed.
// Materializing the weight's transpose moves 256 x 64 elements per step; with
// transposed-products (the CPU) the product is (w x x^T)^T: x^T (4 x 64) and the [256, 4]
// product (256 x 4) are transposed instead. Without the option the weight is transposed.
// CHECK-LABEL: func.func @dense_forward
// CHECK: linalg.transpose ins(%{{.*}} : tensor<256x64xf32>)
// TP-LABEL: func.func @dense_forward
// TP-SAME: (%[[X:[^:]*]]: tensor<4x64xf32>, %[[W:[^:]*]]: tensor<256x64xf32>)
// TP: %[[XT:.*]] = linalg.transpose ins(%[[X]] : tensor<4x64xf32>) outs(%{{.*}} : tensor<64x4xf32>) permutation = [1, 0]
// TP: %[[P:.*]] = linalg.matmul ins(%[[W]], %[[XT]] : tensor<256x64xf32>, tensor<64x4xf32>) outs(%{{.*}} : tensor<256x4xf32>)
// TP: %[[Y:.*]] = linalg.transpose ins(%[[P]] : tensor<256x4xf32>) outs(%{{.*}} : tensor<4x256xf32>) permutation = [1, 0]
// TP: return %[[Y]]
// TP-NOT: tensor<64x256xf32>
func.func @dense_forward(%x: tensor<4x64xf32>, %w: tensor<256x64xf32>) -> tensor<4x256xf32> {
  %0 = mlc.matmul %x, %w {transpose_rhs} : tensor<4x64xf32>, tensor<256x64xf32> -> tensor<4x256xf32>
  return %0 : tensor<4x256xf32>
}

// -----

// A batch of products (Winograd's per point): linalg.batch_matmul, each matrix of a transposed
// right-hand side transposed by one linalg.transpose.
// CHECK-LABEL: func.func @matmul_batched_transpose_rhs
// CHECK-SAME: (%[[V:[^:]*]]: tensor<16x32x4xf32>, %[[U:[^:]*]]: tensor<16x8x4xf32>)
// CHECK: %[[UT:.*]] = linalg.transpose ins(%[[U]] : tensor<16x8x4xf32>) outs(%{{.*}} : tensor<16x4x8xf32>) permutation = [0, 2, 1]
// CHECK: linalg.batch_matmul ins(%[[V]], %[[UT]] : tensor<16x32x4xf32>, tensor<16x4x8xf32>) outs(%{{.*}} : tensor<16x32x8xf32>)
// TP-LABEL: func.func @matmul_batched_transpose_rhs
// TP: linalg.transpose ins(%{{.*}} : tensor<16x8x4xf32>) outs(%{{.*}} : tensor<16x4x8xf32>) permutation = [0, 2, 1]
// TP: linalg.batch_matmul
func.func @matmul_batched_transpose_rhs(%v: tensor<16x32x4xf32>, %u: tensor<16x8x4xf32>) -> tensor<16x32x8xf32> {
  %0 = mlc.matmul %v, %u {transpose_rhs} : tensor<16x32x4xf32>, tensor<16x8x4xf32> -> tensor<16x32x8xf32>
  return %0 : tensor<16x32x8xf32>
}

// -----

// CHECK-LABEL: func.func @matmul_batched_transpose_lhs
// CHECK-NOT: linalg.transpose
// CHECK: linalg.batch_matmul_transpose_a ins(%{{.*}}, %{{.*}} : tensor<16x32x8xf32>, tensor<16x32x4xf32>) outs(%{{.*}} : tensor<16x8x4xf32>)
func.func @matmul_batched_transpose_lhs(%dm: tensor<16x32x8xf32>, %v: tensor<16x32x4xf32>) -> tensor<16x8x4xf32> {
  %0 = mlc.matmul %dm, %v {transpose_lhs} : tensor<16x32x8xf32>, tensor<16x32x4xf32> -> tensor<16x8x4xf32>
  return %0 : tensor<16x8x4xf32>
}

// -----

// A weight gradient's long contraction (k = 12544 pixels of the batch against a 64 x 800 product)
// with split-long-products: 8 slices of 1568, a batch of products reading each slice of lhs as it is,
// then their sum over the slices into the zero-filled result. Without the option (and for a
// contraction shorter than 4 (m + n)) it stays one matmul_transpose_a.
// SPLIT-LABEL: func.func @weight_gradient
// SPLIT-SAME: (%[[DY:[^:]*]]: tensor<12544x64xf32>, %[[W:[^:]*]]: tensor<12544x800xf32>)
// SPLIT: %[[DYS:.*]] = tensor.expand_shape %[[DY]] {{\[\[}}0, 1], [2]] output_shape [8, 1568, 64]
// SPLIT-NOT: linalg.transpose
// SPLIT: %[[WS:.*]] = tensor.expand_shape %[[W]] {{\[\[}}0, 1], [2]] output_shape [8, 1568, 800]
// SPLIT-NOT: linalg.transpose
// SPLIT: %[[P:.*]] = linalg.batch_matmul_transpose_a ins(%[[DYS]], %[[WS]] : tensor<8x1568x64xf32>, tensor<8x1568x800xf32>) outs(%{{.*}} : tensor<8x64x800xf32>)
// SPLIT: %[[S:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "parallel"]} ins(%[[P]] : tensor<8x64x800xf32>) outs(%{{.*}} : tensor<64x800xf32>)
// SPLIT: arith.addf
// SPLIT: return %[[S]]
// SPLIT-LABEL: func.func @short_contraction
// SPLIT: linalg.matmul_transpose_a
// SPLIT-NOT: linalg.batch_matmul
// CHECK-LABEL: func.func @weight_gradient
// CHECK: linalg.matmul_transpose_a
// CHECK-NOT: linalg.batch_matmul
func.func @weight_gradient(%dy: tensor<12544x64xf32>, %w: tensor<12544x800xf32>) -> tensor<64x800xf32> {
  %0 = mlc.matmul %dy, %w {transpose_lhs} : tensor<12544x64xf32>, tensor<12544x800xf32> -> tensor<64x800xf32>
  return %0 : tensor<64x800xf32>
}

func.func @short_contraction(%dy: tensor<2048x256xf32>, %w: tensor<2048x512xf32>) -> tensor<256x512xf32> {
  %0 = mlc.matmul %dy, %w {transpose_lhs} : tensor<2048x256xf32>, tensor<2048x512xf32> -> tensor<256x512xf32>
  return %0 : tensor<256x512xf32>
}
