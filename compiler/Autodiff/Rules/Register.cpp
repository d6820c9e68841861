// Attaches every VJP rule family to the mlc dialect when it is loaded.
#include "compiler/Autodiff/Passes.h"
#include "compiler/Autodiff/Rules/Rules.h"

#include "mlir/IR/DialectRegistry.h"

void mlc::registerVJPRules(mlir::DialectRegistry &registry) {
  registry.addExtension(+[](mlir::MLIRContext *ctx, MlcDialect *) {
    registerElementwiseVJPRules(ctx);
    registerShapeVJPRules(ctx);
    registerContractionVJPRules(ctx);
    registerSoftmaxVJPRules(ctx);
    registerWindowVJPRules(ctx);
  });
}
