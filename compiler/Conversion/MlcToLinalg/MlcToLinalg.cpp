// convert-mlc-to-linalg: runs every family's lowering patterns; no mlc op may remain.
#include "compiler/Conversion/MlcToLinalg/Patterns.h"
#include "compiler/Conversion/Passes.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Transforms/DialectConversion.h"

namespace mlc {
#define GEN_PASS_DEF_CONVERTMLCTOLINALG
#include "compiler/Conversion/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {
struct ConvertMlcToLinalgPass
    : public mlc::impl::ConvertMlcToLinalgBase<ConvertMlcToLinalgPass> {
  using ConvertMlcToLinalgBase::ConvertMlcToLinalgBase;
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // A phase select means nothing until the step builders pick a phase; say so, not "failed to
    // legalize".
    WalkResult unresolved = getOperation()->walk([](mlc::PhaseSelectOp op) {
      op.emitError("mlc.phase_select reached lowering: only mlc-attach-loss (training) and "
                   "mlc-attach-optimizer (evaluation) give it a meaning");
      return WalkResult::interrupt();
    });
    if (unresolved.wasInterrupted())
      return signalPassFailure();
    RewritePatternSet patterns(ctx);
    mlc::populateElementwisePatterns(patterns);
    mlc::populateShapePatterns(patterns);
    mlc::populateContractionPatterns(patterns, transposedProducts, splitLongProducts);
    mlc::populateSoftmaxPatterns(patterns);
    mlc::populateWindowPatterns(patterns);
    mlc::populateDropoutPatterns(patterns);
    mlc::populateSlicePadPatterns(patterns);
    if (gatherGrad != "reduce" && gatherGrad != "scatter") {
      getOperation()->emitError() << "gather-grad must be 'reduce' or 'scatter', got '" << gatherGrad << "'";
      return signalPassFailure();
    }
    mlc::populateGatherPatterns(patterns, /*scatterGatherGrad=*/gatherGrad == "scatter");

    ConversionTarget target(*ctx);
    target.addIllegalDialect<mlc::MlcDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (failed(applyPartialConversion(getOperation(), target, std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
