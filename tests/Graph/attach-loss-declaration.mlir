// mlc-attach-loss on a @forward that is only declared (no body): an error, not a crash.
// RUN: not mlc-opt %s --mlc-attach-loss 2>&1 | FileCheck %s

// CHECK: error: {{.*}}@forward
func.func private @forward(%x: tensor<2x3xf32> {mlc.input = "x"}) -> (tensor<2x3xf32> {mlc.output = "logits"})
