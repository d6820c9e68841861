// mlc-attach-loss: derive @loss(params, input, label) from the model's @forward in its training phase.
#include "dialects/Mlc/MlcBuilders.h"
#include "compiler/Graph/LossBuilders.h"
#include "compiler/Graph/Passes.h"
#include "dialects/Mlc/StepSignature.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlc {
#define GEN_PASS_DEF_ATTACHLOSS
#include "compiler/Graph/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc;

namespace {

struct AttachLossPass : public mlc::impl::AttachLossBase<AttachLossPass> {
  using AttachLossBase::AttachLossBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto forward = module.lookupSymbol<func::FuncOp>("forward");
    if (!forward) {
      module.emitError("mlc-attach-loss: the module has no @forward function");
      return signalPassFailure();
    }
    if (forward.isExternal()) {
      forward.emitError("mlc-attach-loss: @forward is only declared; it needs a body");
      return signalPassFailure();
    }
    // Result 0 is the model's output; any others are the new values of its buffers.
    if (forward.getNumResults() < 1 ||
        resultsWithAttr(forward, attr::kBuffer).size() != forward.getNumResults() - 1 ||
        forward.getResultAttr(0, attr::kBuffer)) {
      forward.emitError("mlc-attach-loss: @forward must have exactly one output (then the new "
                        "values of its mlc.buffer state), it has ")
          << forward.getNumResults() << " results";
      return signalPassFailure();
    }
    if (!isKnownLoss(loss)) {
      module.emitError() << "mlc-attach-loss: unknown loss '" << loss << "' (supported: " << lossNames()
                         << ")";
      return signalPassFailure();
    }
    if (reduction != "mean" && reduction != "sum") {
      module.emitError() << "mlc-attach-loss: unknown reduction '" << reduction << "' (supported: mean, sum)";
      return signalPassFailure();
    }
    LossSpec spec{loss, reduction, labelSmoothing, classWeights};
    if (labelSmoothing && loss != "cross_entropy") {
      module.emitError() << "mlc-attach-loss: label smoothing needs loss cross_entropy, not '" << loss << "'";
      return signalPassFailure();
    }
    auto outType = dyn_cast<RankedTensorType>(forward.getResultTypes()[0]);
    if (takesClassLabels(loss) && (!outType || outType.getRank() != 2)) {
      forward.emitError() << "mlc-attach-loss: loss " << loss
                          << " needs the model's output to be 2-D [batch, classes], got "
                          << forward.getResultTypes()[0];
      return signalPassFailure();
    }
    if (!outType || outType.getRank() < 1) {
      forward.emitError("mlc-attach-loss: the model's output must be a tensor [batch, ...], got ")
          << forward.getResultTypes()[0];
      return signalPassFailure();
    }
    const int64_t weightCount = classWeights ? classWeightCount(loss, outType) : 0;
    if (classWeights && weightCount == 0) {
      forward.emitError() << "mlc-attach-loss: class weights need loss cross_entropy, nll, bce_logits or bce "
                          << "with a [batch] or [batch, classes] output, not " << loss << " of "
                          << forward.getResultTypes()[0];
      return signalPassFailure();
    }

    OpBuilder b(module.getContext());
    b.setInsertionPointAfter(forward);
    auto lossFn = cast<func::FuncOp>(b.clone(*forward));
    lossFn.setSymName("loss");
    lossFn.setPrivate();
    lossFn.removeResAttrsAttr();
    resolvePhase(lossFn, Phase::Train);

    Block &body = lossFn.getBody().front();
    unsigned labelIndex = lossFn.getNumArguments();
    lossFn.insertArgument(labelIndex, labelType(spec, outType),
                          b.getDictionaryAttr(b.getNamedAttr(attr::kLabel, b.getStringAttr("label"))),
                          forward.getLoc());
    Value label = body.getArgument(labelIndex);
    Value weights;
    if (classWeights) {
      lossFn.insertArgument(labelIndex + 1, RankedTensorType::get({weightCount}, outType.getElementType()),
                            b.getDictionaryAttr(b.getNamedAttr(attr::kClassWeights, b.getUnitAttr())),
                            forward.getLoc());
      weights = body.getArgument(labelIndex + 1);
    }
    // The loss's runtime scalars become arguments like dropout's seed; mlc-attach-optimizer passes
    // them on as hypers of @train_step.
    llvm::StringMap<Value> hypers;
    // f32 in every trained model; the output's type so that f64 copies can be gradient-checked.
    auto scalarType = RankedTensorType::get({}, outType.getElementType());
    for (StringRef name : lossHypers(spec)) {
      unsigned index = lossFn.getNumArguments();
      lossFn.insertArgument(index, scalarType,
                            b.getDictionaryAttr(b.getNamedAttr(attr::kHyper, b.getStringAttr(name))),
                            forward.getLoc());
      hypers[name] = body.getArgument(index);
    }

    auto ret = cast<func::ReturnOp>(body.getTerminator());
    Value output = ret.getOperand(0);
    b.setInsertionPoint(ret);
    Location loc = output.getLoc();
    Value value = buildLoss(b, loc, spec, output, label, hypers, weights);
    SmallVector<Value> results{value};
    results.append(ret.getOperands().begin() + 1, ret.getOperands().end());
    ret->setOperands(results);
    lossFn.setFunctionType(b.getFunctionType(lossFn.getArgumentTypes(), ValueRange(results).getTypes()));
    for (unsigned r = 1; r < results.size(); ++r)
      lossFn.setResultAttr(r, attr::kBuffer, forward.getResultAttr(r, attr::kBuffer));
  }
};

} // namespace
