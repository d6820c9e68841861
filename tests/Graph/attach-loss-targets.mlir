// mlc-attach-loss with float targets (mse, l1, huber, smooth_l1, bce_logits, bce), nll, label smoothing,
// sum reduction, the loss's runtime scalars as mlc.hyper arguments, and the option errors.
// RUN: mlc-opt %s --mlc-attach-loss=loss=mse | FileCheck %s --check-prefix=MSE
// RUN: mlc-opt %s --mlc-attach-loss="loss=mse reduction=sum" | FileCheck %s --check-prefix=SUM
// RUN: mlc-opt %s --mlc-attach-loss=loss=l1 | FileCheck %s --check-prefix=L1
// RUN: mlc-opt %s --mlc-attach-loss=loss=huber | FileCheck %s --check-prefix=HUBER
// RUN: mlc-opt %s --mlc-attach-loss=loss=smooth_l1 | FileCheck %s --check-prefix=SMOOTH
// RUN: mlc-opt %s --mlc-attach-loss=loss=bce_logits | FileCheck %s --check-prefix=BCEL
// RUN: mlc-opt %s --mlc-attach-loss=loss=bce | FileCheck %s --check-prefix=BCE
// RUN: mlc-opt %s --mlc-attach-loss=loss=nll | FileCheck %s --check-prefix=NLL
// RUN: mlc-opt %s --mlc-attach-loss="loss=cross_entropy label-smoothing=true" | FileCheck %s --check-prefix=LS
// RUN: mlc-opt %s --mlc-attach-loss="loss=cross_entropy label-smoothing=true reduction=sum" | FileCheck %s --check-prefix=LSSUM
// RUN: mlc-opt %s --mlc-attach-loss="loss=cross_entropy reduction=sum" | FileCheck %s --check-prefix=CESUM
// RUN: not mlc-opt %s --mlc-attach-loss="loss=mse label-smoothing=true" 2>&1 | FileCheck %s --check-prefix=LSMSE
// RUN: not mlc-opt %s --mlc-attach-loss="loss=mse reduction=max" 2>&1 | FileCheck %s --check-prefix=RED

// The label is a float tensor of the output's shape; mean over all 24 elements.
// MSE-LABEL: func.func private @loss
// MSE-SAME: %[[Y:[^:]*]]: tensor<8x3xf32> {mlc.label = "label"}) -> tensor<f32>
// MSE: %[[O:.*]] = mlc.matmul
// MSE-NOT: one_hot
// MSE: %[[D:.*]] = mlc.sub %[[O]], %[[Y]]
// MSE: %[[SQ:.*]] = mlc.mul %[[D]], %[[D]]
// MSE: %[[S:.*]] = mlc.reduce_sum %[[SQ]] dims = [0, 1] : tensor<8x3xf32> -> tensor<f32>
// MSE: %[[N:.*]] = arith.constant dense<2.400000e+01> : tensor<f32>
// MSE: %[[M:.*]] = mlc.div %[[S]], %[[N]]
// MSE: return %[[M]] : tensor<f32>

// SUM-LABEL: func.func private @loss
// SUM: %[[S:.*]] = mlc.reduce_sum
// SUM-NEXT: return %[[S]] : tensor<f32>

// |d| as where_gt(d, 0, d, -d).
// L1-LABEL: func.func private @loss
// L1: %[[D:.*]] = mlc.sub
// L1: %[[ZERO:.*]] = arith.constant dense<0.000000e+00> : tensor<8x3xf32>
// L1: %[[NEG:.*]] = mlc.neg %[[D]]
// L1: %[[A:.*]] = mlc.where_gt %[[D]], %[[ZERO]], %[[D]], %[[NEG]]
// L1: mlc.reduce_sum %[[A]]

// delta is a runtime scalar: an mlc.hyper argument broadcast over the output.
// HUBER-LABEL: func.func private @loss
// HUBER-SAME: tensor<8x3xf32> {mlc.label = "label"}, %[[DELTA:.*]]: tensor<f32> {mlc.hyper = "delta"}) -> tensor<f32>
// HUBER: %[[A:.*]] = mlc.where_gt
// HUBER: %[[DB:.*]] = mlc.broadcast %[[DELTA]] dims = [] : tensor<f32> -> tensor<8x3xf32>
// HUBER: %[[HALF:.*]] = arith.constant dense<5.000000e-01> : tensor<8x3xf32>
// HUBER: %[[Q:.*]] = mlc.mul %[[HALF]], %{{.*}} : tensor<8x3xf32>
// HUBER: %[[LIN:.*]] = mlc.sub %[[A]], %{{.*}}
// HUBER: %[[SCALED:.*]] = mlc.mul %[[DB]], %[[LIN]]
// HUBER: mlc.where_gt %[[DB]], %[[A]], %[[Q]], %[[SCALED]]

