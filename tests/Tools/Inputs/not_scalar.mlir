func.func @twice(%x: tensor<2xf64>) -> tensor<2xf64> {
  %0 = mlc.add %x, %x : tensor<2xf64>
  return %0 : tensor<2xf64>
}
