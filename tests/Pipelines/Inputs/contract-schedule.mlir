// A step whose matmul the CPU schedule did not tile (mlc-check-contract stage=schedule fails on
// the CPU; CUDA keeps f32 GEMMs whole for its tensor-core kernels, so there it passes).
func.func @train_step(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @below {{stage 'schedule' breaks its contract: contraction left whole in @train_step (not tiled)}}
  %r = linalg.matmul ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}
