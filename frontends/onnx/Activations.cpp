// ONNX activations decomposed into core mlc ops at import: LeakyRelu, PRelu, ThresholdedRelu,
// Elu, Selu, Celu, Softplus, Softsign, HardSigmoid, HardSwish, Clip.
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"

#include <limits>

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

Value mul(NodeContext &ctx, Value a, Value b) { return ctx.b.create<MulOp>(ctx.loc, a, b); }
Value scale(NodeContext &ctx, Value a, double s) { return mul(ctx, a, splatLike(ctx, a, s)); }
Value addScalar(NodeContext &ctx, Value a, double s) {
  return ctx.b.create<AddOp>(ctx.loc, a, splatLike(ctx, a, s));
}
/// x > 0 ? x : negative.
Value positivePart(NodeContext &ctx, Value x, Value negative) {
  return ctx.b.create<WhereGtOp>(ctx.loc, x, splatLike(ctx, x, 0.0), x, negative);
}
/// alpha (exp(x) - 1) for x <= 0, from exp(min(x, 0)): the unselected branch never overflows,
/// so its (zero) adjoint never meets an infinite derivative.
Value expMinusOne(NodeContext &ctx, Value x, double alpha) {
  Value clamped = minimum(ctx, x, splatLike(ctx, x, 0.0));
  return scale(ctx, addScalar(ctx, ctx.b.create<ExpOp>(ctx.loc, clamped), -1.0), alpha);
}
Value clamp(NodeContext &ctx, Value x, double lo, double hi) {
  return minimum(ctx, maximum(ctx, x, splatLike(ctx, x, lo)), splatLike(ctx, x, hi));
}

void importLeakyRelu(NodeContext &ctx) {
  ctx.expect({"alpha"}, 1, 1);
  Value x = ctx.input(0);
  ctx.setOutput(0, positivePart(ctx, x, scale(ctx, x, ctx.floatAttr("alpha", 0.01f))));
}

// The slope broadcasts to x (unidirectionally).
void importPRelu(NodeContext &ctx) {
  ctx.expect({}, 2, 2);
  Value x = ctx.input(0);
  Value slope = broadcastToShape(ctx, ctx.input(1), ctx.inputType(0));
  ctx.setOutput(0, positivePart(ctx, x, mul(ctx, x, slope)));
}

void importThresholdedRelu(NodeContext &ctx) {
  ctx.expect({"alpha"}, 1, 1);
  Value x = ctx.input(0);
  ctx.setOutput(0, ctx.b.create<WhereGtOp>(ctx.loc, x, splatLike(ctx, x, ctx.floatAttr("alpha", 1.0f)),
                                           x, splatLike(ctx, x, 0.0)));
}

void importElu(NodeContext &ctx) {
  ctx.expect({"alpha"}, 1, 1);
  Value x = ctx.input(0);
  ctx.setOutput(0, positivePart(ctx, x, expMinusOne(ctx, x, ctx.floatAttr("alpha", 1.0f))));
}

void importSelu(NodeContext &ctx) {
  ctx.expect({"alpha", "gamma"}, 1, 1);
  Value x = ctx.input(0);
  Value elu = positivePart(ctx, x, expMinusOne(ctx, x, ctx.floatAttr("alpha", 1.67326319217681884765625f)));
  ctx.setOutput(0, scale(ctx, elu, ctx.floatAttr("gamma", 1.05070102214813232421875f)));
}

// max(0, x) + min(0, alpha (exp(x / alpha) - 1)).
void importCelu(NodeContext &ctx) {
  ctx.expect({"alpha"}, 1, 1);
  Value x = ctx.input(0);
  double alpha = ctx.floatAttr("alpha", 1.0f);
  ctx.setOutput(0, positivePart(ctx, x, expMinusOne(ctx, scale(ctx, x, 1.0 / alpha), alpha)));
}

// log(1 + exp(x)) = max(x, 0) + log(1 + exp(-|x|)), which neither overflows nor loses large x.
void importSoftplus(NodeContext &ctx) {
  ctx.expect({}, 1, 1);
  Value x = ctx.input(0);
  Value negAbs = minimum(ctx, x, ctx.b.create<NegOp>(ctx.loc, x));
  Value tail = ctx.b.create<LogOp>(ctx.loc, addScalar(ctx, ctx.b.create<ExpOp>(ctx.loc, negAbs), 1.0));
  ctx.setOutput(0, ctx.b.create<AddOp>(ctx.loc, ctx.b.create<ReluOp>(ctx.loc, x), tail));
}

// x / (1 + |x|).
void importSoftsign(NodeContext &ctx) {
  ctx.expect({}, 1, 1);
  Value x = ctx.input(0);
  Value abs = maximum(ctx, x, ctx.b.create<NegOp>(ctx.loc, x));
  ctx.setOutput(0, ctx.b.create<DivOp>(ctx.loc, x, addScalar(ctx, abs, 1.0)));
}

void importHardSigmoid(NodeContext &ctx) {
  ctx.expect({"alpha", "beta"}, 1, 1);
  Value x = ctx.input(0);
  Value linear = addScalar(ctx, scale(ctx, x, ctx.floatAttr("alpha", 0.2f)), ctx.floatAttr("beta", 0.5f));
  ctx.setOutput(0, clamp(ctx, linear, 0.0, 1.0));
}

// x * max(0, min(1, x / 6 + 1/2)).
void importHardSwish(NodeContext &ctx) {
  ctx.expect({}, 1, 1);
  Value x = ctx.input(0);
  Value gate = clamp(ctx, addScalar(ctx, scale(ctx, x, 1.0 / 6.0), 0.5), 0.0, 1.0);
  ctx.setOutput(0, mul(ctx, x, gate));
}

// min(max(x, lo), hi): bounds from attributes before opset 11, from optional inputs after.
void importClip(NodeContext &ctx) {
  Value x = ctx.input(0);
  auto type = ctx.inputType(0);
  const double inf = std::numeric_limits<float>::infinity();
  Value lo, hi;
  if (ctx.opset < 11) {
    ctx.expect({"min", "max"}, 1, 1);
    if (ctx.attr("min"))
      lo = splatLike(ctx, x, ctx.floatAttr("min", -inf));
    if (ctx.attr("max"))
      hi = splatLike(ctx, x, ctx.floatAttr("max", inf));
  } else {
    ctx.expect({}, 1, 3);
    for (size_t i : {1, 2}) {
      if (!ctx.hasInput(i))
        continue;
      if (ctx.inputType(i).getRank() != 0)
        ctx.fail("bound " + std::to_string(i) + " must be a scalar");
      (i == 1 ? lo : hi) = broadcastToShape(ctx, ctx.input(i), type);
    }
  }
  if (lo)
    x = maximum(ctx, x, lo);
  if (hi)
    x = minimum(ctx, x, hi);
  ctx.setOutput(0, x);
}

} // namespace

void mlc::onnx_import::registerActivationOps(llvm::StringMap<OpConverter> &table) {
  table["LeakyRelu"] = importLeakyRelu;
  table["PRelu"] = importPRelu;
  table["ThresholdedRelu"] = importThresholdedRelu;
  table["Elu"] = importElu;
  table["Selu"] = importSelu;
  table["Celu"] = importCelu;
  table["Softplus"] = importSoftplus;
  table["Softsign"] = importSoftsign;
  table["HardSigmoid"] = importHardSigmoid;
  table["HardSwish"] = importHardSwish;
  table["Clip"] = importClip;
}
