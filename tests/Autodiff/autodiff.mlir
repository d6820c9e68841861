// mlc-autodiff: the gradient function built from each op's VJP rule, activity analysis, adjoint sums.
// RUN: mlc-opt %s --pass-pipeline="builtin.module(mlc-autodiff{function=mul_both_operands}, mlc-autodiff{function=matmul_transpose_rhs}, mlc-autodiff{function=matmul_transpose_lhs}, mlc-autodiff{function=value_used_twice}, mlc-autodiff{function=inactive_input}, mlc-autodiff{function=unused_param}, mlc-autodiff{function=all_float_args all-args=true}, mlc-autodiff{function=broadcast_adjoint}, mlc-autodiff{function=transpose_adjoint}, mlc-autodiff{function=cross_entropy_adjoint}, mlc-autodiff{function=inactive_op_without_rule}, mlc-autodiff{function=auxiliary_results})" | FileCheck %s

// Both operands of a product are parameters: each gradient is the seed times the other operand.
// CHECK-LABEL: func.func @mul_both_operands_grad
// CHECK-SAME: (%[[A:.*]]: tensor<4xf32> {mlc.param = "a"}, %[[B:.*]]: tensor<4xf32> {mlc.param = "b"})
// CHECK-SAME: -> (tensor<f32>, tensor<4xf32>, tensor<4xf32>)
// CHECK: %[[V:.*]] = mlc.reduce_sum
// CHECK: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[SEED:.*]] = mlc.broadcast %[[ONE]] dims = [] : tensor<f32> -> tensor<4xf32>
// CHECK-DAG: %[[GA:.*]] = mlc.mul %[[SEED]], %[[B]]
// CHECK-DAG: %[[GB:.*]] = mlc.mul %[[SEED]], %[[A]]
// CHECK: return %[[V]], %[[GA]], %[[GB]]
func.func @mul_both_operands(%a: tensor<4xf32> {mlc.param = "a"}, %b: tensor<4xf32> {mlc.param = "b"}) -> tensor<f32> {
  %0 = mlc.mul %a, %b : tensor<4xf32>
  %1 = mlc.reduce_sum %0 dims = [0] : tensor<4xf32> -> tensor<f32>
  return %1 : tensor<f32>
}

// y = x w^T: the weight gradient is dy^T x, one GEMM with transpose_lhs and no transpose op.
// No gradient is computed for the input x (it would be a 2x4 product).
// CHECK-LABEL: func.func @matmul_transpose_rhs_grad
// CHECK-SAME: (%[[W:.*]]: tensor<3x4xf32> {mlc.param = "w"}, %[[X:.*]]: tensor<2x4xf32> {mlc.input = "x"})
// CHECK-NOT: mlc.transpose
// CHECK: %[[DW:.*]] = mlc.matmul %{{.*}}, %[[X]] {transpose_lhs} : tensor<2x3xf32>, tensor<2x4xf32> -> tensor<3x4xf32>
// CHECK-NOT: -> tensor<2x4xf32>
// CHECK: return %{{.*}}, %[[DW]] : tensor<f32>, tensor<3x4xf32>
func.func @matmul_transpose_rhs(%w: tensor<3x4xf32> {mlc.param = "w"}, %x: tensor<2x4xf32> {mlc.input = "x"}) -> tensor<f32> {
  %0 = mlc.matmul %x, %w {transpose_rhs} : tensor<2x4xf32>, tensor<3x4xf32> -> tensor<2x3xf32>
  %1 = mlc.reduce_sum %0 dims = [0, 1] : tensor<2x3xf32> -> tensor<f32>
  return %1 : tensor<f32>
}

// y = w^T x: the gradient of w is x dy^T (transpose_rhs).
// CHECK-LABEL: func.func @matmul_transpose_lhs_grad
// CHECK-SAME: (%[[W:.*]]: tensor<4x2xf32> {mlc.param = "w"}, %[[X:.*]]: tensor<4x3xf32> {mlc.input = "x"})
// CHECK: %[[DW:.*]] = mlc.matmul %[[X]], %{{.*}} {transpose_rhs} : tensor<4x3xf32>, tensor<2x3xf32> -> tensor<4x2xf32>
// CHECK: return %{{.*}}, %[[DW]]
func.func @matmul_transpose_lhs(%w: tensor<4x2xf32> {mlc.param = "w"}, %x: tensor<4x3xf32> {mlc.input = "x"}) -> tensor<f32> {
  %0 = mlc.matmul %w, %x {transpose_lhs} : tensor<4x2xf32>, tensor<4x3xf32> -> tensor<2x3xf32>
  %1 = mlc.reduce_sum %0 dims = [0, 1] : tensor<2x3xf32> -> tensor<f32>
  return %1 : tensor<f32>
}

