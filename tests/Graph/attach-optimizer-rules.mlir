// mlc-attach-optimizer: the update rule, state slots and hyperparameters of each optimizer beyond
// SGD and Adam (attach-optimizer.mlir), and weight decay.
// RUN: mlc-opt %s --mlc-attach-optimizer=optimizer=momentum | FileCheck %s --check-prefix=MOM
// RUN: mlc-opt %s --mlc-attach-optimizer=optimizer=nesterov | FileCheck %s --check-prefix=NAG
// RUN: mlc-opt %s --mlc-attach-optimizer=optimizer=adagrad | FileCheck %s --check-prefix=ADAGRAD
// RUN: mlc-opt %s --mlc-attach-optimizer=optimizer=rmsprop | FileCheck %s --check-prefix=RMS
// RUN: mlc-opt %s --mlc-attach-optimizer="optimizer=adamw decay-all=true" | FileCheck %s --check-prefix=ADAMW
// RUN: mlc-opt %s --mlc-attach-optimizer="optimizer=sgd weight-decay=true decay-all=true" | FileCheck %s --check-prefix=L2

// Momentum: v' = mu v + g; p' = p - lr v'.
// MOM-LABEL: func.func @train_step
// MOM-SAME: (%[[W:[^:]*]]: tensor<4xf32> {mlc.param = "w"}, %[[V:[^:]*]]: tensor<4xf32> {mlc.param_of = "w", mlc.state = "velocity"},
// MOM-SAME: %[[LR:[^:]*]]: tensor<f32> {mlc.hyper = "lr"}, %[[MU:[^:]*]]: tensor<f32> {mlc.hyper = "momentum"})
// MOM: %[[G:.*]]:2 = call @loss_grad
// MOM: %[[MUV:.*]] = mlc.broadcast %[[MU]]
// MOM: %[[DV:.*]] = mlc.mul %[[MUV]], %[[V]]
// MOM: %[[NV:.*]] = mlc.add %[[DV]], %[[G]]#1
// MOM: %[[LRV:.*]] = mlc.broadcast %[[LR]]
// MOM: %[[STEP:.*]] = mlc.mul %[[LRV]], %[[NV]]
// MOM: %[[NW:.*]] = mlc.sub %[[W]], %[[STEP]]
// MOM: return %[[NW]], %[[NV]], %[[G]]#0

// Nesterov steps along g + mu v'.
// NAG-LABEL: func.func @train_step
// NAG: %[[G:.*]]:2 = call @loss_grad
// NAG: %[[NV:.*]] = mlc.add %{{.*}}, %[[G]]#1
// NAG: %[[LOOK:.*]] = mlc.mul %{{.*}}, %[[NV]]
// NAG: %[[DIR:.*]] = mlc.add %[[G]]#1, %[[LOOK]]
// NAG: %[[STEP:.*]] = mlc.mul %{{.*}}, %[[DIR]]
// NAG: return %{{.*}}, %[[NV]], %[[G]]#0

// Adagrad: the learning rate decays once per step (rank 0), then s' = s + g^2.
// ADAGRAD-LABEL: func.func @train_step
// ADAGRAD-SAME: mlc.state = "sum"
// ADAGRAD-SAME: %[[LR:[^:]*]]: tensor<f32> {mlc.hyper = "lr"}, %[[DECAY:[^:]*]]: tensor<f32> {mlc.hyper = "lr_decay"}, %[[EPS:[^:]*]]: tensor<f32> {mlc.hyper = "epsilon"}, %[[T:[^:]*]]: tensor<f32> {mlc.hyper = "step"})
// ADAGRAD: %[[TM1:.*]] = mlc.sub %[[T]], %{{.*}} : tensor<f32>
// ADAGRAD: %[[D:.*]] = mlc.mul %[[TM1]], %[[DECAY]] : tensor<f32>
// ADAGRAD: %[[CLR:.*]] = mlc.div %[[LR]], %{{.*}} : tensor<f32>
// ADAGRAD: %[[G2:.*]] = mlc.mul %[[G:.*]]#1, %[[G]]#1 : tensor<4xf32>
// ADAGRAD: %[[NS:.*]] = mlc.add %{{.*}}, %[[G2]]
// ADAGRAD: mlc.sqrt %[[NS]]
// ADAGRAD: mlc.broadcast %[[CLR]]
// ADAGRAD: return %{{.*}}, %[[NS]]

