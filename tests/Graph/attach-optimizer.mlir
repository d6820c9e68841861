// mlc-attach-optimizer: @train_step / @eval_step signatures for SGD and Adam, and the pass's errors.
// RUN: mlc-opt %s --split-input-file --verify-diagnostics --mlc-attach-optimizer | FileCheck %s --check-prefix=SGD
// RUN: mlc-opt %s --split-input-file --verify-diagnostics --mlc-attach-optimizer=optimizer=adam | FileCheck %s --check-prefix=ADAM
// RUN: not mlc-opt %s --split-input-file --mlc-attach-optimizer=optimizer=lamb 2>&1 | FileCheck %s --check-prefix=UNKNOWN

// The input comes first in @loss_grad here: @train_step still orders its arguments params, state,
// input, label, hyperparameters, and calls @loss_grad with its own argument order; @eval_step
// takes the parameters first too.

// SGD-LABEL: func.func private @forward
// SGD-LABEL: func.func private @loss_grad
// SGD-LABEL: func.func @train_step
// SGD-SAME: (%[[W:[^:]*]]: tensor<3x4xf32> {mlc.param = "w"}, %[[B:[^:]*]]: tensor<3xf32> {mlc.param = "b"},
// SGD-SAME: %[[X:[^:]*]]: tensor<2x4xf32> {mlc.input = "x"}, %[[Y:[^:]*]]: tensor<2xi32> {mlc.label = "label"},
// SGD-SAME: %[[LR:[^:]*]]: tensor<f32> {mlc.hyper = "lr"})
// SGD-SAME: -> (tensor<3x4xf32> {mlc.updates = 0 : i64}, tensor<3xf32> {mlc.updates = 1 : i64}, tensor<f32> {mlc.loss})
// SGD: %[[G:.*]]:3 = call @loss_grad(%[[X]], %[[W]], %[[Y]], %[[B]])
// SGD: %[[LRW:.*]] = mlc.broadcast %[[LR]] dims = [] : tensor<f32> -> tensor<3x4xf32>
// SGD: %[[SW:.*]] = mlc.mul %[[LRW]], %[[G]]#1 : tensor<3x4xf32>
// SGD: %[[NW:.*]] = mlc.sub %[[W]], %[[SW]] : tensor<3x4xf32>
// SGD: %[[LRB:.*]] = mlc.broadcast %[[LR]] dims = [] : tensor<f32> -> tensor<3xf32>
// SGD: %[[SB:.*]] = mlc.mul %[[LRB]], %[[G]]#2 : tensor<3xf32>
// SGD: %[[NB:.*]] = mlc.sub %[[B]], %[[SB]] : tensor<3xf32>
// SGD: return %[[NW]], %[[NB]], %[[G]]#0
// SGD-LABEL: func.func @eval_step
// SGD-SAME: (%{{.*}}: tensor<3x4xf32> {mlc.param = "w"}, %{{.*}}: tensor<3xf32> {mlc.param = "b"}, %{{.*}}: tensor<2x4xf32> {mlc.input = "x"})
// SGD-SAME: -> (tensor<2x3xf32> {mlc.output = "logits"})
// @eval_step is a copy of @forward's body (where dropout would be the identity), not a call.
// SGD-NOT: call
// SGD: mlc.matmul
// SGD: %[[OUT:.*]] = mlc.add
// SGD: return %[[OUT]]

