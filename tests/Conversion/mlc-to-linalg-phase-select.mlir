// convert-mlc-to-linalg rejects an unresolved mlc.phase_select with a message naming the passes
// that resolve it (mlc-attach-loss and mlc-attach-optimizer), not "failed to legalize".
// RUN: mlc-opt %s --convert-mlc-to-linalg --verify-diagnostics

func.func @unresolved(%a: tensor<4xf32>, %b: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{mlc.phase_select reached lowering: only mlc-attach-loss (training) and mlc-attach-optimizer (evaluation) give it a meaning}}
  %0 = mlc.phase_select train %a, eval %b : tensor<4xf32>
  return %0 : tensor<4xf32>
}