// RMSprop: a' = alpha a + (1 - alpha) g^2.
// RMS-LABEL: func.func @train_step
// RMS-SAME: mlc.state = "square_avg"
// RMS-SAME: {mlc.hyper = "lr"}, %[[ALPHA:[^:]*]]: tensor<f32> {mlc.hyper = "alpha"}, %{{[^:]*}}: tensor<f32> {mlc.hyper = "epsilon"})
// RMS: mlc.broadcast %[[ALPHA]]
// RMS: mlc.sub %{{.*}}, %[[ALPHA]] : tensor<f32>
// RMS: %[[NA:.*]] = mlc.add
// RMS: mlc.sqrt %[[NA]]
// RMS: return %{{.*}}, %[[NA]]

// AdamW: Adam's hyperparameters then weight_decay; the parameter is scaled by 1 - lr wd before
// the Adam step and the gradient is not regularized.
// ADAMW-LABEL: func.func @train_step
// ADAMW-SAME: %[[W:[^:]*]]: tensor<4xf32> {mlc.param = "w"}
// ADAMW-SAME: %[[LR:[^:]*]]: tensor<f32> {mlc.hyper = "lr"}, %{{[^:]*}}: tensor<f32> {mlc.hyper = "beta1"}, %{{[^:]*}}: tensor<f32> {mlc.hyper = "beta2"}, %{{[^:]*}}: tensor<f32> {mlc.hyper = "epsilon"}, %{{[^:]*}}: tensor<f32> {mlc.hyper = "step"}, %[[DECAY:[^:]*]]: tensor<f32> {mlc.hyper = "weight_decay"})
// ADAMW: %[[LRWD:.*]] = mlc.mul %[[LR]], %[[DECAY]] : tensor<f32>
// ADAMW: %[[KEEP:.*]] = mlc.sub %{{.*}}, %[[LRWD]] : tensor<f32>
// ADAMW: %[[KEEPV:.*]] = mlc.broadcast %[[KEEP]]
// ADAMW: %[[DW:.*]] = mlc.mul %[[KEEPV]], %[[W]]
// ADAMW-NOT: mlc.add %{{.*}}#1, %{{.*}}
// ADAMW: %[[NW:.*]] = mlc.sub %[[DW]], %{{.*}}
// ADAMW: return %[[NW]]

// With weight-decay, SGD regularizes the gradient: g + wd p.
// L2-LABEL: func.func @train_step
// L2-SAME: %[[W:[^:]*]]: tensor<4xf32> {mlc.param = "w"}
// L2-SAME: {mlc.hyper = "lr"}, %[[DECAY:[^:]*]]: tensor<f32> {mlc.hyper = "weight_decay"})
// L2: %[[G:.*]]:2 = call @loss_grad
// L2: %[[WDV:.*]] = mlc.broadcast %[[DECAY]]
// L2: %[[L2:.*]] = mlc.mul %[[WDV]], %[[W]]
// L2: %[[REG:.*]] = mlc.add %[[G]]#1, %[[L2]]
// L2: mlc.mul %{{.*}}, %[[REG]]

func.func @forward(%x: tensor<2x4xf32> {mlc.input = "x"}, %w: tensor<4xf32> {mlc.param = "w"})
    -> (tensor<2x4xf32> {mlc.output = "y"}) {
  %1 = mlc.broadcast %w dims = [1] : tensor<4xf32> -> tensor<2x4xf32>
  %2 = mlc.mul %x, %1 : tensor<2x4xf32>
  return %2 : tensor<2x4xf32>
}
func.func @loss_grad(%x: tensor<2x4xf32> {mlc.input = "x"}, %w: tensor<4xf32> {mlc.param = "w"},
                     %y: tensor<2xi32> {mlc.label = "label"}) -> (tensor<f32>, tensor<4xf32>) {
  %l = mlc.reduce_sum %w dims = [0] : tensor<4xf32> -> tensor<f32>
  return %l, %w : tensor<f32>, tensor<4xf32>
}
