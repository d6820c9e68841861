// Stage graph's contract: @train_step and @eval_step in the mlc dialect, everything else inlined away.
// RUN: mlc-opt %S/Inputs/mlp.mlir --mlc-stage-graph | FileCheck %s
// RUN: mlc-opt %S/Inputs/mlp.mlir --mlc-stage-graph="loss=mse optimizer=adam" | FileCheck %s --check-prefix=ADAM
// RUN: not mlc-opt %S/Inputs/mlp.mlir --mlc-stage-graph="optimizer=lamb" 2>&1 | FileCheck %s --check-prefix=BAD

// CHECK-NOT: func.func {{.*}}@forward
// CHECK-NOT: func.func {{.*}}@loss
// CHECK-LABEL: func.func @train_step
// CHECK-SAME: {mlc.hyper = "lr"}
// CHECK-SAME: -> ({{.*}}{mlc.updates = 0 : i64}{{.*}}{mlc.loss})
// CHECK-NOT: call
// CHECK: mlc.softmax_cross_entropy
// CHECK: mlc.relu_grad
// CHECK: return
// CHECK-LABEL: func.func @eval_step
// CHECK-SAME: -> (tensor<32x10xf32> {mlc.output = "logits"})
// CHECK-NOT: call
// CHECK-NOT: softmax_cross_entropy
// CHECK: mlc.relu
// CHECK: return
// CHECK-NOT: func.func

// ADAM-LABEL: func.func @train_step
// ADAM-SAME: {mlc.param_of = "fc2.bias", mlc.state = "v"}
// ADAM-SAME: tensor<{{.*}}xf32> {mlc.label = "label"}
// ADAM-SAME: {mlc.hyper = "step"}
// ADAM-NOT: softmax_cross_entropy
// ADAM-NOT: mlc.one_hot
// ADAM: mlc.pow
// ADAM-LABEL: func.func @eval_step

// BAD: error: mlc-attach-optimizer: unknown optimizer 'lamb' (supported: sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw)
