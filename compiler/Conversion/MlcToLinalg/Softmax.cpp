// Lowering of softmax, log_softmax and softmax_cross_entropy to stable max/exp/sum generics.
#include "compiler/Conversion/MlcToLinalg/Patterns.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <limits>

using namespace mlir;
using namespace mlc;

namespace {

/// Builds the pieces of a softmax along one axis of `x`.
struct AxisReducer {
  OpBuilder &b;
  Location loc;
  Value x;
  int64_t axis;

  RankedTensorType type() const { return cast<RankedTensorType>(x.getType()); }
  int64_t rank() const { return type().getRank(); }
  AffineMap full() const { return b.getMultiDimIdentityMap(rank()); }
  AffineMap reduced() const { return projectionMap(b.getContext(), rank(), {axis}); }
  RankedTensorType reducedType() const {
    SmallVector<int64_t> shape(type().getShape());
    shape.erase(shape.begin() + axis);
    return RankedTensorType::get(shape, type().getElementType());
  }

  /// max over the axis.
  Value max() {
    double lowest = -std::numeric_limits<double>::infinity();
    return b
        .create<linalg::GenericOp>(
            loc, reducedType(), x, makeFilled(b, loc, reducedType(), lowest),
            SmallVector<AffineMap>{full(), reduced()}, iterators(rank(), {axis}),
            [](OpBuilder &nb, Location l, ValueRange a) {
              nb.create<linalg::YieldOp>(l, nb.create<arith::MaximumFOp>(l, a[0], a[1]).getResult());
            })
        .getResult(0);
  }

  /// sum over the axis of exp(x - max).
  Value sumExp(Value mx) {
    return b
        .create<linalg::GenericOp>(
            loc, reducedType(), ValueRange{x, mx}, makeFilled(b, loc, reducedType(), 0.0),
            SmallVector<AffineMap>{full(), reduced(), reduced()}, iterators(rank(), {axis}),
            [](OpBuilder &nb, Location l, ValueRange a) {
              Value e = nb.create<math::ExpOp>(l, nb.create<arith::SubFOp>(l, a[0], a[1]));
              nb.create<linalg::YieldOp>(l, nb.create<arith::AddFOp>(l, a[2], e).getResult());
            })
        .getResult(0);
  }

  /// An elementwise generic over x's shape reading x, max and sum.
  Value normalize(Value mx, Value sum, bool logarithmic) {
    return b
        .create<linalg::GenericOp>(
            loc, type(), ValueRange{x, mx, sum}, makeEmpty(b, loc, type()),
            SmallVector<AffineMap>{full(), reduced(), reduced(), full()}, iterators(rank()),
            [&](OpBuilder &nb, Location l, ValueRange a) {
              Value shifted = nb.create<arith::SubFOp>(l, a[0], a[1]);
              Value r = logarithmic
                            ? nb.create<arith::SubFOp>(l, shifted, nb.create<math::LogOp>(l, a[2]))
                                  .getResult()
                            : nb.create<arith::DivFOp>(l, nb.create<math::ExpOp>(l, shifted), a[2])
                                  .getResult();
              nb.create<linalg::YieldOp>(l, r);
            })
        .getResult(0);
  }
};

template <typename OpT, bool logarithmic>
struct SoftmaxLowering : public OpRewritePattern<OpT> {
  using OpRewritePattern<OpT>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpT op, PatternRewriter &rewriter) const override {
    AxisReducer r{rewriter, op.getLoc(), op.getInput(), static_cast<int64_t>(op.getAxis())};
    Value mx = r.max();
    rewriter.replaceOp(op, r.normalize(mx, r.sumExp(mx), logarithmic));
    return success();
  }
};

// loss = (1/N) sum_n [log(sum_c exp(x[n,c] - max_n)) + max_n - x[n, label_n]]. The picked logit is
// accumulated in the same pass over classes as the sum of exponentials (no gather).
struct SoftmaxCrossEntropyLowering : public OpRewritePattern<SoftmaxCrossEntropyOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SoftmaxCrossEntropyOp op, PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = op.getLogits();
    AxisReducer r{rewriter, loc, x, 1};
    Value mx = r.max();
    auto rowType = r.reducedType();
    Type elt = rowType.getElementType();
    MLIRContext *ctx = op.getContext();
    AffineExpr n, c;
    bindDims(ctx, n, c);
    auto rowMap = AffineMap::get(2, 0, {n}, ctx);
    auto perRow = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{rowType, rowType}, ValueRange{x, mx, op.getLabels()},
        ValueRange{makeFilled(rewriter, loc, rowType, 0.0), makeFilled(rewriter, loc, rowType, 0.0)},
        SmallVector<AffineMap>{r.full(), rowMap, rowMap, rowMap, rowMap}, iterators(2, {1}),
        [&](OpBuilder &b, Location l, ValueRange a) {
          Value e = b.create<math::ExpOp>(l, b.create<arith::SubFOp>(l, a[0], a[1]));
          Value sum = b.create<arith::AddFOp>(l, a[3], e);
          Value cls = b.create<linalg::IndexOp>(l, 1);
          Value label = b.create<arith::IndexCastOp>(l, b.getIndexType(), a[2]);
          Value hit = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, cls, label);
          Value picked = b.create<arith::SelectOp>(l, hit, a[0], a[4]);
          b.create<linalg::YieldOp>(l, ValueRange{sum, picked});
        });
    auto scalarType = RankedTensorType::get({}, elt);
    double invN = 1.0 / static_cast<double>(rowType.getDimSize(0));
    auto toScalar = AffineMap::get(1, 0, {}, ctx);
    auto id1 = rewriter.getMultiDimIdentityMap(1);
    auto mean = rewriter.create<linalg::GenericOp>(
        loc, scalarType, ValueRange{perRow.getResult(0), mx, perRow.getResult(1)},
        makeFilled(rewriter, loc, scalarType, 0.0), SmallVector<AffineMap>{id1, id1, id1, toScalar},
        iterators(1, {0}), [&](OpBuilder &b, Location l, ValueRange a) {
          Value nll = b.create<arith::SubFOp>(
              l, b.create<arith::AddFOp>(l, b.create<math::LogOp>(l, a[0]), a[1]), a[2]);
          Value scaled = b.create<arith::MulFOp>(l, nll, floatConst(b, l, elt, invN));
          b.create<linalg::YieldOp>(l, b.create<arith::AddFOp>(l, a[3], scaled).getResult());
        });
    rewriter.replaceOp(op, mean.getResults());
    return success();
  }
};

} // namespace

void mlc::populateSoftmaxPatterns(RewritePatternSet &patterns) {
  patterns.add<SoftmaxLowering<SoftmaxOp, false>, SoftmaxLowering<LogSoftmaxOp, true>,
               SoftmaxCrossEntropyLowering>(patterns.getContext());
}
