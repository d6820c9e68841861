// mlc-attach-loss on a @forward that is only declared (no body): an error, not a crash.
// XFAIL: *
// BUG: mlc-attach-loss clones the declaration and inserts the label argument into its missing
// entry block: mlc-opt segfaults in Block::insertArgument (so does `mlc compile` on such a file).
// RUN: not mlc-opt %s --mlc-attach-loss 2>&1 | FileCheck %s

// CHECK: error: {{.*}}@forward
func.func private @forward(%x: tensor<2x3xf32> {mlc.input = "x"}) -> (tensor<2x3xf32> {mlc.output = "logits"})
