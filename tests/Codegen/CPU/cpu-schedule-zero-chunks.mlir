// mlc-cpu-schedule with parallel-chunks=0: rejected with a message, not a division by zero.
// RUN: not mlc-opt %s --mlc-cpu-schedule=parallel-chunks=0 2>&1 | FileCheck %s

// CHECK: error: {{.*}}parallel-chunks
func.func @matmul(%a: tensor<64x256xf32>, %b: tensor<256x128xf32>, %c: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %r = linalg.matmul ins(%a, %b : tensor<64x256xf32>, tensor<256x128xf32>) outs(%c : tensor<64x128xf32>) -> tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}
