// mlc-autodiff errors: functions it cannot differentiate and active ops without a VJP rule.
// RUN: mlc-opt %s --split-input-file --verify-diagnostics --mlc-autodiff

// expected-error @+1 {{mlc-autodiff: no function @loss}}
module {
  func.func @not_the_loss(%w: tensor<4xf32>) -> tensor<f32> {
    %0 = mlc.reduce_sum %w dims = [0] : tensor<4xf32> -> tensor<f32>
    return %0 : tensor<f32>
  }
}

// -----

// expected-error @+1 {{mlc-autodiff: @loss_grad already exists}}
func.func @loss(%w: tensor<4xf32> {mlc.param = "w"}) -> tensor<f32> {
  %0 = mlc.reduce_sum %w dims = [0] : tensor<4xf32> -> tensor<f32>
  return %0 : tensor<f32>
}
func.func @loss_grad() {
  return
}

// -----

// expected-error @+1 {{autodiff needs a function with a result to differentiate}}
func.func @loss(%w: tensor<4xf32> {mlc.param = "w"}) {
  return
}

// -----

// expected-error @+1 {{autodiff needs a function returning a scalar (rank-0) float tensor}}
func.func @loss(%w: tensor<4xf32> {mlc.param = "w"}) -> tensor<4xf32> {
  %0 = mlc.exp %w : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// expected-error @+1 {{autodiff needs a function returning a scalar (rank-0) float tensor}}
func.func @loss(%w: tensor<4xf32> {mlc.param = "w"}) -> tensor<i32> {
  %c = arith.constant dense<1> : tensor<i32>
  return %c : tensor<i32>
}

// -----

// expected-error @+1 {{autodiff supports functions with one block (straight-line code)}}
func.func @loss(%w: tensor<4xf32> {mlc.param = "w"}) -> tensor<f32> {
  cf.br ^bb1
^bb1:
  %0 = mlc.reduce_sum %w dims = [0] : tensor<4xf32> -> tensor<f32>
  return %0 : tensor<f32>
}

// -----

// relu_grad is produced by autodiff and has no rule of its own (no second-order gradients).
func.func @loss(%w: tensor<4xf32> {mlc.param = "w"}) -> tensor<f32> {
  // expected-error @+1 {{no gradient rule for op 'mlc.relu_grad': it cannot be trained through}}
  %0 = mlc.relu_grad %w, %w : tensor<4xf32>
  %1 = mlc.reduce_sum %0 dims = [0] : tensor<4xf32> -> tensor<f32>
  return %1 : tensor<f32>
}

// -----

// An op of another dialect on an active value is an error too, naming that op.
func.func @loss(%w: tensor<4xf32> {mlc.param = "w"}) -> tensor<f32> {
  // expected-error @+1 {{no gradient rule for op 'arith.addf'}}
  %0 = arith.addf %w, %w : tensor<4xf32>
  %1 = mlc.reduce_sum %0 dims = [0] : tensor<4xf32> -> tensor<f32>
  return %1 : tensor<f32>
}
