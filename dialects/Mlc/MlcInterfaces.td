// Op interfaces of the mlc dialect: the vector-Jacobian product rule each differentiable op provides.
#ifndef MLC_INTERFACES_TD
#define MLC_INTERFACES_TD

include "mlir/IR/OpBase.td"

def VJPOpInterface : OpInterface<"VJPOpInterface"> {
  let cppNamespace = "::mlc";
  let description = [{
    Reverse-mode differentiation rule. Given the adjoints of the op's results (a null Value for a
    result whose adjoint is zero), build ops at the builder's insertion point that compute the
    adjoint of each operand. `operandGrads` has one entry per operand; the rule leaves an entry null
    when the operand has no gradient (integer operands, or operands the caller did not ask for, as
    given by `needed`). The rules live in compiler/Autodiff/Rules and are attached as external
    models, so the dialect does not depend on the autodiff library.
  }];
  let methods = [
    InterfaceMethod<"Build the adjoints of the operands.", "::mlir::LogicalResult", "buildVJP",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::ArrayRef<::mlir::Value>":$resultGrads,
           "::llvm::ArrayRef<bool>":$needed,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandGrads)>,
  ];
}

#endif // MLC_INTERFACES_TD
