// ONNX's optimizer ops (domain ai.onnx.preview.training: Adagrad, Momentum, Adam) -> one update
// step built by mlc's own update rules (MlcUpdateRules.h), so that the ONNX backend tests check
// the rules @train_step uses. ONNX's conventions (a 0-based step count T, no bias correction and
// an undamped gradient at T = 0, learning-rate decay by T) become the rules' coefficients here.
#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"
#include "dialects/Mlc/MlcUpdateRules.h"
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

/// The inputs every optimizer op shares: learning rate R, step count T, and per tensor X, G and
/// `slots` state tensors.
struct UpdateOperands {
  OpBuilder &b;
  Location loc;
  Value lr, step; // rank-0 f32
  SmallVector<Value> params, grads;
  SmallVector<SmallVector<Value>> state; // [slot][tensor]

  Value scalar(double v) const { return makeSplat(b, loc, RankedTensorType::get({}, b.getF32Type()), v); }
  /// `on_true` when T > 0, else `on_false` (rank 0).
  Value afterFirstStep(Value onTrue, Value onFalse) const {
    return b.create<WhereGtOp>(loc, step, scalar(0.0), onTrue, onFalse);
  }
};

UpdateOperands readOperands(NodeContext &ctx, int slots) {
  if (ctx.inTrainingView())
    ctx.fail("an optimizer op cannot be part of a model that mlc trains (mlc compile adds the "
             "optimizer itself; use --optimizer)");
  size_t n = ctx.numInputs();
  size_t per = 2 + slots;
  if (n < 2 + per || (n - 2) % per != 0)
    ctx.fail("expected R, T and " + std::to_string(per) + " tensors per optimized tensor, got " +
             std::to_string(n) + " inputs");
  size_t count = (n - 2) / per;
  if (static_cast<size_t>(ctx.node.output_size()) != count * (1 + slots))
    ctx.fail("expected " + std::to_string(count * (1 + slots)) + " outputs, got " +
             std::to_string(ctx.node.output_size()));
  UpdateOperands ops{ctx.b, ctx.loc, ctx.input(0), Value(), {}, {}, {}};
  Value t = ctx.indexInput(1);
  auto tType = cast<RankedTensorType>(t.getType());
  if (ctx.inputType(0).getRank() != 0 || tType.getRank() != 0)
    ctx.fail("R and T must be scalars");
  ops.step = ctx.b.create<ToFloatOp>(ctx.loc, RankedTensorType::get({}, ctx.b.getF32Type()), t);
  ops.state.resize(slots);
  for (size_t k = 0; k < count; ++k) {
    auto type = ctx.inputType(2 + k);
    for (int s = -1; s <= slots; ++s)
      if (ctx.inputType(2 + (1 + s) * count + k) != type)
        ctx.fail("input '" + ctx.node.input(2 + (1 + s) * count + k) + "' must have the type of '" +
                 ctx.node.input(2 + k) + "'");
    ops.params.push_back(ctx.input(2 + k));
    ops.grads.push_back(ctx.input(2 + count + k));
    for (int s = 0; s < slots; ++s)
      ops.state[s].push_back(ctx.input(2 + (2 + s) * count + k));
  }
  return ops;
}

/// Sets outputs: new tensors first, then each slot's new state, from per-tensor rule results.
void setOutputs(NodeContext &ctx, ArrayRef<SmallVector<Value, 3>> updated) {
  size_t count = updated.size();
  for (size_t k = 0; k < count; ++k)
    for (size_t s = 0; s < updated[k].size(); ++s)
      ctx.setOutput(s * count + k, updated[k][s]);
}

/// The gradient plus norm_coefficient * X (ONNX's L2 term), or the gradient when it is 0.
Value regularized(NodeContext &ctx, const UpdateOperands &ops, size_t k) {
  float norm = ctx.floatAttr("norm_coefficient", 0.0f);
  return update::regularize(ctx.b, ctx.loc, ops.params[k], ops.grads[k], norm != 0.0f ? ops.scalar(norm) : Value());
}

