// Gradient transforms as mlc ops: elementwise where_gt selections and one rank-0 norm per step.
#include "compiler/Graph/GradientTransforms.h"

#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"

#include <limits>

using namespace mlir;

namespace mlc {
namespace {

Value spread(OpBuilder &b, Location loc, Value scalar, Value like) {
  return broadcastTo(b, loc, scalar, cast<RankedTensorType>(like.getType()), {});
}

/// `c > 0 ? c : otherwise` on rank-0 tensors: a disabled (zero) limit becomes `otherwise`.
Value enabledOr(OpBuilder &b, Location loc, Value c, double otherwise) {
  return b.create<WhereGtOp>(loc, c, makeSplatLike(b, loc, c, 0.0), c, makeSplatLike(b, loc, c, otherwise));
}

/// sign(p): 1, -1 or 0 (torch's abs() has gradient 0 at 0).
Value sign(OpBuilder &b, Location loc, Value p) {
  Value zero = makeSplatLike(b, loc, p, 0.0), one = makeSplatLike(b, loc, p, 1.0);
  Value minusOne = makeSplatLike(b, loc, p, -1.0);
  return b.create<WhereGtOp>(loc, p, zero, one, b.create<WhereGtOp>(loc, zero, p, minusOne, zero));
}

/// The sum of squares of every element of `g`, rank 0.
Value sumOfSquares(OpBuilder &b, Location loc, Value g) {
  auto type = cast<RankedTensorType>(g.getType());
  SmallVector<int64_t> dims;
  for (int64_t d = 0; d < type.getRank(); ++d)
    dims.push_back(d);
  Value squares = b.create<MulOp>(loc, g, g);
  return dims.empty() ? squares : reduceSum(b, loc, squares, dims, /*keepDims=*/false);
}

} // namespace

bool isRegularizedByDefault(Type paramType) {
  auto type = dyn_cast<RankedTensorType>(paramType);
  return type && type.getRank() >= 2;
}

SmallVector<Value> transformGradients(OpBuilder &b, Location loc, ValueRange params, ValueRange grads,
                                      ArrayRef<bool> regularized, const GradientTransforms &t) {
  SmallVector<Value> out(grads.begin(), grads.end());
  if (t.l1) {
    for (size_t i = 0; i < out.size(); ++i)
      if (regularized[i])
        out[i] = b.create<AddOp>(loc, out[i], b.create<MulOp>(loc, spread(b, loc, t.l1, out[i]),
                                                               sign(b, loc, params[i])));
  }
  if (t.clipValue) {
    // A disabled clip is +inf: no element compares above it.
    Value c = enabledOr(b, loc, t.clipValue, std::numeric_limits<double>::infinity());
    Value minusC = b.create<NegOp>(loc, c);
    for (Value &g : out) {
      Value hi = spread(b, loc, c, g), lo = spread(b, loc, minusC, g);
      g = b.create<WhereGtOp>(loc, g, hi, hi, b.create<WhereGtOp>(loc, lo, g, lo, g));
    }
  }
  if (t.clipNorm && !out.empty()) {
    Value total = sumOfSquares(b, loc, out[0]);
    for (size_t i = 1; i < out.size(); ++i)
      total = b.create<AddOp>(loc, total, sumOfSquares(b, loc, out[i]));
    Value norm = b.create<SqrtOp>(loc, total);
    Value one = makeSplatLike(b, loc, norm, 1.0);
    // torch: clip_coef = max_norm / (total_norm + 1e-6), clamped to 1. A disabled clip (+inf) gives
    // +inf, clamped to 1 as well.
    Value limit = enabledOr(b, loc, t.clipNorm, std::numeric_limits<double>::infinity());
    Value coef = b.create<DivOp>(loc, limit, b.create<AddOp>(loc, norm, makeSplatLike(b, loc, norm, 1e-6)));
    Value scale = b.create<WhereGtOp>(loc, coef, one, one, coef);
    for (Value &g : out)
      g = b.create<MulOp>(loc, spread(b, loc, scale, g), g);
  }
  return out;
}

} // namespace mlc
