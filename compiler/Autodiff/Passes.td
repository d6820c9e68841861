// Reverse-mode automatic differentiation of mlc functions.
#ifndef MLC_AUTODIFF_PASSES_TD
#define MLC_AUTODIFF_PASSES_TD

include "mlir/Pass/PassBase.td"

def Autodiff : Pass<"mlc-autodiff", "mlir::ModuleOp"> {
  let summary = "Build the gradient function of a scalar-valued function";
  let description = [{
    For `@<function>` returning a rank-0 tensor (and possibly auxiliary results), creates `@<function>_grad` with the same
    arguments, returning the value followed by its gradient with respect to every argument marked
    `mlc.param` (or, with `all-args`, every floating-point argument). Only ops that depend on a
    differentiated argument are differentiated (activity analysis), so no gradient is computed for
    the input batch. Each op's adjoint comes from its `VJPOpInterface` rule; an active op without a
    rule is an error naming the op and its location. Adjoints of values used several times are
    summed. Results after the first are auxiliary values (the new batch-norm running
    statistics of a training loss): they are not differentiated and follow the gradients, with
    their result attributes.

    ```mlir
    func.func @loss(%w: tensor<4xf32> {mlc.param = "w"}) -> tensor<f32> {
      %0 = mlc.mul %w, %w : tensor<4xf32>
      %1 = mlc.reduce_sum %0 dims = [0] : tensor<4xf32> -> tensor<f32>
      return %1 : tensor<f32>
    }
    // gives
    func.func @loss_grad(%w: tensor<4xf32> {mlc.param = "w"}) -> (tensor<f32>, tensor<4xf32>)
    ```
  }];
  let options = [
    Option<"function", "function", "std::string", /*default=*/"\"loss\"",
           "The function to differentiate">,
    Option<"allArgs", "all-args", "bool", /*default=*/"false",
           "Differentiate with respect to every floating-point argument">,
  ];
  let dependentDialects = ["::mlc::MlcDialect", "::mlir::arith::ArithDialect"];
}

#endif // MLC_AUTODIFF_PASSES_TD
