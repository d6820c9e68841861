// mlc-attach-optimizer: weight decay on weights (rank >= 2) only unless decay-all; the L1 term;
// gradient clipping by value, then by the global norm over every gradient.
// RUN: mlc-opt %s --mlc-attach-optimizer="optimizer=sgd weight-decay=true" | FileCheck %s --check-prefix=WD
// RUN: mlc-opt %s --mlc-attach-optimizer="optimizer=adamw" | FileCheck %s --check-prefix=ADAMW
// RUN: mlc-opt %s --mlc-attach-optimizer="optimizer=sgd weight-decay=true decay-all=true" | FileCheck %s --check-prefix=ALL
// RUN: mlc-opt %s --mlc-attach-optimizer="optimizer=sgd l1=true" | FileCheck %s --check-prefix=L1
// RUN: mlc-opt %s --mlc-attach-optimizer="optimizer=sgd clip=true" | FileCheck %s --check-prefix=CLIP

// Coupled weight decay reaches the weight's gradient, not the bias's.
// WD-LABEL: func.func @train_step
// WD-SAME: (%[[W:[^:]*]]: tensor<3x4xf32> {mlc.param = "w"}, %[[B:[^:]*]]: tensor<3xf32> {mlc.param = "b"}
// WD: %[[G:.*]]:3 = call @loss_grad
// WD: %[[L2:.*]] = mlc.mul %{{.*}}, %[[W]] : tensor<3x4xf32>
// WD: %[[REG:.*]] = mlc.add %[[G]]#1, %[[L2]] : tensor<3x4xf32>
// WD-NOT: mlc.mul %{{.*}}, %[[B]] : tensor<3xf32>
// WD: %[[STEPB:.*]] = mlc.mul %{{.*}}, %[[G]]#2 : tensor<3xf32>
// WD: mlc.sub %[[B]], %[[STEPB]]

// AdamW's decoupled decay scales the weight only.
// ADAMW-LABEL: func.func @train_step
// ADAMW-SAME: (%[[W:[^:]*]]: tensor<3x4xf32> {mlc.param = "w"}, %[[B:[^:]*]]: tensor<3xf32> {mlc.param = "b"}
// ADAMW: mlc.mul %{{.*}}, %[[W]] : tensor<3x4xf32>
// ADAMW-NOT: mlc.mul %{{.*}}, %[[B]] : tensor<3xf32>
// ADAMW: return

// decay-all: the bias too.
// ALL-LABEL: func.func @train_step
// ALL-SAME: %[[B:[^:]*]]: tensor<3xf32> {mlc.param = "b"}
// ALL: %[[G:.*]]:3 = call @loss_grad
// ALL: %[[L2B:.*]] = mlc.mul %{{.*}}, %[[B]] : tensor<3xf32>
// ALL: mlc.add %[[G]]#2, %[[L2B]] : tensor<3xf32>

// The l1 term: l1 * sign(w) on the weight's gradient; sign is two selections (0 at 0).
// L1-LABEL: func.func @train_step
// L1-SAME: %[[W:[^:]*]]: tensor<3x4xf32> {mlc.param = "w"}
// L1-SAME: {mlc.hyper = "lr"}, %[[L1:[^:]*]]: tensor<f32> {mlc.hyper = "l1"})
// L1: %[[G:.*]]:3 = call @loss_grad
// L1: %[[L1V:.*]] = mlc.broadcast %[[L1]]
// L1: %[[NEG:.*]] = mlc.where_gt %{{.*}}, %[[W]], %{{.*}}, %{{.*}} : tensor<3x4xf32>
// L1: %[[SIGN:.*]] = mlc.where_gt %[[W]], %{{.*}}, %{{.*}}, %[[NEG]] : tensor<3x4xf32>
// L1: %[[PEN:.*]] = mlc.mul %[[L1V]], %[[SIGN]]
// L1: mlc.add %[[G]]#1, %[[PEN]] : tensor<3x4xf32>
// L1-NOT: mlc.where_gt %{{.*}} : tensor<3xf32>
// L1: return

