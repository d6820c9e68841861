// mlc-attach-loss: @loss(params, input, label) from @forward with cross-entropy, and its errors (the
// float-target losses: attach-loss-targets.mlir).
// RUN: mlc-opt %s --split-input-file --verify-diagnostics --mlc-attach-loss | FileCheck %s --check-prefix=CE
// RUN: not mlc-opt %s --split-input-file --mlc-attach-loss=loss=hinge 2>&1 | FileCheck %s --check-prefix=UNKNOWN

// @forward is kept; @loss is a private copy with a trailing i32 label argument, one per batch row.
// CE-LABEL: func.func @forward
// CE-SAME: -> (tensor<8x10xf32> {mlc.output = "logits"})
// CE-LABEL: func.func private @loss
// CE-SAME: (%[[W:.*]]: tensor<10x4xf32> {mlc.initializer = {{.*}}, mlc.param = "w"}, %[[X:.*]]: tensor<8x4xf32> {mlc.input = "x"}, %[[Y:.*]]: tensor<8xi32> {mlc.label = "label"}) -> tensor<f32>
// CE: %[[LOGITS:.*]] = mlc.matmul %[[X]], %[[W]] {transpose_rhs}
// CE: %[[L:.*]] = mlc.softmax_cross_entropy %[[LOGITS]], %[[Y]] : tensor<8x10xf32>, tensor<8xi32> -> tensor<f32>
// CE: return %[[L]] : tensor<f32>

// UNKNOWN: error: mlc-attach-loss: unknown loss 'hinge' (supported: cross_entropy, nll, mse, l1, huber, smooth_l1, bce_logits, bce)
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

// expected-error @+1 {{mlc-attach-loss: loss cross_entropy needs the model's output to be 2-D [batch, classes], got 'tensor<8x4x2xf32>'}}
func.func @forward(%x: tensor<8x4x2xf32> {mlc.input = "x"}) -> tensor<8x4x2xf32> {
  %0 = mlc.relu %x : tensor<8x4x2xf32>
  return %0 : tensor<8x4x2xf32>
}

// -----

// expected-error @+1 {{mlc-attach-loss: loss cross_entropy needs the model's output to be 2-D [batch, classes], got 'tensor<8xf32>'}}
func.func @forward(%x: tensor<8xf32> {mlc.input = "x"}) -> tensor<8xf32> {
  return %x : tensor<8xf32>
}
