// Finite-difference checks of every loss mlc-attach-loss builds, differentiated as a whole (with
// respect to the weights, the float target and the loss's runtime scalars): @loss of a float64
// sigmoid-linear model, made public for mlc-gradcheck. The class labels get {mlc.range}, delta and
// label_smoothing {mlc.positive} (delta in [0.5, 2]: both huber branches are taken), and so do the
// class weights of the weighted losses (per class, per bce column).
// DEFINE: %{public} = sed -e 's/func.func private @loss/func.func @loss/' -e 's/func.func @forward/func.func private @forward/' -e 's/mlc.label = "label"}/mlc.label = "label", mlc.range = 3 : i64}/' -e 's/mlc.hyper = "\([a-z_]*\)"}/mlc.hyper = "\1", mlc.positive}/' -e 's/{mlc.class_weights}/{mlc.class_weights, mlc.positive}/'
// RUN: mlc-opt %s --mlc-attach-loss=loss=mse | %{public} | mlc-gradcheck - | FileCheck %s
// RUN: mlc-opt %s --mlc-attach-loss="loss=mse reduction=sum" | %{public} | mlc-gradcheck - | FileCheck %s
// RUN: mlc-opt %s --mlc-attach-loss=loss=l1 | %{public} | mlc-gradcheck - | FileCheck %s
// RUN: mlc-opt %s --mlc-attach-loss=loss=huber | %{public} | mlc-gradcheck - | FileCheck %s
// RUN: mlc-opt %s --mlc-attach-loss=loss=smooth_l1 | %{public} | mlc-gradcheck - | FileCheck %s
// RUN: mlc-opt %s --mlc-attach-loss=loss=bce_logits | %{public} | mlc-gradcheck - | FileCheck %s
// RUN: mlc-opt %s --mlc-attach-loss=loss=bce | %{public} | mlc-gradcheck - | FileCheck %s
// RUN: mlc-opt %s --mlc-attach-loss=loss=nll | %{public} | mlc-gradcheck - | FileCheck %s
// RUN: mlc-opt %s --mlc-attach-loss="loss=cross_entropy reduction=sum" | %{public} | mlc-gradcheck - | FileCheck %s
// RUN: mlc-opt %s --mlc-attach-loss="loss=cross_entropy label-smoothing=true" | %{public} | mlc-gradcheck - | FileCheck %s
// RUN: mlc-opt %s --mlc-attach-loss="loss=cross_entropy class-weights=true" | %{public} | mlc-gradcheck - | FileCheck %s
// RUN: mlc-opt %s --mlc-attach-loss="loss=cross_entropy class-weights=true label-smoothing=true reduction=sum" | %{public} | mlc-gradcheck - | FileCheck %s
// RUN: mlc-opt %s --mlc-attach-loss="loss=nll class-weights=true" | %{public} | mlc-gradcheck - | FileCheck %s
// RUN: mlc-opt %s --mlc-attach-loss="loss=bce_logits class-weights=true" | %{public} | mlc-gradcheck - | FileCheck %s
// RUN: mlc-opt %s --mlc-attach-loss="loss=bce class-weights=true reduction=sum" | %{public} | mlc-gradcheck - | FileCheck %s

// CHECK: gradcheck @loss: PASS
func.func @forward(%w: tensor<3x4xf64> {mlc.param = "w", mlc.initializer = dense<0.5> : tensor<3x4xf64>},
                   %x: tensor<5x4xf64> {mlc.input = "x"}) -> (tensor<5x3xf64> {mlc.output = "y"}) {
  %0 = mlc.matmul %x, %w {transpose_rhs} : tensor<5x4xf64>, tensor<3x4xf64> -> tensor<5x3xf64>
  %1 = mlc.sigmoid %0 : tensor<5x3xf64>
  return %1 : tensor<5x3xf64>
}
