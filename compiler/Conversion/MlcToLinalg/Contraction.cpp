// Lowering of mlc.matmul to named linalg matmuls. A transposed right-hand side is materialized
// (linalg.transpose) so that the GEMM's inner loop streams contiguous rows of B: an [N, K] operand
// read along N would be a strided gather in every iteration of the register kernel.
#include "compiler/Conversion/MlcToLinalg/Patterns.h"
#include "dialects/Mlc/MlcOpGroups.h"
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
    Value rhs = op.getRhs();
    if (op.getTransposeRhs())
      rhs = transpose(rewriter, loc, rhs);
    ValueRange ins{op.getLhs(), rhs};
    Operation *mm = op.getTransposeLhs()
                        ? rewriter.create<linalg::MatmulTransposeAOp>(loc, ins, init).getOperation()
                        : rewriter.create<linalg::MatmulOp>(loc, ins, init).getOperation();
    // What the product is for (a convolution's forward or gradient), for reports and profiles.
    if (Attribute g = op->getAttr(group::kAttr))
      mm->setAttr(group::kAttr, g);
    rewriter.replaceOp(op, mm->getResults());
    return success();
  }

  static Value transpose(OpBuilder &b, Location loc, Value v) {
    auto type = cast<RankedTensorType>(v.getType());
    auto transposed = RankedTensorType::get({type.getDimSize(1), type.getDimSize(0)},
                                            type.getElementType());
    return b.create<linalg::TransposeOp>(loc, v, makeEmpty(b, loc, transposed),
                                         ArrayRef<int64_t>{1, 0})
        .getResult()[0];
  }
};

} // namespace

void mlc::populateContractionPatterns(RewritePatternSet &patterns) {
  patterns.add<MatmulLowering>(patterns.getContext());
}