// X' = X - R / (1 + T decay_factor) * G' / (sqrt(H') + eps), H' = H + G'^2.
void importAdagrad(NodeContext &ctx) {
  ctx.expect({"decay_factor", "epsilon", "norm_coefficient"}, 5, 1 << 20);
  UpdateOperands ops = readOperands(ctx, 1);
  OpBuilder &b = ctx.b;
  Value decay = b.create<MulOp>(ctx.loc, ops.step, ops.scalar(ctx.floatAttr("decay_factor", 0.0f)));
  update::AdagradCoefficients c{b.create<DivOp>(ctx.loc, ops.lr, b.create<AddOp>(ctx.loc, ops.scalar(1.0), decay)),
                                ops.scalar(ctx.floatAttr("epsilon", 1e-6f))};
  SmallVector<SmallVector<Value, 3>> updated;
  for (size_t k = 0; k < ops.params.size(); ++k) {
    auto r = update::adagrad(b, ctx.loc, c, ops.params[k], regularized(ctx, ops, k), ops.state[0][k]);
    updated.push_back({r[0], r[1]});
  }
  setOutputs(ctx, updated);
}

// V' = alpha V + beta' G' (beta' = 1 at T = 0); X' = X - R V' (standard) or
// X' = X - R (G' + alpha V') (nesterov).
void importMomentum(NodeContext &ctx) {
  ctx.expect({"alpha", "beta", "mode", "norm_coefficient"}, 5, 1 << 20);
  for (const char *name : {"alpha", "beta", "mode", "norm_coefficient"})
    if (!ctx.attr(name))
      ctx.fail(std::string("attribute '") + name + "' is required");
  std::string mode = ctx.attr("mode")->s();
  if (mode != "standard" && mode != "nesterov")
    ctx.fail("mode '" + mode + "' is not supported (standard, nesterov)");
  UpdateOperands ops = readOperands(ctx, 1);
  update::MomentumCoefficients c{ops.lr, ops.scalar(ctx.floatAttr("alpha", 0.0f)),
                                 ops.afterFirstStep(ops.scalar(ctx.floatAttr("beta", 0.0f)), ops.scalar(1.0)),
                                 mode == "nesterov"};
  SmallVector<SmallVector<Value, 3>> updated;
  for (size_t k = 0; k < ops.params.size(); ++k) {
    auto r = update::momentum(ctx.b, ctx.loc, c, ops.params[k], regularized(ctx, ops, k), ops.state[0][k]);
    updated.push_back({r[0], r[1]});
  }
  setOutputs(ctx, updated);
}

// V' = alpha V + (1 - alpha) G'; H' = beta H + (1 - beta) G'^2;
// X' = X - R' V' / (sqrt(H') + eps) with R' = R sqrt(1 - beta^T) / (1 - alpha^T) when T > 0,
// else R; then X' *= 1 - norm_coefficient_post.
void importAdam(NodeContext &ctx) {
  ctx.expect({"alpha", "beta", "epsilon", "norm_coefficient", "norm_coefficient_post"}, 6, 1 << 20);
  UpdateOperands ops = readOperands(ctx, 2);
  OpBuilder &b = ctx.b;
  Location loc = ctx.loc;
  Value alpha = ops.scalar(ctx.floatAttr("alpha", 0.9f)), beta = ops.scalar(ctx.floatAttr("beta", 0.999f));
  Value one = ops.scalar(1.0);
  Value c1 = b.create<SubOp>(loc, one, b.create<PowOp>(loc, alpha, ops.step));
  Value c2 = b.create<SubOp>(loc, one, b.create<PowOp>(loc, beta, ops.step));
  Value corrected = b.create<DivOp>(loc, b.create<MulOp>(loc, ops.lr, b.create<SqrtOp>(loc, c2)), c1);
  update::AdamCoefficients c{ops.afterFirstStep(corrected, ops.lr), alpha, beta,
                             ops.scalar(ctx.floatAttr("epsilon", 1e-6f)), Value()};
  float post = ctx.floatAttr("norm_coefficient_post", 0.0f);
  Value keep = post != 0.0f ? ops.scalar(1.0 - post) : Value();
  SmallVector<SmallVector<Value, 3>> updated;
  for (size_t k = 0; k < ops.params.size(); ++k) {
    auto r = update::adam(b, loc, c, ops.params[k], regularized(ctx, ops, k), ops.state[0][k], ops.state[1][k]);
    updated.push_back({update::scaleParam(b, loc, r[0], keep), r[1], r[2]});
  }
  setOutputs(ctx, updated);
}

} // namespace

void mlc::onnx_import::registerTrainingOps(llvm::StringMap<OpConverter> &table) {
  table[kTrainingDomain + "/Adagrad"] = importAdagrad;
  table[kTrainingDomain + "/Momentum"] = importMomentum;
  table[kTrainingDomain + "/Adam"] = importAdam;
}
