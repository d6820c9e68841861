// Optimizer update rules built from mlc elementwise ops (see MlcUpdateRules.h).
#include "dialects/Mlc/MlcUpdateRules.h"

#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"

using namespace mlir;

namespace mlc::update {
namespace {

/// A rank-0 coefficient broadcast to the shape of `like`.
Value spread(OpBuilder &b, Location loc, Value scalar, Value like) {
  return broadcastTo(b, loc, scalar, cast<RankedTensorType>(like.getType()), {});
}

/// `coef * x` with the rank-0 `coef` broadcast; `x` when `coef` is null.
Value scaled(OpBuilder &b, Location loc, Value coef, Value x) {
  return coef ? b.create<MulOp>(loc, spread(b, loc, coef, x), x).getResult() : x;
}

/// `1 - coef` on the rank-0 coefficient (computed once, not per element).
Value oneMinus(OpBuilder &b, Location loc, Value coef) {
  return b.create<SubOp>(loc, makeSplatLike(b, loc, coef, 1.0), coef);
}

/// `decay * state + (1 - decay) * x`: an exponential moving average.
Value movingAverage(OpBuilder &b, Location loc, Value decay, Value state, Value x) {
  return b.create<AddOp>(loc, scaled(b, loc, decay, state), scaled(b, loc, oneMinus(b, loc, decay), x));
}

} // namespace

Value regularize(OpBuilder &b, Location loc, Value p, Value g, Value weightDecay) {
  return weightDecay ? b.create<AddOp>(loc, g, scaled(b, loc, weightDecay, p)).getResult() : g;
}

Value scaleParam(OpBuilder &b, Location loc, Value p, Value scale) { return scaled(b, loc, scale, p); }

Value sgd(OpBuilder &b, Location loc, Value lr, Value p, Value g) {
  return b.create<SubOp>(loc, p, scaled(b, loc, lr, g));
}

SmallVector<Value, 2> momentum(OpBuilder &b, Location loc, const MomentumCoefficients &c, Value p,
                               Value g, Value v) {
  Value newV = b.create<AddOp>(loc, scaled(b, loc, c.momentum, v), scaled(b, loc, c.gradScale, g));
  Value direction = c.nesterov ? b.create<AddOp>(loc, g, scaled(b, loc, c.momentum, newV)).getResult() : newV;
  return {sgd(b, loc, c.lr, p, direction), newV};
}

SmallVector<Value, 2> adagrad(OpBuilder &b, Location loc, const AdagradCoefficients &c, Value p,
                              Value g, Value h) {
  Value newH = b.create<AddOp>(loc, h, b.create<MulOp>(loc, g, g));
  Value denom = b.create<AddOp>(loc, b.create<SqrtOp>(loc, newH), spread(b, loc, c.epsilon, p));
  return {sgd(b, loc, c.lr, p, b.create<DivOp>(loc, g, denom)), newH};
}

SmallVector<Value, 2> rmsprop(OpBuilder &b, Location loc, const RMSpropCoefficients &c, Value p,
                              Value g, Value v) {
  Value newV = movingAverage(b, loc, c.alpha, v, b.create<MulOp>(loc, g, g));
  Value denom = b.create<AddOp>(loc, b.create<SqrtOp>(loc, newV), spread(b, loc, c.epsilon, p));
  return {sgd(b, loc, c.lr, p, b.create<DivOp>(loc, g, denom)), newV};
}

SmallVector<Value, 3> adam(OpBuilder &b, Location loc, const AdamCoefficients &c, Value p, Value g,
                           Value m, Value v) {
  Value newM = movingAverage(b, loc, c.beta1, m, g);
  Value newV = movingAverage(b, loc, c.beta2, v, b.create<MulOp>(loc, g, g));
  Value denom = b.create<AddOp>(loc, scaled(b, loc, c.sqrtScale, b.create<SqrtOp>(loc, newV)),
                                spread(b, loc, c.epsilon, p));
  return {sgd(b, loc, c.stepSize, p, b.create<DivOp>(loc, newM, denom)), newM, newV};
}

} // namespace mlc::update
