// mlc-param-layout: a parameter whose every use reads it transposed the same way is stored so;
// its initial value is permuted with it and mlc.layout says how (stored dimension i is dimension
// layout[i] of the model's tensor).
// RUN: mlc-opt %s --split-input-file --mlc-param-layout | FileCheck %s

// Channels-last filters [F, C, KH, KW] read as [KH, KW, C, F]: the argument becomes that, the
// transpose goes, and the initial value 0..11 of [2, 3, 2, 1] is permuted ([2, 1, 3, 2]:
// element [kh, kw, c, f] is the model's [f, c, kh, kw]).
// CHECK-LABEL: func.func @filters
// CHECK-SAME: (%[[W:[^:]*]]: tensor<2x1x3x2xf32> {mlc.initializer = dense<{{\[\[\[}}[0.000000e+00, 6.000000e+00], [2.000000e+00, 8.000000e+00], [4.000000e+00, 1.000000e+01]]], {{\[\[}}[1.000000e+00, 7.000000e+00], [3.000000e+00, 9.000000e+00], [5.000000e+00, 1.100000e+01]]]]> : tensor<2x1x3x2xf32>, mlc.layout = array<i64: 2, 3, 1, 0>, mlc.param = "w"}
// CHECK-NOT: mlc.transpose
// CHECK: %[[F:.*]] = mlc.reshape %[[W]] : tensor<2x1x3x2xf32> -> tensor<6x2xf32>
// CHECK: mlc.matmul %{{.*}}, %[[F]] : tensor<5x6xf32>, tensor<6x2xf32> -> tensor<5x2xf32>
func.func @filters(%w: tensor<2x3x2x1xf32> {mlc.param = "w", mlc.initializer = dense<[[[[0.0], [1.0]], [[2.0], [3.0]], [[4.0], [5.0]]], [[[6.0], [7.0]], [[8.0], [9.0]], [[10.0], [11.0]]]]> : tensor<2x3x2x1xf32>},
                   %x: tensor<5x6xf32> {mlc.input = "x"}) -> tensor<5x2xf32> {
  %t = mlc.transpose %w permutation = [2, 3, 1, 0] : tensor<2x3x2x1xf32> -> tensor<2x1x3x2xf32>
  %f = mlc.reshape %t : tensor<2x1x3x2xf32> -> tensor<6x2xf32>
  %y = mlc.matmul %x, %f : tensor<5x6xf32>, tensor<6x2xf32> -> tensor<5x2xf32>
  return %y : tensor<5x2xf32>
}

// -----

// Winograd's filter transform reads [F C, KH KW]^T: stored [KH, KW, F, C], read as [KH KW, F C]
// by a plain product.
// CHECK-LABEL: func.func @winograd_filters
// CHECK-SAME: (%[[W:[^:]*]]: tensor<3x3x4x2xf32> {mlc.layout = array<i64: 2, 3, 0, 1>, mlc.param = "w"}
// CHECK: %[[G:.*]] = arith.constant
// CHECK: %[[R:.*]] = mlc.reshape %[[W]] : tensor<3x3x4x2xf32> -> tensor<9x8xf32>
// CHECK: %[[U:.*]] = mlc.matmul %[[G]], %[[R]] {mlc.op_group = "windows"} : tensor<16x9xf32>, tensor<9x8xf32> -> tensor<16x8xf32>
// CHECK: return %[[U]]
func.func @winograd_filters(%w: tensor<4x2x3x3xf32> {mlc.param = "w"}) -> tensor<16x8xf32> {
  %g = arith.constant dense<1.0> : tensor<16x9xf32>
  %r = mlc.reshape %w : tensor<4x2x3x3xf32> -> tensor<8x9xf32>
  %u = mlc.matmul %g, %r {mlc.op_group = "windows", transpose_rhs} : tensor<16x9xf32>, tensor<8x9xf32> -> tensor<16x8xf32>
  return %u : tensor<16x8xf32>
}

// -----

// Uses that disagree (a transpose and the parameter itself), a matrix (rank 2: a dense layer's
// weight is read transposed forward and plainly backward either way) and an input keep their
// layouts.
// CHECK-LABEL: func.func @kept
// CHECK-SAME: (%{{[^:]*}}: tensor<2x3x2x1xf32> {mlc.param = "w"}, %{{[^:]*}}: tensor<4x6xf32> {mlc.param = "d"}, %{{[^:]*}}: tensor<2x3x2x1xf32> {mlc.input = "x"})
// CHECK-NOT: mlc.layout
// CHECK: mlc.transpose
// CHECK: mlc.transpose
// CHECK: mlc.transpose
func.func @kept(%w: tensor<2x3x2x1xf32> {mlc.param = "w"}, %d: tensor<4x6xf32> {mlc.param = "d"},
                %x: tensor<2x3x2x1xf32> {mlc.input = "x"}) -> (tensor<2x1x3x2xf32>, tensor<2x3x2x1xf32>, tensor<6x4xf32>, tensor<2x1x3x2xf32>) {
  %t = mlc.transpose %w permutation = [2, 3, 1, 0] : tensor<2x3x2x1xf32> -> tensor<2x1x3x2xf32>
  %s = mlc.add %w, %w : tensor<2x3x2x1xf32>
  %dt = mlc.transpose %d permutation = [1, 0] : tensor<4x6xf32> -> tensor<6x4xf32>
  %xt = mlc.transpose %x permutation = [2, 3, 1, 0] : tensor<2x3x2x1xf32> -> tensor<2x1x3x2xf32>
  return %t, %s, %dt, %xt : tensor<2x1x3x2xf32>, tensor<2x3x2x1xf32>, tensor<6x4xf32>, tensor<2x1x3x2xf32>
}