// smooth_l1 divides the quadratic part by beta (the same `delta` scalar) and keeps |d| - beta/2.
// SMOOTH-LABEL: func.func private @loss
// SMOOTH-SAME: {mlc.hyper = "delta"}
// SMOOTH: %[[DB:.*]] = mlc.broadcast
// SMOOTH: %[[LIN:.*]] = mlc.sub
// SMOOTH: %[[QD:.*]] = mlc.div %{{.*}}, %[[DB]]
// SMOOTH: mlc.where_gt %[[DB]], %{{.*}}, %[[QD]], %[[LIN]]

// relu(x) - x y + log(1 + exp(-|x|)).
// BCEL-LABEL: func.func private @loss
// BCEL-NOT: mlc.hyper
// BCEL: %[[O:.*]] = mlc.matmul
// BCEL: %[[A:.*]] = mlc.where_gt %[[O]]
// BCEL: %[[NA:.*]] = mlc.neg %[[A]]
// BCEL: %[[E:.*]] = mlc.exp %[[NA]]
// BCEL: %[[P1:.*]] = mlc.add %{{.*}}, %[[E]]
// BCEL: %[[SP:.*]] = mlc.log %[[P1]]
// BCEL: %[[R:.*]] = mlc.relu %[[O]]
// BCEL: %[[XY:.*]] = mlc.mul %[[O]], %{{.*}}
// BCEL: %[[T:.*]] = mlc.sub %[[R]], %[[XY]]
// BCEL: mlc.add %[[T]], %[[SP]]

// Each log clamped at -100.
// BCE-LABEL: func.func private @loss
// BCE: %[[FLOOR:.*]] = arith.constant dense<-1.000000e+02> : tensor<8x3xf32>
// BCE: %[[L:.*]] = mlc.log %[[O:.*]] : tensor<8x3xf32>
// BCE: mlc.where_gt %[[L]], %[[FLOOR]], %[[L]], %[[FLOOR]]
// BCE: mlc.log
// BCE: mlc.where_gt
// BCE: mlc.neg

// nll takes class indices and the output as log-probabilities: -sum(one_hot * out) / 8.
// NLL-LABEL: func.func private @loss
// NLL-SAME: %[[Y:[^:]*]]: tensor<8xi32> {mlc.label = "label"}) -> tensor<f32>
// NLL: %[[O:.*]] = mlc.matmul
// NLL: %[[T:.*]] = mlc.one_hot %[[Y]] : tensor<8xi32> -> tensor<8x3xf32>
// NLL: %[[P:.*]] = mlc.mul %[[T]], %[[O]]
// NLL: %[[S:.*]] = mlc.reduce_sum %[[P]]
// NLL: %[[N:.*]] = mlc.neg %[[S]]
// NLL: arith.constant dense<8.000000e+00> : tensor<f32>
// NLL: mlc.div %[[N]]
// NLL-NOT: log_softmax

// Smoothed targets (1 - e) one_hot + e / 3 against log_softmax, e a runtime scalar.
// LS-LABEL: func.func private @loss
// LS-SAME: tensor<8xi32> {mlc.label = "label"}, %[[E:.*]]: tensor<f32> {mlc.hyper = "label_smoothing"}) -> tensor<f32>
// LS-NOT: softmax_cross_entropy
// LS: %[[T:.*]] = mlc.one_hot
// LS: %[[LP:.*]] = mlc.log_softmax %{{.*}} axis = 1
// LS: %[[EB:.*]] = mlc.broadcast %[[E]]
// LS: %[[C:.*]] = arith.constant dense<3.000000e+00> : tensor<8x3xf32>
// LS: mlc.div %[[EB]], %[[C]]
// LS: mlc.mul %{{.*}}, %[[LP]]
// LS: mlc.div

// LSSUM-LABEL: func.func private @loss
// LSSUM: %[[N:.*]] = mlc.neg
// LSSUM-NEXT: return %[[N]]

// Without smoothing and with sum reduction, the fused op's batch mean is scaled back by the batch.
// CESUM-LABEL: func.func private @loss
// CESUM: %[[CE:.*]] = mlc.softmax_cross_entropy
// CESUM: %[[B:.*]] = arith.constant dense<8.000000e+00> : tensor<f32>
// CESUM: %[[S:.*]] = mlc.mul %[[CE]], %[[B]]
// CESUM: return %[[S]]

// LSMSE: error: mlc-attach-loss: label smoothing needs loss cross_entropy, not 'mse'
// RED: error: mlc-attach-loss: unknown reduction 'max' (supported: mean, sum)
func.func @forward(%w: tensor<3x4xf32> {mlc.param = "w", mlc.initializer = dense<0.5> : tensor<3x4xf32>},
                   %x: tensor<8x4xf32> {mlc.input = "x"}) -> (tensor<8x3xf32> {mlc.output = "y"}) {
  %0 = mlc.matmul %x, %w {transpose_rhs} : tensor<8x4xf32>, tensor<3x4xf32> -> tensor<8x3xf32>
  return %0 : tensor<8x3xf32>
}
