// A two-layer MLP as the ONNX importer produces it: @forward(params..., input) -> logits.
func.func @forward(%w1: tensor<64x48xf32> {mlc.param = "fc1.weight", mlc.initializer = dense<0.05> : tensor<64x48xf32>},
                   %b1: tensor<64xf32> {mlc.param = "fc1.bias", mlc.initializer = dense<0.0> : tensor<64xf32>},
                   %w2: tensor<10x64xf32> {mlc.param = "fc2.weight", mlc.initializer = dense<-0.05> : tensor<10x64xf32>},
                   %b2: tensor<10xf32> {mlc.param = "fc2.bias", mlc.initializer = dense<0.0> : tensor<10xf32>},
                   %x: tensor<32x48xf32> {mlc.input = "x"}) -> (tensor<32x10xf32> {mlc.output = "logits"}) {
  %0 = mlc.matmul %x, %w1 {transpose_rhs} : tensor<32x48xf32>, tensor<64x48xf32> -> tensor<32x64xf32>
  %1 = mlc.broadcast %b1 dims = [1] : tensor<64xf32> -> tensor<32x64xf32>
  %2 = mlc.add %0, %1 : tensor<32x64xf32>
  %3 = mlc.relu %2 : tensor<32x64xf32>
  %4 = mlc.matmul %3, %w2 {transpose_rhs} : tensor<32x64xf32>, tensor<10x64xf32> -> tensor<32x10xf32>
  %5 = mlc.broadcast %b2 dims = [1] : tensor<10xf32> -> tensor<32x10xf32>
  %6 = mlc.add %4, %5 : tensor<32x10xf32>
  return %6 : tensor<32x10xf32>
}