// Clipping: a disabled limit (<= 0) becomes +inf; values clamp to [-c, c]; then one norm over both
// gradients scales them by min(1, clip_norm / (norm + 1e-6)).
// CLIP-LABEL: func.func @train_step
// CLIP-SAME: {mlc.hyper = "lr"}, %[[NORM:[^:]*]]: tensor<f32> {mlc.hyper = "clip_norm"}, %[[VAL:[^:]*]]: tensor<f32> {mlc.hyper = "clip_value"})
// CLIP: %[[G:.*]]:3 = call @loss_grad
// CLIP: %[[C:.*]] = mlc.where_gt %[[VAL]], %{{.*}}, %[[VAL]], %{{.*}} : tensor<f32>
// CLIP: %[[MC:.*]] = mlc.neg %[[C]] : tensor<f32>
// CLIP: %[[LOW:.*]] = mlc.where_gt %{{.*}}, %[[G]]#1, %{{.*}}, %[[G]]#1 : tensor<3x4xf32>
// CLIP: %[[CW:.*]] = mlc.where_gt %[[G]]#1, %{{.*}}, %{{.*}}, %[[LOW]] : tensor<3x4xf32>
// CLIP: %[[CB:.*]] = mlc.where_gt %[[G]]#2, %{{.*}}, %{{.*}}, %{{.*}} : tensor<3xf32>
// CLIP: %[[SQW:.*]] = mlc.mul %[[CW]], %[[CW]] : tensor<3x4xf32>
// CLIP: mlc.reduce_sum %[[SQW]] dims = [0, 1] : tensor<3x4xf32> -> tensor<f32>
// CLIP: %[[SQB:.*]] = mlc.mul %[[CB]], %[[CB]] : tensor<3xf32>
// CLIP: mlc.reduce_sum %[[SQB]] dims = [0] : tensor<3xf32> -> tensor<f32>
// CLIP: %[[TOTAL:.*]] = mlc.add
// CLIP: %[[N:.*]] = mlc.sqrt %[[TOTAL]] : tensor<f32>
// CLIP: %[[LIMIT:.*]] = mlc.where_gt %[[NORM]], %{{.*}}, %[[NORM]], %{{.*}} : tensor<f32>
// CLIP: %[[DEN:.*]] = mlc.add %[[N]], %{{.*}} : tensor<f32>
// CLIP: %[[COEF:.*]] = mlc.div %[[LIMIT]], %[[DEN]] : tensor<f32>
// CLIP: %[[SCALE:.*]] = mlc.where_gt %[[COEF]], %{{.*}}, %{{.*}}, %[[COEF]] : tensor<f32>
// CLIP: %[[SW:.*]] = mlc.broadcast %[[SCALE]]
// CLIP: mlc.mul %[[SW]], %[[CW]] : tensor<3x4xf32>

func.func @forward(%x: tensor<2x4xf32> {mlc.input = "x"}, %w: tensor<3x4xf32> {mlc.param = "w"},
                   %b: tensor<3xf32> {mlc.param = "b"}) -> (tensor<2x3xf32> {mlc.output = "y"}) {
  %0 = mlc.reduce_sum %w dims = [1] : tensor<3x4xf32> -> tensor<3xf32>
  %1 = mlc.add %0, %b : tensor<3xf32>
  %2 = mlc.broadcast %1 dims = [1] : tensor<3xf32> -> tensor<2x3xf32>
  return %2 : tensor<2x3xf32>
}
func.func @loss_grad(%x: tensor<2x4xf32> {mlc.input = "x"}, %w: tensor<3x4xf32> {mlc.param = "w"},
                     %b: tensor<3xf32> {mlc.param = "b"}, %y: tensor<2xi32> {mlc.label = "label"})
    -> (tensor<f32>, tensor<3x4xf32>, tensor<3xf32>) {
  %l = mlc.reduce_sum %b dims = [0] : tensor<3xf32> -> tensor<f32>
  return %l, %w, %b : tensor<f32>, tensor<3x4xf32>, tensor<3xf32>
}
