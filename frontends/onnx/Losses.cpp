// ONNX NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss -> mlc one_hot, log_softmax and
// reductions: differentiable like any other import, so a model that ends in its loss trains too.
#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

/// The loss of log-probabilities `logProb` [N, C, d1..dk] against class indices `target` [N, d1..dk]
/// as ONNX defines it: -logProb[n, target, d...] * weight[target] per element, 0 where the target is
/// `ignore_index`; reduction none keeps [N, d1..dk], sum adds them, mean divides the sum by the
/// weights of the elements not ignored (their count without weights).
Value nllLoss(NodeContext &ctx, Value logProb, Value target, Value weight) {
  OpBuilder &b = ctx.b;
  Location loc = ctx.loc;
  auto type = cast<RankedTensorType>(logProb.getType());
  auto targetType = cast<RankedTensorType>(target.getType());
  const int64_t rank = type.getRank();
  if (rank < 2)
    ctx.fail("input must be [N, C, d1, ...], got rank " + std::to_string(rank));
  SmallVector<int64_t> expected{type.getDimSize(0)};
  for (int64_t d = 2; d < rank; ++d)
    expected.push_back(type.getDimSize(d));
  if (targetType.getShape() != ArrayRef<int64_t>(expected))
    ctx.fail("target must be the input's shape without the class dimension");
  const int64_t classes = type.getDimSize(1);
  if (weight && cast<RankedTensorType>(weight.getType()).getShape() != ArrayRef<int64_t>{classes})
    ctx.fail("weight must have one value per class (" + std::to_string(classes) + ")");
  std::string reduction = "mean";
  if (const onnx::AttributeProto *a = ctx.attr("reduction"))
    reduction = a->s();
  if (reduction != "mean" && reduction != "sum" && reduction != "none")
    ctx.fail("reduction must be mean, sum or none, got '" + reduction + "'");

  // Classes last: [N, d1..dk, C], against the one-hot targets of the same shape.
  SmallVector<int64_t> perm{0}, lastShape{type.getDimSize(0)}, leading;
  for (int64_t d = 2; d < rank; ++d) {
    perm.push_back(d);
    lastShape.push_back(type.getDimSize(d));
  }
  perm.push_back(1);
  lastShape.push_back(classes);
  for (int64_t d = 0; d + 1 < rank; ++d)
    leading.push_back(d);
  auto lastType = RankedTensorType::get(lastShape, type.getElementType());
  Value x = rank == 2 ? logProb : b.create<TransposeOp>(loc, lastType, logProb, b.getDenseI64ArrayAttr(perm));
  Value hot = b.create<OneHotOp>(loc, lastType, target);
  if (const onnx::AttributeProto *ii = ctx.attr("ignore_index")) {
    // A target equal to ignore_index contributes nothing (one outside [0, C) already one-hots to 0).
    auto floatTargets = RankedTensorType::get(targetType.getShape(), type.getElementType());
    Value t = b.create<ToFloatOp>(loc, floatTargets, target);
    Value diff = b.create<SubOp>(loc, t, makeSplatLike(b, loc, t, static_cast<double>(ii->i())));
    Value dist = b.create<WhereGtOp>(loc, diff, makeSplatLike(b, loc, diff, 0.0), diff, b.create<NegOp>(loc, diff));
    Value keep = b.create<WhereGtOp>(loc, dist, makeSplatLike(b, loc, dist, 0.5), makeSplatLike(b, loc, dist, 1.0),
                                     makeSplatLike(b, loc, dist, 0.0));
    hot = b.create<MulOp>(loc, hot, broadcastTo(b, loc, keep, lastType, leading));
  }
  if (weight)
    hot = b.create<MulOp>(loc, hot, broadcastTo(b, loc, weight, lastType, {rank - 1}));
  Value perElement = b.create<NegOp>(loc, reduceSum(b, loc, b.create<MulOp>(loc, hot, x), {rank - 1}, false));
  if (reduction == "none")
    return perElement;
  Value total = reduceSum(b, loc, perElement, leading, false);
  if (reduction == "sum")
    return total;
  SmallVector<int64_t> all(leading);
  all.push_back(rank - 1);
  return b.create<DivOp>(loc, total, reduceSum(b, loc, hot, all, false));
}

void importNegativeLogLikelihoodLoss(NodeContext &ctx) {
  ctx.expect({"reduction", "ignore_index"}, 2, 3);
  Value weight = ctx.hasInput(2) ? ctx.input(2) : Value();
  ctx.setOutput(0, nllLoss(ctx, ctx.input(0), ctx.indexInput(1), weight));
}

void importSoftmaxCrossEntropyLoss(NodeContext &ctx) {
  ctx.expect({"reduction", "ignore_index"}, 2, 3);
  Value logProb = ctx.b.create<LogSoftmaxOp>(ctx.loc, ctx.input(0), ctx.b.getI64IntegerAttr(1));
  Value weight = ctx.hasInput(2) ? ctx.input(2) : Value();
  ctx.setOutput(0, nllLoss(ctx, logProb, ctx.indexInput(1), weight));
  if (ctx.node.output_size() > 1 && !ctx.node.output(1).empty())
    ctx.setOutput(1, logProb);
}

} // namespace

void mlc::onnx_import::registerLossOps(llvm::StringMap<OpConverter> &table) {
  table["NegativeLogLikelihoodLoss"] = importNegativeLogLikelihoodLoss;
  table["SoftmaxCrossEntropyLoss"] = importSoftmaxCrossEntropyLoss;
}
