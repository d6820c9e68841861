// Conversions out of the mlc dialect.
#ifndef MLC_CONVERSION_PASSES_TD
#define MLC_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertMlcToLinalg : Pass<"convert-mlc-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower mlc ops to linalg, tensor, arith and math";
  let description = [{
    Contractions become named linalg ops (`linalg.matmul`, `linalg.matmul_transpose_a/b`);
    elementwise, broadcast, reduction and normalization ops become `linalg.generic`s on tensors in
    destination style, ready for elementwise fusion. Afterwards no mlc op remains.

    ```mlir
    %y = mlc.relu %x : tensor<64x128xf32>
    // becomes
    %e = tensor.empty() : tensor<64x128xf32>
    %y = linalg.generic {iterator_types = ["parallel", "parallel"], ...}
        ins(%x : tensor<64x128xf32>) outs(%e : tensor<64x128xf32>) {
      ^bb0(%in: f32, %out: f32):
        %z = arith.constant 0.0 : f32
        %m = arith.maximumf %in, %z : f32
        linalg.yield %m : f32
    } -> tensor<64x128xf32>
    ```
  }];
  let options = [
    Option<"gatherGrad", "gather-grad", "std::string", /*default=*/"\"reduce\"",
           "How gather_grad accumulates: 'reduce' (a parallel linalg reduction over the index "
           "dimensions, O(table x indices) work, no atomics: the CUDA kernels) or 'scatter' "
           "(sequential loops adding each adjoint row into its table row, O(indices): the CPU)">,
    Option<"transposedProducts", "transposed-products", "bool", /*default=*/"false",
           "A x B^T with a large B becomes (B x A^T)^T, transposing the small operands instead of "
           "materializing B^T (the CPU; the CUDA GEMMs read B^T in place)">,
    Option<"splitLongProducts", "split-long-products", "bool", /*default=*/"false",
           "A^T x B with a long contraction and a small product (a convolution's weight "
           "gradient over every pixel of the batch) becomes a batch of products over slices of "
           "the contraction, summed: threads take slices and read each operand once (the CPU)">
  ];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
    "::mlir::arith::ArithDialect", "::mlir::math::MathDialect", "::mlir::scf::SCFDialect",
    "::mlir::bufferization::BufferizationDialect",
  ];
}

#endif // MLC_CONVERSION_PASSES_TD
