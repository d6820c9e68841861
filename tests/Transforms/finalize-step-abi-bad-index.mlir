// mlc-finalize-step-abi with an mlc.updates index that names no argument: an error, not a crash.
// XFAIL: *
// BUG: the index is used unchecked (func.getArgument(k)): mlc-opt segfaults creating the
// memref.copy. mlc-update-in-place reads the same out-of-range argument (undefined behaviour,
// silent in a release build).
// RUN: not mlc-opt %s --mlc-finalize-step-abi 2>&1 | FileCheck %s

// CHECK: error: {{.*}}mlc.updates
func.func @step(%p: memref<4xf32>) -> (memref<4xf32> {mlc.updates = 5 : i64}) {
  return %p : memref<4xf32>
}