// Adam: state slot-major (m of every parameter, then v), five rank-0 hyperparameters in order.
// ADAM-LABEL: func.func @train_step
// ADAM-SAME: (%[[W:[^:]*]]: tensor<3x4xf32> {mlc.param = "w"}, %[[B:[^:]*]]: tensor<3xf32> {mlc.param = "b"},
// ADAM-SAME: %[[MW:[^:]*]]: tensor<3x4xf32> {mlc.param_of = "w", mlc.state = "m"}, %[[MB:[^:]*]]: tensor<3xf32> {mlc.param_of = "b", mlc.state = "m"},
// ADAM-SAME: %[[VW:[^:]*]]: tensor<3x4xf32> {mlc.param_of = "w", mlc.state = "v"}, %[[VB:[^:]*]]: tensor<3xf32> {mlc.param_of = "b", mlc.state = "v"},
// ADAM-SAME: %{{.*}}: tensor<2x4xf32> {mlc.input = "x"}, %{{.*}}: tensor<2xi32> {mlc.label = "label"},
// ADAM-SAME: %[[LR:[^:]*]]: tensor<f32> {mlc.hyper = "lr"}, %[[B1:[^:]*]]: tensor<f32> {mlc.hyper = "beta1"}, %[[B2:[^:]*]]: tensor<f32> {mlc.hyper = "beta2"}, %[[EPS:[^:]*]]: tensor<f32> {mlc.hyper = "epsilon"}, %[[T:[^:]*]]: tensor<f32> {mlc.hyper = "step"})
// ADAM-SAME: -> (tensor<3x4xf32> {mlc.updates = 0 : i64}, tensor<3xf32> {mlc.updates = 1 : i64}, tensor<3x4xf32> {mlc.updates = 2 : i64}, tensor<3xf32> {mlc.updates = 3 : i64}, tensor<3x4xf32> {mlc.updates = 4 : i64}, tensor<3xf32> {mlc.updates = 5 : i64}, tensor<f32> {mlc.loss})
// Bias correction 1 - beta1^step, and m = beta1 m + (1 - beta1) g for w.
// ADAM: mlc.pow %[[B1]], %[[T]] : tensor<f32>
// ADAM: %[[B1W:.*]] = mlc.broadcast %[[B1]] dims = [] : tensor<f32> -> tensor<3x4xf32>
// ADAM: mlc.mul %[[B1W]], %[[MW]] : tensor<3x4xf32>
// ADAM: mlc.mul %{{.*}}, %[[VW]] : tensor<3x4xf32>
// ADAM: mlc.broadcast %[[EPS]] dims = [] : tensor<f32> -> tensor<3x4xf32>
// ADAM: %[[NW:.*]] = mlc.sub %[[W]], %{{.*}} : tensor<3x4xf32>
// ADAM: mlc.mul %{{.*}}, %[[MB]] : tensor<3xf32>
// ADAM: mlc.mul %{{.*}}, %[[VB]] : tensor<3xf32>
// ADAM: %[[NB:.*]] = mlc.sub %[[B]], %{{.*}} : tensor<3xf32>
// ADAM: return %[[NW]], %[[NB]], %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}#0 :
// ADAM-LABEL: func.func @eval_step

// UNKNOWN: error: mlc-attach-optimizer: unknown optimizer 'lamb' (supported: sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw)

// The model's runtime scalars (dropout's step and seed): Adam's step is shared, seed is appended;
// @eval_step drops dropout and both scalars.
// ADAM-LABEL: func.func @train_step
// ADAM-SAME: %[[T:[^:]*]]: tensor<f32> {mlc.hyper = "step"}, %[[SEED:[^:]*]]: tensor<f32> {mlc.hyper = "seed"})
// ADAM: call @loss_grad(%{{[^,]*}}, %{{[^,]*}}, %{{[^,]*}}, %[[T]], %[[SEED]])
// ADAM-LABEL: func.func @eval_step
// ADAM-SAME: (%[[EW:[^:]*]]: tensor<3x4xf32> {mlc.param = "w"}, %[[EX:[^:]*]]: tensor<2x4xf32> {mlc.input = "x"})
// ADAM-NEXT: %[[EY:.*]] = mlc.matmul %[[EX]], %[[EW]]
// ADAM-NEXT: return %[[EY]]

func.func @forward(%x: tensor<2x4xf32> {mlc.input = "x"}, %w: tensor<3x4xf32> {mlc.param = "w"},
                   %b: tensor<3xf32> {mlc.param = "b"}) -> (tensor<2x3xf32> {mlc.output = "logits"}) {
  %0 = mlc.matmul %x, %w {transpose_rhs} : tensor<2x4xf32>, tensor<3x4xf32> -> tensor<2x3xf32>
  %1 = mlc.broadcast %b dims = [1] : tensor<3xf32> -> tensor<2x3xf32>
  %2 = mlc.add %0, %1 : tensor<2x3xf32>
  return %2 : tensor<2x3xf32>
}
func.func @loss_grad(%x: tensor<2x4xf32> {mlc.input = "x"}, %w: tensor<3x4xf32> {mlc.param = "w"},
                     %y: tensor<2xi32> {mlc.label = "label"}, %b: tensor<3xf32> {mlc.param = "b"})
    -> (tensor<f32>, tensor<3x4xf32>, tensor<3xf32>) {
  %l = mlc.reduce_sum %w dims = [0, 1] : tensor<3x4xf32> -> tensor<f32>
  return %l, %w, %b : tensor<f32>, tensor<3x4xf32>, tensor<3xf32>
}

// -----

