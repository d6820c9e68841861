// sum(x * x) over two f64 values, and a function that does not return a scalar.
func.func @square_sum(%x: tensor<2xf64>) -> tensor<f64> {
  %0 = mlc.mul %x, %x : tensor<2xf64>
  %1 = mlc.reduce_sum %0 dims = [0] : tensor<2xf64> -> tensor<f64>
  return %1 : tensor<f64>
}
