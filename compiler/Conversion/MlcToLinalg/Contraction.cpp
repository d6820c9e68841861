// Lowering of mlc.matmul to named linalg matmuls (a generic contraction when both sides transpose).
#include "compiler/Conversion/MlcToLinalg/Patterns.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlc;

namespace {

struct MatmulLowering : public OpRewritePattern<MatmulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatmulOp op, PatternRewriter &rewriter) const override {
    auto type = op.getResult().getType();
    Location loc = op.getLoc();
    Value init = makeFilled(rewriter, loc, type, 0.0);
    ValueRange ins{op.getLhs(), op.getRhs()};
    Operation *mm;
    bool ta = op.getTransposeLhs(), tb = op.getTransposeRhs();
    if (!ta && !tb)
      mm = rewriter.create<linalg::MatmulOp>(loc, ins, init);
    else if (ta && !tb)
      mm = rewriter.create<linalg::MatmulTransposeAOp>(loc, ins, init);
    else if (!ta && tb)
      mm = rewriter.create<linalg::MatmulTransposeBOp>(loc, ins, init);
    else
      mm = buildTransposedBoth(rewriter, loc, type, op.getLhs(), op.getRhs(), init);
    rewriter.replaceOp(op, mm->getResults());
    return success();
  }

  // C[m, n] += A[k, m] * B[n, k].
  static Operation *buildTransposedBoth(OpBuilder &b, Location loc, RankedTensorType type, Value a,
                                        Value bb, Value init) {
    MLIRContext *ctx = b.getContext();
    AffineExpr m, n, k;
    bindDims(ctx, m, n, k);
    SmallVector<AffineMap> maps{AffineMap::get(3, 0, {k, m}, ctx), AffineMap::get(3, 0, {n, k}, ctx),
                                AffineMap::get(3, 0, {m, n}, ctx)};
    return b.create<linalg::GenericOp>(
        loc, type, ValueRange{a, bb}, init, maps, iterators(3, {2}),
        [](OpBuilder &nb, Location l, ValueRange args) {
          Value p = nb.create<arith::MulFOp>(l, args[0], args[1]);
          nb.create<linalg::YieldOp>(l, nb.create<arith::AddFOp>(l, args[2], p).getResult());
        });
  }
};

} // namespace

void mlc::populateContractionPatterns(RewritePatternSet &patterns) {
  patterns.add<MatmulLowering>(patterns.getContext());
}