func.func @forward(%w: tensor<3x4xf32> {mlc.param = "w"}, %x: tensor<2x4xf32> {mlc.input = "x"},
                   %step: tensor<f32> {mlc.hyper = "step"}, %seed: tensor<f32> {mlc.hyper = "seed"})
    -> (tensor<2x3xf32> {mlc.output = "logits"}) {
  %0 = mlc.matmul %x, %w {transpose_rhs} : tensor<2x4xf32>, tensor<3x4xf32> -> tensor<2x3xf32>
  %1 = mlc.dropout %0, %step, %seed ratio = 5.000000e-01 stream = 0 : tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}
func.func @loss_grad(%w: tensor<3x4xf32> {mlc.param = "w"}, %x: tensor<2x4xf32> {mlc.input = "x"},
                     %y: tensor<2xi32> {mlc.label = "label"}, %step: tensor<f32> {mlc.hyper = "step"},
                     %seed: tensor<f32> {mlc.hyper = "seed"}) -> (tensor<f32>, tensor<3x4xf32>) {
  %l = mlc.reduce_sum %w dims = [0, 1] : tensor<3x4xf32> -> tensor<f32>
  return %l, %w : tensor<f32>, tensor<3x4xf32>
}

// -----

// Buffers (batch-norm running statistics, in @loss_grad's argument order): after the optimizer
// state in @train_step, replaced by @loss_grad's values of them (matched by name, not position);
// after the parameters in
// @eval_step, which takes the phase selects' evaluation operands and drops the buffers' updates.
// (The SGD run's checks of the dropout split above.)
// SGD-LABEL: func.func @train_step
// SGD-SAME: {mlc.hyper = "seed"}
// SGD-LABEL: func.func @eval_step
// SGD-LABEL: func.func @train_step
// SGD-SAME: (%[[W:[^:]*]]: tensor<3xf32> {mlc.param = "w"}, %[[VAR:[^:]*]]: tensor<3xf32> {mlc.buffer = "var"}, %[[MEAN:[^:]*]]: tensor<3xf32> {mlc.buffer = "mean"},
// SGD-SAME: %[[X:[^:]*]]: tensor<2x3xf32> {mlc.input = "x"}, %[[Y:[^:]*]]: tensor<2xi32> {mlc.label = "label"}, %{{.*}}: tensor<f32> {mlc.hyper = "lr"})
// SGD-SAME: -> (tensor<3xf32> {mlc.updates = 0 : i64}, tensor<3xf32> {mlc.updates = 1 : i64}, tensor<3xf32> {mlc.updates = 2 : i64}, tensor<f32> {mlc.loss})
// SGD: %[[G:.*]]:4 = call @loss_grad(%[[VAR]], %[[W]], %[[X]], %[[Y]], %[[MEAN]])
// SGD: %[[NW:.*]] = mlc.sub %[[W]]
// SGD: return %[[NW]], %[[G]]#2, %[[G]]#3, %[[G]]#0
// SGD-LABEL: func.func @eval_step
// SGD-SAME: (%[[EW:[^:]*]]: tensor<3xf32> {mlc.param = "w"}, %{{.*}}: tensor<3xf32> {mlc.buffer = "var"}, %[[EMEAN:[^:]*]]: tensor<3xf32> {mlc.buffer = "mean"}, %[[EX:[^:]*]]: tensor<2x3xf32> {mlc.input = "x"})
// SGD-SAME: -> (tensor<2x3xf32> {mlc.output = "y"})
// SGD-NOT: phase_select
// SGD: %[[EM:.*]] = mlc.broadcast %[[EMEAN]]
// SGD: %[[EY:.*]] = mlc.sub %[[EX]], %[[EM]]
// SGD-NOT: phase_select
// SGD: return %[[EY]] : tensor<2x3xf32>
func.func @forward(%var: tensor<3xf32> {mlc.buffer = "var"}, %w: tensor<3xf32> {mlc.param = "w"},
                   %x: tensor<2x3xf32> {mlc.input = "x"}, %mean: tensor<3xf32> {mlc.buffer = "mean"})
    -> (tensor<2x3xf32> {mlc.output = "y"}, tensor<3xf32> {mlc.buffer = "mean"}, tensor<3xf32> {mlc.buffer = "var"}) {
  %0 = mlc.broadcast %w dims = [1] : tensor<3xf32> -> tensor<2x3xf32>
  %1 = mlc.mul %x, %0 : tensor<2x3xf32>
  %2 = mlc.broadcast %mean dims = [1] : tensor<3xf32> -> tensor<2x3xf32>
  %3 = mlc.sub %x, %2 : tensor<2x3xf32>
  %4 = mlc.phase_select train %1, eval %3 : tensor<2x3xf32>
  return %4, %mean, %var : tensor<2x3xf32>, tensor<3xf32>, tensor<3xf32>
}
func.func @loss_grad(%var: tensor<3xf32> {mlc.buffer = "var"}, %w: tensor<3xf32> {mlc.param = "w"},
                     %x: tensor<2x3xf32> {mlc.input = "x"}, %y: tensor<2xi32> {mlc.label = "label"},
                     %mean: tensor<3xf32> {mlc.buffer = "mean"})
    -> (tensor<f32>, tensor<3xf32>, tensor<3xf32> {mlc.buffer = "var"}, tensor<3xf32> {mlc.buffer = "mean"}) {
  %l = mlc.reduce_sum %w dims = [0] : tensor<3xf32> -> tensor<f32>
  %nv = mlc.add %var, %var : tensor<3xf32>
  %nm = mlc.add %mean, %mean : tensor<3xf32>
  return %l, %w, %nv, %nm : tensor<f32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

func.func @forward(%w: tensor<3xf32> {mlc.param = "w"}, %x: tensor<2x3xf32> {mlc.input = "x"},
                   %mean: tensor<3xf32> {mlc.buffer = "mean"}) -> (tensor<2x3xf32>, tensor<3xf32> {mlc.buffer = "mean"}) {
  return %x, %mean : tensor<2x3xf32>, tensor<3xf32>
}
// expected-error @+1 {{mlc-attach-optimizer: the training step computes no new value of buffer 'mean'}}
func.func @loss_grad(%w: tensor<3xf32> {mlc.param = "w"}, %x: tensor<2x3xf32> {mlc.input = "x"},
                     %y: tensor<2xi32> {mlc.label = "label"}, %mean: tensor<3xf32> {mlc.buffer = "mean"})
    -> (tensor<f32>, tensor<3xf32>) {
  %l = mlc.reduce_sum %w dims = [0] : tensor<3xf32> -> tensor<f32>
  return %l, %w : tensor<f32>, tensor<3xf32>
}

// -----

func.func @forward(%w: tensor<3xf32> {mlc.param = "w"}, %x: tensor<2x3xf32> {mlc.input = "x"},
                   %mean: tensor<3xf32> {mlc.buffer = "mean"}) -> (tensor<2x3xf32>, tensor<3xf32> {mlc.buffer = "mean"}) {
  return %x, %mean : tensor<2x3xf32>, tensor<3xf32>
}
// expected-error @+1 {{mlc-attach-optimizer: result 3 of @loss_grad must be the new value of a buffer argument, each once}}
func.func @loss_grad(%w: tensor<3xf32> {mlc.param = "w"}, %x: tensor<2x3xf32> {mlc.input = "x"},
                     %y: tensor<2xi32> {mlc.label = "label"}, %mean: tensor<3xf32> {mlc.buffer = "mean"})
    -> (tensor<f32>, tensor<3xf32>, tensor<3xf32> {mlc.buffer = "mean"}, tensor<3xf32> {mlc.buffer = "mean"}) {
  %l = mlc.reduce_sum %w dims = [0] : tensor<3xf32> -> tensor<f32>
  return %l, %w, %mean, %mean : tensor<f32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// expected-error @+1 {{mlc-attach-optimizer: needs @forward and @loss_grad (run mlc-attach-loss and mlc-autodiff first)}}
module {
  func.func @forward(%x: tensor<2x4xf32> {mlc.input = "x"}) -> tensor<2x4xf32> {
    return %x : tensor<2x4xf32>
  }
}

// -----

func.func @forward(%x: tensor<2x4xf32> {mlc.input = "x"}) -> tensor<2x4xf32> {
  return %x : tensor<2x4xf32>
}
// expected-error @+1 {{mlc-attach-optimizer: the model has no trainable parameters}}
func.func @loss_grad(%x: tensor<2x4xf32> {mlc.input = "x"}, %y: tensor<2xi32> {mlc.label = "label"}) -> tensor<f32> {
  %l = mlc.reduce_sum %x dims = [0, 1] : tensor<2x4xf32> -> tensor<f32>
  return %l : tensor<f32>
}

// -----

func.func @forward(%w: tensor<4xf32> {mlc.param = "w"}, %x: tensor<2x4xf32> {mlc.input = "x"}) -> tensor<2x4xf32> {
  return %x : tensor<2x4xf32>
}
// expected-error @+1 {{mlc-attach-optimizer: expected one input and one label argument}}
func.func @loss_grad(%w: tensor<4xf32> {mlc.param = "w"}, %x: tensor<2x4xf32> {mlc.input = "x"}) -> (tensor<f32>, tensor<4xf32>) {
  %l = mlc.reduce_sum %x dims = [0, 1] : tensor<2x4xf32> -> tensor<f32>
  return %l, %w : tensor<f32>, tensor<4xf32>
}