// w is used twice (w * w): its adjoint is the sum of both contributions.
// CHECK-LABEL: func.func @value_used_twice_grad
// CHECK-SAME: (%[[W:.*]]: tensor<4xf32> {mlc.param = "w"})
// CHECK: %[[SEED:.*]] = mlc.broadcast
// CHECK: %[[G0:.*]] = mlc.mul %[[SEED]], %[[W]]
// CHECK: %[[G1:.*]] = mlc.mul %[[SEED]], %[[W]]
// CHECK: %[[SUM:.*]] = mlc.add %[[G0]], %[[G1]] : tensor<4xf32>
// CHECK: return %{{.*}}, %[[SUM]]
func.func @value_used_twice(%w: tensor<4xf32> {mlc.param = "w"}) -> tensor<f32> {
  %0 = mlc.mul %w, %w : tensor<4xf32>
  %1 = mlc.reduce_sum %0 dims = [0] : tensor<4xf32> -> tensor<f32>
  return %1 : tensor<f32>
}

// exp(x) depends only on the input: it is not differentiated (no product with its result), and
// the gradient function returns only the parameter's gradient.
// CHECK-LABEL: func.func @inactive_input_grad
// CHECK-SAME: (%[[W:.*]]: tensor<4xf32> {mlc.param = "w"}, %[[X:.*]]: tensor<4xf32> {mlc.input = "x"})
// CHECK-SAME: -> (tensor<f32>, tensor<4xf32>)
// CHECK: %[[E:.*]] = mlc.exp %[[X]] : tensor<4xf32>
// CHECK: mlc.reduce_sum
// CHECK-NOT: mlc.{{mul|sub|exp}}
// CHECK: %[[DW:.*]] = mlc.mul %{{.*}}, %[[E]] : tensor<4xf32>
// CHECK-NOT: mlc.{{mul|sub|exp}}
// CHECK: return %{{.*}}, %[[DW]] : tensor<f32>, tensor<4xf32>
func.func @inactive_input(%w: tensor<4xf32> {mlc.param = "w"}, %x: tensor<4xf32> {mlc.input = "x"}) -> tensor<f32> {
  %0 = mlc.exp %x : tensor<4xf32>
  %1 = mlc.tanh %0 : tensor<4xf32>
  %2 = mlc.mul %w, %0 : tensor<4xf32>
  %3 = mlc.add %2, %1 : tensor<4xf32>
  %4 = mlc.reduce_sum %3 dims = [0] : tensor<4xf32> -> tensor<f32>
  return %4 : tensor<f32>
}

