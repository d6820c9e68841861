// Lowering of the elementwise mlc ops to linalg.generic with scalar arith/math payloads.
#include "compiler/Conversion/MlcToLinalg/Patterns.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlc;

namespace {

using Payload = Value (*)(OpBuilder &, Location, ValueRange);

/// Any same-shape elementwise op: one generic over the full iteration space with identity maps.
template <typename OpT, Payload payload>
struct ElementwiseLowering : public OpRewritePattern<OpT> {
  using OpRewritePattern<OpT>::OpRewritePattern;
  LogicalResult matchAndRewrite(OpT op, PatternRewriter &rewriter) const override {
    auto type = cast<RankedTensorType>(op->getResult(0).getType());
    Location loc = op.getLoc();
    int64_t rank = type.getRank();
    SmallVector<AffineMap> maps(op->getNumOperands() + 1,
                                rewriter.getMultiDimIdentityMap(rank));
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, type, op->getOperands(), makeEmpty(rewriter, loc, type), maps, iterators(rank),
        [&](OpBuilder &b, Location l, ValueRange args) {
          b.create<linalg::YieldOp>(l, payload(b, l, args.drop_back()));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

Value negPayload(OpBuilder &b, Location l, ValueRange a) { return b.create<arith::NegFOp>(l, a[0]); }
Value expPayload(OpBuilder &b, Location l, ValueRange a) { return b.create<math::ExpOp>(l, a[0]); }
Value logPayload(OpBuilder &b, Location l, ValueRange a) { return b.create<math::LogOp>(l, a[0]); }
Value sqrtPayload(OpBuilder &b, Location l, ValueRange a) { return b.create<math::SqrtOp>(l, a[0]); }
Value tanhPayload(OpBuilder &b, Location l, ValueRange a) { return b.create<math::TanhOp>(l, a[0]); }
Value erfPayload(OpBuilder &b, Location l, ValueRange a) { return b.create<math::ErfOp>(l, a[0]); }
Value reluPayload(OpBuilder &b, Location l, ValueRange a) {
  return b.create<arith::MaximumFOp>(l, a[0], floatConst(b, l, a[0].getType(), 0.0));
}
Value sigmoidPayload(OpBuilder &b, Location l, ValueRange a) {
  Type t = a[0].getType();
  Value e = b.create<math::ExpOp>(l, b.create<arith::NegFOp>(l, a[0]));
  Value one = floatConst(b, l, t, 1.0);
  return b.create<arith::DivFOp>(l, one, b.create<arith::AddFOp>(l, one, e));
}
Value addPayload(OpBuilder &b, Location l, ValueRange a) { return b.create<arith::AddFOp>(l, a[0], a[1]); }
Value subPayload(OpBuilder &b, Location l, ValueRange a) { return b.create<arith::SubFOp>(l, a[0], a[1]); }
Value mulPayload(OpBuilder &b, Location l, ValueRange a) { return b.create<arith::MulFOp>(l, a[0], a[1]); }
Value divPayload(OpBuilder &b, Location l, ValueRange a) { return b.create<arith::DivFOp>(l, a[0], a[1]); }
Value powPayload(OpBuilder &b, Location l, ValueRange a) { return b.create<math::PowFOp>(l, a[0], a[1]); }
Value reluGradPayload(OpBuilder &b, Location l, ValueRange a) {
  Value zero = floatConst(b, l, a[0].getType(), 0.0);
  Value positive = b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT, a[0], zero);
  return b.create<arith::SelectOp>(l, positive, a[1], zero);
}
Value whereGtPayload(OpBuilder &b, Location l, ValueRange a) {
  Value greater = b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGT, a[0], a[1]);
  return b.create<arith::SelectOp>(l, greater, a[2], a[3]);
}

} // namespace

void mlc::populateElementwisePatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ElementwiseLowering<NegOp, negPayload>, ElementwiseLowering<ExpOp, expPayload>,
               ElementwiseLowering<LogOp, logPayload>, ElementwiseLowering<SqrtOp, sqrtPayload>,
               ElementwiseLowering<ErfOp, erfPayload>,
               ElementwiseLowering<TanhOp, tanhPayload>, ElementwiseLowering<ReluOp, reluPayload>,
               ElementwiseLowering<SigmoidOp, sigmoidPayload>,
               ElementwiseLowering<AddOp, addPayload>, ElementwiseLowering<SubOp, subPayload>,
               ElementwiseLowering<MulOp, mulPayload>, ElementwiseLowering<DivOp, divPayload>,
               ElementwiseLowering<PowOp, powPayload>,
               ElementwiseLowering<ReluGradOp, reluGradPayload>,
               ElementwiseLowering<WhereGtOp, whereGtPayload>>(ctx);
}
