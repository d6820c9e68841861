// mlc-finalize-step-abi with an mlc.updates index that names no argument: an error, not a crash.
// RUN: not mlc-opt %s --mlc-finalize-step-abi 2>&1 | FileCheck %s

// CHECK: error: mlc-finalize-step-abi: result 0 updates argument 5, but there are only 1
func.func @step(%p: memref<4xf32>) -> (memref<4xf32> {mlc.updates = 5 : i64}) {
  return %p : memref<4xf32>
}
