// ONNX elementwise arithmetic: Add/Sub/Mul/Div/Pow, variadic Max/Min/Sum/Mean (numpy
// broadcasting), Exp/Log/Sqrt/Neg/Abs/Reciprocal, Relu/Sigmoid/Tanh.
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

template <typename OpT>
void importBinary(NodeContext &ctx) {
  ctx.expect({}, 2, 2);
  auto [a, b] = broadcastPair(ctx, ctx.input(0), ctx.input(1));
  ctx.setOutput(0, ctx.b.create<OpT>(ctx.loc, a, b));
}

template <typename OpT>
void importUnary(NodeContext &ctx) {
  ctx.expect({}, 1, 1);
  ctx.setOutput(0, ctx.b.create<OpT>(ctx.loc, ctx.input(0)));
}

/// Folds a variadic op's inputs pairwise, broadcasting as it goes.
Value foldInputs(NodeContext &ctx, Value (*combine)(NodeContext &, Value, Value)) {
  Value acc = ctx.input(0);
  for (size_t i = 1; i < ctx.numInputs(); ++i) {
    auto [a, b] = broadcastPair(ctx, acc, ctx.input(i));
    acc = combine(ctx, a, b);
  }
  return acc;
}

Value add(NodeContext &ctx, Value a, Value b) { return ctx.b.create<AddOp>(ctx.loc, a, b); }

template <Value (*combine)(NodeContext &, Value, Value)>
void importVariadic(NodeContext &ctx) {
  ctx.expect({}, 1, 64);
  ctx.setOutput(0, foldInputs(ctx, combine));
}

void importMean(NodeContext &ctx) {
  ctx.expect({}, 1, 64);
  Value sum = foldInputs(ctx, add);
  ctx.setOutput(0, ctx.b.create<MulOp>(ctx.loc, sum, splatLike(ctx, sum, 1.0 / ctx.numInputs())));
}

// |x| = 0 > x ? -x : x.
void importAbs(NodeContext &ctx) {
  ctx.expect({}, 1, 1);
  Value x = ctx.input(0);
  ctx.setOutput(0, ctx.b.create<WhereGtOp>(ctx.loc, splatLike(ctx, x, 0.0), x,
                                           ctx.b.create<NegOp>(ctx.loc, x), x));
}

void importReciprocal(NodeContext &ctx) {
  ctx.expect({}, 1, 1);
  Value x = ctx.input(0);
  ctx.setOutput(0, ctx.b.create<DivOp>(ctx.loc, splatLike(ctx, x, 1.0), x));
}

} // namespace

void mlc::onnx_import::registerElementwiseOps(llvm::StringMap<OpConverter> &table) {
  table["Add"] = importBinary<AddOp>;
  table["Sub"] = importBinary<SubOp>;
  table["Mul"] = importBinary<MulOp>;
  table["Div"] = importBinary<DivOp>;
  table["Pow"] = importBinary<PowOp>;
  table["Max"] = importVariadic<maximum>;
  table["Min"] = importVariadic<minimum>;
  table["Sum"] = importVariadic<add>;
  table["Mean"] = importMean;
  table["Exp"] = importUnary<ExpOp>;
  table["Log"] = importUnary<LogOp>;
  table["Sqrt"] = importUnary<SqrtOp>;
  table["Neg"] = importUnary<NegOp>;
  table["Abs"] = importAbs;
  table["Reciprocal"] = importReciprocal;
  table["Relu"] = importUnary<ReluOp>;
  table["Sigmoid"] = importUnary<SigmoidOp>;
  table["Tanh"] = importUnary<TanhOp>;
  table["Erf"] = importUnary<ErfOp>;
}
