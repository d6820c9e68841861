// mlc-check-contract: each stage's promise to the next, and the one-line error naming the op
// that breaks it. (Every stage of the CPU and CUDA pipelines ends with this check; the other
// Pipelines tests run them on real steps.)
// RUN: mlc-opt %s --split-input-file --verify-diagnostics --mlc-check-contract="stage=graph"

// expected-error @below {{stage 'graph' breaks its contract: no @eval_step}}
module {
  func.func @train_step(%w: tensor<4xf32> {mlc.param = "w"}) -> tensor<4xf32> {
    return %w : tensor<4xf32>
  }
}

// -----

module {
  // expected-error @below {{stage 'graph' breaks its contract: argument #1 of @train_step has 0 roles (expected one)}}
  func.func @train_step(%w: tensor<4xf32> {mlc.param = "w"}, %x: tensor<4xf32>) -> tensor<4xf32> {
    return %w : tensor<4xf32>
  }
  func.func @eval_step(%w: tensor<4xf32> {mlc.param = "w"}) -> tensor<4xf32> {
    return %w : tensor<4xf32>
  }
}

// -----

module {
  func.func @train_step(%w: tensor<4xf32> {mlc.param = "w"}) -> tensor<4xf32> {
    return %w : tensor<4xf32>
  }
  func.func @eval_step(%w: tensor<4xf32> {mlc.param = "w"}) -> tensor<4xf32> {
    %e = tensor.empty() : tensor<4xf32>
    // expected-error @below {{stage 'graph' breaks its contract: 'linalg.copy' in @eval_step before lowering}}
    %c = linalg.copy ins(%w : tensor<4xf32>) outs(%e : tensor<4xf32>) -> tensor<4xf32>
    return %c : tensor<4xf32>
  }
}
