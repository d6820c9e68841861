// mlc-attach-loss class-weights=true: @loss takes the weights after the label; cross_entropy scales
// each class's one-hot term and divides by the batch's weights; a one-output bce weighs each term
// by its 0/1 target's weight, a multi-output one each column by its weight; a loss without class
// weights is refused.
// RUN: mlc-opt %s --split-input-file --mlc-attach-loss="loss=cross_entropy class-weights=true" | FileCheck %s --check-prefix=CE
// RUN: mlc-opt %s --split-input-file --mlc-attach-loss="loss=bce_logits class-weights=true" | FileCheck %s --check-prefix=BCE
// RUN: not mlc-opt %s --split-input-file --mlc-attach-loss="loss=mse class-weights=true" 2>&1 | FileCheck %s --check-prefix=MSE

// CE-LABEL: func.func private @loss
// CE-SAME: %[[Y:[^:]*]]: tensor<4xi32> {mlc.label = "label"}, %[[W:[^:]*]]: tensor<3xf32> {mlc.class_weights})
// CE: %[[HOT:.*]] = mlc.one_hot %[[Y]]
// CE: %[[LOGP:.*]] = mlc.log_softmax
// CE: %[[WB:.*]] = mlc.broadcast %[[W]] dims = [1] : tensor<3xf32> -> tensor<4x3xf32>
// CE: %[[T:.*]] = mlc.mul %[[HOT]], %[[WB]]
// CE: %[[TERMS:.*]] = mlc.mul %[[T]], %[[LOGP]]
// CE: %[[SUM:.*]] = mlc.reduce_sum %[[TERMS]]
// CE: %[[NEG:.*]] = mlc.neg %[[SUM]]
// CE: %[[WSUM:.*]] = mlc.reduce_sum
// CE: %[[L:.*]] = mlc.div %[[NEG]], %[[WSUM]]
// CE: return %[[L]]

// A multi-output bce weighs each column.
// BCE-LABEL: func.func private @loss
// BCE-SAME: tensor<4x3xf32> {mlc.label = "label"}, %[[WC:[^:]*]]: tensor<3xf32> {mlc.class_weights})
// BCE: mlc.broadcast %[[WC]] dims = [1] : tensor<3xf32> -> tensor<4x3xf32>
// BCE-LABEL: func.func private @loss
// BCE-SAME: %[[Y:[^:]*]]: tensor<4x1xf32> {mlc.label = "label"}, %[[W:[^:]*]]: tensor<2xf32> {mlc.class_weights})
// BCE: %[[W0:.*]] = mlc.slice %[[W]] offsets = [0] strides = [1] : tensor<2xf32> -> tensor<1xf32>
// BCE: %[[W1:.*]] = mlc.slice %[[W]] offsets = [1] strides = [1] : tensor<2xf32> -> tensor<1xf32>
// BCE: mlc.mul %[[Y]], %{{.*}} : tensor<4x1xf32>
// BCE: return

// MSE: error: mlc-attach-loss: class weights need loss cross_entropy, nll, bce_logits or bce
func.func @forward(%x: tensor<4x3xf32> {mlc.input = "x"}, %w: tensor<3x3xf32> {mlc.param = "w"})
    -> (tensor<4x3xf32> {mlc.output = "y"}) {
  %0 = mlc.matmul %x, %w : tensor<4x3xf32>, tensor<3x3xf32> -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

func.func @forward(%x: tensor<4x3xf32> {mlc.input = "x"}, %w: tensor<3x1xf32> {mlc.param = "w"})
    -> (tensor<4x1xf32> {mlc.output = "y"}) {
  %0 = mlc.matmul %x, %w : tensor<4x3xf32>, tensor<3x1xf32> -> tensor<4x1xf32>
  return %0 : tensor<4x1xf32>
}
