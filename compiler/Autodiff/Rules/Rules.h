// Registration hooks of the VJP rule families (external models of VJPOpInterface).
#ifndef MLC_COMPILER_AUTODIFF_RULES_RULES_H
#define MLC_COMPILER_AUTODIFF_RULES_RULES_H

#include "dialects/Mlc/MlcOps.h"

#include "mlir/IR/MLIRContext.h"

namespace mlc {

void registerElementwiseVJPRules(mlir::MLIRContext *ctx);
void registerShapeVJPRules(mlir::MLIRContext *ctx);
void registerContractionVJPRules(mlir::MLIRContext *ctx);
void registerSoftmaxVJPRules(mlir::MLIRContext *ctx);
void registerWindowVJPRules(mlir::MLIRContext *ctx);

/// Base of every rule: adapts the interface's signature and skips ops whose result adjoint is zero.
template <typename Rule, typename OpT>
struct VJPRule : public VJPOpInterface::ExternalModel<Rule, OpT> {
  mlir::LogicalResult buildVJP(mlir::Operation *op, mlir::OpBuilder &b,
                               mlir::ArrayRef<mlir::Value> resultGrads, llvm::ArrayRef<bool> needed,
                               llvm::SmallVectorImpl<mlir::Value> &operandGrads) const {
    operandGrads.assign(op->getNumOperands(), mlir::Value());
    if (!resultGrads[0])
      return mlir::success();
    return Rule::vjp(mlir::cast<OpT>(op), b, resultGrads[0], needed, operandGrads);
  }
};

} // namespace mlc

#endif
