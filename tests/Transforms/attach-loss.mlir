// mlc-attach-loss: @loss(params, input, label) from @forward with cross-entropy or MSE, and its errors.
// RUN: mlc-opt %s --split-input-file --verify-diagnostics --mlc-attach-loss | FileCheck %s --check-prefix=CE
// RUN: mlc-opt %s --split-input-file --verify-diagnostics --mlc-attach-loss=loss=mse | FileCheck %s --check-prefix=MSE
// RUN: not mlc-opt %s --split-input-file --mlc-attach-loss=loss=hinge 2>&1 | FileCheck %s --check-prefix=UNKNOWN

// @forward is kept; @loss is a private copy with a trailing i32 label argument, one per batch row.
// CE-LABEL: func.func @forward
// CE-SAME: -> (tensor<8x10xf32> {mlc.output = "logits"})
// CE-LABEL: func.func private @loss
// CE-SAME: (%[[W:.*]]: tensor<10x4xf32> {mlc.initializer = {{.*}}, mlc.param = "w"}, %[[X:.*]]: tensor<8x4xf32> {mlc.input = "x"}, %[[Y:.*]]: tensor<8xi32> {mlc.label = "label"}) -> tensor<f32>
// CE: %[[LOGITS:.*]] = mlc.matmul %[[X]], %[[W]] {transpose_rhs}
// CE: %[[L:.*]] = mlc.softmax_cross_entropy %[[LOGITS]], %[[Y]] : tensor<8x10xf32>, tensor<8xi32> -> tensor<f32>
// CE: return %[[L]] : tensor<f32>

// mean((logits - one_hot(label))^2) over all 80 elements.
// MSE-LABEL: func.func private @loss
// MSE-SAME: %[[Y:[^:]*]]: tensor<8xi32> {mlc.label = "label"}) -> tensor<f32>
// MSE: %[[LOGITS:.*]] = mlc.matmul
// MSE: %[[T:.*]] = mlc.one_hot %[[Y]] : tensor<8xi32> -> tensor<8x10xf32>
// MSE: %[[D:.*]] = mlc.sub %[[LOGITS]], %[[T]]
// MSE: %[[SQ:.*]] = mlc.mul %[[D]], %[[D]]
// MSE: %[[S:.*]] = mlc.reduce_sum %[[SQ]] dims = [0, 1] : tensor<8x10xf32> -> tensor<f32>
// MSE: %[[N:.*]] = arith.constant dense<8.000000e+01> : tensor<f32>
// MSE: %[[M:.*]] = mlc.div %[[S]], %[[N]]
// MSE: return %[[M]] : tensor<f32>
// MSE-NOT: softmax_cross_entropy

// UNKNOWN: error: mlc-attach-loss: unknown loss 'hinge' (supported: cross_entropy, mse)
func.func @forward(%w: tensor<10x4xf32> {mlc.param = "w", mlc.initializer = dense<0.5> : tensor<10x4xf32>},
                   %x: tensor<8x4xf32> {mlc.input = "x"}) -> (tensor<8x10xf32> {mlc.output = "logits"}) {
  %0 = mlc.matmul %x, %w {transpose_rhs} : tensor<8x4xf32>, tensor<10x4xf32> -> tensor<8x10xf32>
  return %0 : tensor<8x10xf32>
}

// -----

// expected-error @+1 {{mlc-attach-loss: the module has no @forward function}}
module {
  func.func @model(%x: tensor<8x4xf32> {mlc.input = "x"}) -> tensor<8x4xf32> {
    return %x : tensor<8x4xf32>
  }
}

// -----

// expected-error @+1 {{mlc-attach-loss: @forward must have exactly one output (then the new values of its mlc.buffer state), it has 2 results}}
func.func @forward(%x: tensor<8x4xf32> {mlc.input = "x"}) -> (tensor<8x4xf32>, tensor<8x4xf32>) {
  return %x, %x : tensor<8x4xf32>, tensor<8x4xf32>
}

// -----

// The training phase: phase selects take their train operand; the buffers' new values follow
// the loss with their names.
// CE-LABEL: func.func private @loss
// CE-SAME: -> (tensor<f32>, tensor<3xf32> {mlc.buffer = "mean"})
// CE-NOT: phase_select
// CE: %[[R:.*]] = mlc.relu %{{.*}} : tensor<2x3xf32>
// CE: %[[NM:.*]] = mlc.add %{{.*}}, %{{.*}} : tensor<3xf32>
// CE: %[[L:.*]] = mlc.softmax_cross_entropy %[[R]]
// CE: return %[[L]], %[[NM]] : tensor<f32>, tensor<3xf32>
func.func @forward(%mean: tensor<3xf32> {mlc.buffer = "mean"}, %x: tensor<2x3xf32> {mlc.input = "x"})
    -> (tensor<2x3xf32> {mlc.output = "y"}, tensor<3xf32> {mlc.buffer = "mean"}) {
  %0 = mlc.relu %x : tensor<2x3xf32>
  %1 = mlc.neg %x : tensor<2x3xf32>
  %2 = mlc.phase_select train %0, eval %1 : tensor<2x3xf32>
  %3 = mlc.add %mean, %mean : tensor<3xf32>
  return %2, %3 : tensor<2x3xf32>, tensor<3xf32>
}

// -----

// expected-error @+1 {{mlc-attach-loss: the model's output must be 2-D [batch, classes], got 'tensor<8x4x2xf32>'}}
func.func @forward(%x: tensor<8x4x2xf32> {mlc.input = "x"}) -> tensor<8x4x2xf32> {
  %0 = mlc.relu %x : tensor<8x4x2xf32>
  return %0 : tensor<8x4x2xf32>
}

// -----

// expected-error @+1 {{mlc-attach-loss: the model's output must be 2-D [batch, classes], got 'tensor<8xf32>'}}
func.func @forward(%x: tensor<8xf32> {mlc.input = "x"}) -> tensor<8xf32> {
  return %x : tensor<8xf32>
}
