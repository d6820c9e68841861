// ONNX reductions over axes: ReduceSum, ReduceMean, ReduceSumSquare, ReduceL1, ReduceL2,
// ReduceLogSum, ReduceMax, ReduceMin, ReduceLogSumExp, as mlc.reduce_sum / mlc.reduce_max around
// elementwise ops.
#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

/// The sorted, normalized reduction axes: from the `axes` attribute, or (ReduceSum from opset
/// 13) the optional constant input; none means all, unless noop_with_empty_axes.
std::optional<SmallVector<int64_t>> reductionAxes(NodeContext &ctx, bool axesAsInput) {
  int64_t rank = ctx.inputType(0).getRank();
  std::vector<int64_t> given;
  if (axesAsInput) {
    if (ctx.hasInput(1))
      given = ctx.intInput(1).values;
  } else if (const onnx::AttributeProto *a = ctx.attr("axes")) {
    given.assign(a->ints().begin(), a->ints().end());
  }
  if (given.empty() && ctx.intAttr("noop_with_empty_axes", 0))
    return std::nullopt;
  SmallVector<int64_t> axes;
  for (int64_t a : given)
    axes.push_back(normalizeAxis(ctx, a, rank));
  if (given.empty())
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  llvm::sort(axes);
  if (std::adjacent_find(axes.begin(), axes.end()) != axes.end())
    ctx.fail("repeated axis");
  return axes;
}

enum class Kind { Sum, Mean, SumSquare, L1, L2, LogSum, Max, Min, LogSumExp };

template <Kind kind>
void importReduce(NodeContext &ctx) {
  bool axesAsInput = kind == Kind::Sum && ctx.opset >= 13;
  if (axesAsInput)
    ctx.expect({"keepdims", "noop_with_empty_axes"}, 1, 2);
  else
    ctx.expect({"axes", "keepdims"}, 1, 1);
  Value x = ctx.input(0);
  auto axes = reductionAxes(ctx, axesAsInput);
  if (!axes) {
    ctx.setOutput(0, x);
    return;
  }
  OpBuilder &b = ctx.b;
  bool keepDims = ctx.intAttr("keepdims", 1) != 0;
  if (kind == Kind::Max || kind == Kind::Min) {
    Value in = kind == Kind::Min ? b.create<NegOp>(ctx.loc, x).getResult() : x;
    Value max = reduceMax(b, ctx.loc, in, *axes, keepDims);
    ctx.setOutput(0, kind == Kind::Min ? b.create<NegOp>(ctx.loc, max).getResult() : max);
    return;
  }
  // log(sum(exp(x))) = m + log(sum(exp(x - m))) with m the maximum: no overflow.
  if (kind == Kind::LogSumExp) {
    auto type = ctx.inputType(0);
    Value m = reduceMax(b, ctx.loc, x, *axes, /*keepDims=*/true);
    SmallVector<int64_t> kept;
    for (int64_t i = 0; i < type.getRank(); ++i)
      kept.push_back(i);
    Value shifted = b.create<SubOp>(ctx.loc, x, broadcastTo(b, ctx.loc, m, type, kept));
    Value sum = reduceSum(b, ctx.loc, b.create<ExpOp>(ctx.loc, shifted), *axes, /*keepDims=*/true);
    Value result = b.create<AddOp>(ctx.loc, b.create<LogOp>(ctx.loc, sum), m);
    if (!keepDims)
      result = reshapeTo(b, ctx.loc, result, reducedType(type, *axes, /*keepDims=*/false));
    ctx.setOutput(0, result);
    return;
  }
  if (kind == Kind::SumSquare || kind == Kind::L2)
    x = b.create<MulOp>(ctx.loc, x, x);
  if (kind == Kind::L1)
    x = maximum(ctx, x, b.create<NegOp>(ctx.loc, x));
  Value sum = reduceSum(b, ctx.loc, x, *axes, keepDims);
  if (kind == Kind::Mean) {
    int64_t count = 1;
    for (int64_t a : *axes)
      count *= ctx.inputType(0).getDimSize(a);
    sum = b.create<MulOp>(ctx.loc, sum, splatLike(ctx, sum, 1.0 / count));
  }
  if (kind == Kind::L2)
    sum = b.create<SqrtOp>(ctx.loc, sum);
  if (kind == Kind::LogSum)
    sum = b.create<LogOp>(ctx.loc, sum);
  ctx.setOutput(0, sum);
}

} // namespace

void mlc::onnx_import::registerReduceOps(llvm::StringMap<OpConverter> &table) {
  table["ReduceSum"] = importReduce<Kind::Sum>;
  table["ReduceMean"] = importReduce<Kind::Mean>;
  table["ReduceSumSquare"] = importReduce<Kind::SumSquare>;
  table["ReduceL1"] = importReduce<Kind::L1>;
  table["ReduceL2"] = importReduce<Kind::L2>;
  table["ReduceLogSum"] = importReduce<Kind::LogSum>;
  table["ReduceMax"] = importReduce<Kind::Max>;
  table["ReduceMin"] = importReduce<Kind::Min>;
  table["ReduceLogSumExp"] = importReduce<Kind::LogSumExp>;
}
