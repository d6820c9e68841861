// A one-layer classifier that compiles in a fraction of a second: 64 features, 10 classes, and a
// batch of 32, enough work for the matmuls to be split over threads.
func.func @forward(%w: tensor<10x64xf32> {mlc.param = "fc.weight", mlc.initializer = dense<0.25> : tensor<10x64xf32>},
                   %b: tensor<10xf32> {mlc.param = "fc.bias", mlc.initializer = dense<0.5> : tensor<10xf32>},
                   %x: tensor<32x64xf32> {mlc.input = "x"}) -> (tensor<32x10xf32> {mlc.output = "logits"}) {
  %0 = mlc.matmul %x, %w {transpose_rhs} : tensor<32x64xf32>, tensor<10x64xf32> -> tensor<32x10xf32>
  %1 = mlc.broadcast %b dims = [1] : tensor<10xf32> -> tensor<32x10xf32>
  %2 = mlc.add %0, %1 : tensor<32x10xf32>
  return %2 : tensor<32x10xf32>
}