// A parameter the value does not depend on gets a zero gradient.
// CHECK-LABEL: func.func @unused_param_grad
// CHECK-SAME: -> (tensor<f32>, tensor<4xf32>, tensor<5xf32>)
// CHECK: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<5xf32>
// CHECK: return %{{.*}}, %{{.*}}, %[[ZERO]]
func.func @unused_param(%w: tensor<4xf32> {mlc.param = "w"}, %unused: tensor<5xf32> {mlc.param = "b"}) -> tensor<f32> {
  %0 = mlc.reduce_sum %w dims = [0] : tensor<4xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// all-args: every floating-point argument is differentiated, marked or not; integer labels are not.
// CHECK-LABEL: func.func @all_float_args_grad
// CHECK-SAME: -> (tensor<f32>, tensor<2x3xf32>, tensor<2x3xf32>)
// CHECK: return
func.func @all_float_args(%x: tensor<2x3xf32>, %y: tensor<2xi32>, %z: tensor<2x3xf32>) -> tensor<f32> {
  %0 = mlc.mul %x, %z : tensor<2x3xf32>
  %1 = mlc.softmax_cross_entropy %0, %y : tensor<2x3xf32>, tensor<2xi32> -> tensor<f32>
  return %1 : tensor<f32>
}

// The adjoint of a broadcast sums over the created dimensions and the ones expanded from size 1.
// CHECK-LABEL: func.func @broadcast_adjoint_grad
// CHECK-DAG: %[[DB:.*]] = mlc.reduce_sum %{{.*}} dims = [0] : tensor<2x3xf32> -> tensor<3xf32>
// CHECK-DAG: %[[DR:.*]] = mlc.reduce_sum %{{.*}} dims = [0] : tensor<2x3xf32> -> tensor<3xf32>
// CHECK-DAG: %[[DRR:.*]] = mlc.reshape %{{.*}} : tensor<3xf32> -> tensor<1x3xf32>
// CHECK: return %{{.*}}, %{{.*}}, %[[DRR]] : tensor<f32>, tensor<3xf32>, tensor<1x3xf32>
func.func @broadcast_adjoint(%b: tensor<3xf32> {mlc.param = "b"}, %r: tensor<1x3xf32> {mlc.param = "r"}) -> tensor<f32> {
  %0 = mlc.broadcast %b dims = [1] : tensor<3xf32> -> tensor<2x3xf32>
  %1 = mlc.broadcast %r dims = [0, 1] : tensor<1x3xf32> -> tensor<2x3xf32>
  %2 = mlc.mul %0, %1 : tensor<2x3xf32>
  %3 = mlc.reduce_sum %2 dims = [0, 1] : tensor<2x3xf32> -> tensor<f32>
  return %3 : tensor<f32>
}

// The adjoint of a transpose is the transpose by the inverse permutation.
// CHECK-LABEL: func.func @transpose_adjoint_grad
// CHECK: mlc.transpose %{{.*}} permutation = [2, 0, 1] : tensor<3x4x2xf32> -> tensor<2x3x4xf32>
func.func @transpose_adjoint(%w: tensor<2x3x4xf32> {mlc.param = "w"}) -> tensor<f32> {
  %0 = mlc.transpose %w permutation = [1, 2, 0] : tensor<2x3x4xf32> -> tensor<3x4x2xf32>
  %1 = mlc.tanh %0 : tensor<3x4x2xf32>
  %2 = mlc.reduce_sum %1 dims = [0, 1, 2] : tensor<3x4x2xf32> -> tensor<f32>
  return %2 : tensor<f32>
}

// Cross-entropy: (softmax(logits) - one_hot(labels)) * dl / N, then relu's adjoint.
// CHECK-LABEL: func.func @cross_entropy_adjoint_grad
// CHECK-SAME: (%[[H:.*]]: tensor<8x10xf32> {mlc.param = "h"}, %[[Y:.*]]: tensor<8xi32> {mlc.label = "label"})
// CHECK: %[[L:.*]] = mlc.relu %[[H]]
// CHECK: %[[P:.*]] = mlc.softmax %[[L]] axis = 1 : tensor<8x10xf32>
// CHECK: %[[T:.*]] = mlc.one_hot %[[Y]] : tensor<8xi32> -> tensor<8x10xf32>
// CHECK: %[[N:.*]] = arith.constant dense<8.000000e+00> : tensor<f32>
// CHECK: %[[D:.*]] = mlc.sub %[[P]], %[[T]]
// CHECK: %[[G:.*]] = mlc.mul %[[D]], %{{.*}} : tensor<8x10xf32>
// CHECK: %[[DH:.*]] = mlc.relu_grad %[[H]], %[[G]]
// CHECK: return %{{.*}}, %[[DH]]
func.func @cross_entropy_adjoint(%h: tensor<8x10xf32> {mlc.param = "h"}, %y: tensor<8xi32> {mlc.label = "label"}) -> tensor<f32> {
  %0 = mlc.relu %h : tensor<8x10xf32>
  %1 = mlc.softmax_cross_entropy %0, %y : tensor<8x10xf32>, tensor<8xi32> -> tensor<f32>
  return %1 : tensor<f32>
}

// Ops without a VJP rule are fine where nothing active flows through them: relu_grad on the input,
// one_hot of the (integer) labels.
// CHECK-LABEL: func.func @inactive_op_without_rule_grad
// CHECK-SAME: -> (tensor<f32>, tensor<4x3xf32>)
// CHECK: return
func.func @inactive_op_without_rule(%w: tensor<4x3xf32> {mlc.param = "w"}, %x: tensor<4x3xf32> {mlc.input = "x"},
                                    %y: tensor<4xi32> {mlc.label = "label"}) -> tensor<f32> {
  %0 = mlc.relu_grad %x, %x : tensor<4x3xf32>
  %1 = mlc.one_hot %y : tensor<4xi32> -> tensor<4x3xf32>
  %2 = mlc.mul %0, %1 : tensor<4x3xf32>
  %3 = mlc.mul %w, %2 : tensor<4x3xf32>
  %4 = mlc.reduce_sum %3 dims = [0, 1] : tensor<4x3xf32> -> tensor<f32>
  return %4 : tensor<f32>
}

// Results after the first are auxiliary (a training loss's new running statistics): they follow
// the gradients with their attributes and get no adjoint, though they depend on the parameter.
// CHECK-LABEL: func.func @auxiliary_results_grad
// CHECK-SAME: -> (tensor<f32>, tensor<4xf32>, tensor<4xf32> {mlc.buffer = "mean"})
// CHECK: %[[AUX:.*]] = mlc.mul %[[W:.*]], %[[W]] : tensor<4xf32>
// CHECK: %[[ONE:.*]] = arith.constant dense<1.000000e+00> : tensor<f32>
// CHECK: %[[G:.*]] = mlc.broadcast %[[ONE]] dims = [] : tensor<f32> -> tensor<4xf32>
// CHECK: return %{{.*}}, %[[G]], %[[AUX]]
func.func @auxiliary_results(%w: tensor<4xf32> {mlc.param = "w"})
    -> (tensor<f32>, tensor<4xf32> {mlc.buffer = "mean"}) {
  %0 = mlc.reduce_sum %w dims = [0] : tensor<4xf32> -> tensor<f32>
  %1 = mlc.mul %w, %w : tensor<4xf32>
  return %0, %1 : tensor<f32>, tensor<4xf32>
}
