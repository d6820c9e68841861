// mlc-attach-loss: derive @loss(params, input, label) from the model's @forward in its training phase.
#include "dialects/Mlc/MlcBuilders.h"
#include "compiler/Transforms/Passes.h"
#include "compiler/Transforms/StepSignature.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlc {
#define GEN_PASS_DEF_ATTACHLOSS
#include "compiler/Transforms/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc;

namespace {

/// mean((output - one_hot(label))^2) over every element.
static Value buildMeanSquaredError(OpBuilder &b, Location loc, Value output, Value label) {
  auto type = cast<RankedTensorType>(output.getType());
  Value target = b.create<OneHotOp>(loc, type, label);
  Value diff = b.create<SubOp>(loc, output, target);
  Value sq = b.create<MulOp>(loc, diff, diff);
  SmallVector<int64_t> all;
  for (int64_t i = 0; i < type.getRank(); ++i)
    all.push_back(i);
  Value sum = reduceSum(b, loc, sq, all, /*keepDims=*/false);
  return b.create<DivOp>(loc, sum, makeSplatLike(b, loc, sum, type.getNumElements()));
}

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
    auto outType = dyn_cast<RankedTensorType>(forward.getResultTypes()[0]);
    if (!outType || outType.getRank() != 2) {
      forward.emitError("mlc-attach-loss: the model's output must be 2-D [batch, classes], got ")
          << forward.getResultTypes()[0];
      return signalPassFailure();
    }
    if (!isKnownLoss(loss)) {
      module.emitError() << "mlc-attach-loss: unknown loss '" << loss
                         << "' (supported: cross_entropy, mse)";
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
    auto labelType = RankedTensorType::get({outType.getDimSize(0)}, b.getI32Type());
    unsigned labelIndex = lossFn.getNumArguments();
    lossFn.insertArgument(labelIndex, labelType,
                                     b.getDictionaryAttr(b.getNamedAttr(
                                         attr::kLabel, b.getStringAttr("label"))),
                                     forward.getLoc());
    Value label = body.getArgument(labelIndex);

    auto ret = cast<func::ReturnOp>(body.getTerminator());
    Value output = ret.getOperand(0);
    b.setInsertionPoint(ret);
    Location loc = output.getLoc();
    Value value;
    if (loss == "cross_entropy")
      value = b.create<SoftmaxCrossEntropyOp>(loc, RankedTensorType::get({}, outType.getElementType()),
                                              output, label);
    else
      value = buildMeanSquaredError(b, loc, output, label);
    SmallVector<Value> results{value};
    results.append(ret.getOperands().begin() + 1, ret.getOperands().end());
    ret->setOperands(results);
    lossFn.setFunctionType(b.getFunctionType(lossFn.getArgumentTypes(), ValueRange(results).getTypes()));
    for (unsigned r = 1; r < results.size(); ++r)
      lossFn.setResultAttr(r, attr::kBuffer, forward.getResultAttr(r, attr::kBuffer));
  }
};

} // namespace
