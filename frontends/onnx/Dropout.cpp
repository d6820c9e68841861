// ONNX Dropout -> mlc.dropout in training mode, the identity otherwise.
//
// Training mode is what the model says: opset >= 12 takes it from the training_mode input (a
// constant; PyTorch's training-mode export sets it), earlier opsets only define inference. The
// mask comes from mlc's counter-based generator keyed by the trainer's --seed, the step and the
// layer's position, so it is reproducible and resumable; ONNX's `seed` attribute names a
// generator mlc does not replicate and is accepted without effect.
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

bool trainingMode(NodeContext &ctx) {
  if (ctx.opset < 12 || !ctx.hasInput(2))
    return false;
  if (!ctx.isIntInput(2))
    ctx.fail("training_mode must be a constant");
  const IntConstant &mode = ctx.intInput(2);
  if (mode.values.size() != 1)
    ctx.fail("training_mode must be a scalar");
  return mode.values[0] != 0;
}

void importDropout(NodeContext &ctx) {
  ctx.expect({"is_test", "ratio", "seed"}, 1, 3);
  Value x = ctx.input(0);
  if (!trainingMode(ctx)) {
    ctx.setOutput(0, x);
    return;
  }
  double ratio = 0.5;
  if (ctx.hasInput(1)) {
    std::optional<double> given = ctx.splatInput(1);
    if (!given)
      ctx.fail("ratio must be a constant");
    ratio = *given;
  }
  if (ratio == 0.0) {
    ctx.setOutput(0, x);
    return;
  }
  if (!(ratio > 0.0 && ratio < 1.0))
    ctx.fail("ratio must be in [0, 1), got " + std::to_string(ratio));
  Value step = ctx.hyper("step"), seed = ctx.hyper("seed");
  if (!step || !seed)
    ctx.fail("training-mode Dropout draws its mask from mlc's generator; it cannot reproduce a "
             "reference's mask (only ratio 0 can be compared)");
  Block *block = ctx.b.getInsertionBlock();
  int64_t stream = llvm::range_size(block->getOps<DropoutOp>());
  ctx.setOutput(0, ctx.b.create<DropoutOp>(ctx.loc, x, step, seed, ctx.b.getF64FloatAttr(ratio),
                                           ctx.b.getI64IntegerAttr(stream)));
}

} // namespace

void mlc::onnx_import::registerDropoutOps(llvm::StringMap<OpConverter> &table) {
  table["Dropout"] = importDropout;
}
