// The autodiff pass and the registration of the VJP rules.
#ifndef MLC_COMPILER_AUTODIFF_PASSES_H
#define MLC_COMPILER_AUTODIFF_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

#include "dialects/Mlc/MlcDialect.h"

namespace mlir {
class DialectRegistry;
} // namespace mlir

namespace mlc {

#define GEN_PASS_DECL
#include "compiler/Autodiff/Passes.h.inc"

/// Attaches the VJP rules of every mlc op (external models of VJPOpInterface).
void registerVJPRules(mlir::DialectRegistry &registry);

/// Builds `<func>_grad` next to `func`: returns the value and the gradients with respect to the
/// arguments selected by `wrt`. Fails (with a diagnostic) when an active op has no VJP rule.
mlir::FailureOr<mlir::func::FuncOp> buildGradientFunction(mlir::func::FuncOp func,
                                                          llvm::ArrayRef<bool> wrt);

#define GEN_PASS_REGISTRATION
#include "compiler/Autodiff/Passes.h.inc"

} // namespace mlc

#endif
