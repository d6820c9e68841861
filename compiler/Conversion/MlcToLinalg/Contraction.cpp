// Lowering of mlc.matmul to named linalg matmuls. A transposed right-hand side is materialized
// (linalg.transpose) so that the GEMM's inner loop streams contiguous rows of B: an [N, K] operand
// read along N would be a strided gather in every iteration of the register kernel. When that
// operand is the large one (a dense layer's weight against a small batch), the product is computed
// transposed instead, from the transposed small operand: (rhs x lhs^T)^T. A batch of products
// (3-D operands) lowers alike to the batched named ops.
#include "compiler/Conversion/MlcToLinalg/Patterns.h"
#include "dialects/Mlc/MlcOpGroups.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlc;

namespace {

struct MatmulLowering : public OpRewritePattern<MatmulOp> {
  MatmulLowering(MLIRContext *ctx, bool transposedProducts)
      : OpRewritePattern(ctx), transposedProducts(transposedProducts) {}
  bool transposedProducts;
  LogicalResult matchAndRewrite(MatmulOp op, PatternRewriter &rewriter) const override {
    auto type = op.getResult().getType();
    Location loc = op.getLoc();
    bool batch = type.getRank() == 3;
    if (!batch && transposedProducts && op.getTransposeRhs() && !op.getTransposeLhs() &&
        transposesLessAsProductOfTransposes(op)) {
      // lhs x rhs^T = (rhs x lhs^T)^T: transposing the small lhs and the small product costs
      // less than the large rhs (a dense layer's [1024, 3136] weight against a batch of 64).
      Value lhsT = transpose(rewriter, loc, op.getLhs());
      auto productType = RankedTensorType::get({type.getDimSize(1), type.getDimSize(0)}, type.getElementType());
      Value init = makeFilled(rewriter, loc, productType, 0.0);
      auto mm = rewriter.create<linalg::MatmulOp>(loc, ValueRange{op.getRhs(), lhsT}, init);
      if (Attribute g = op->getAttr(group::kAttr))
        mm->setAttr(group::kAttr, g);
      rewriter.replaceOp(op, transpose(rewriter, loc, mm.getResult(0)));
      return success();
    }
    Value init = makeFilled(rewriter, loc, type, 0.0);
    Value rhs = op.getRhs();
    if (op.getTransposeRhs())
      rhs = transpose(rewriter, loc, rhs);
    ValueRange ins{op.getLhs(), rhs};
    Operation *mm = batch ? (op.getTransposeLhs()
                                 ? rewriter.create<linalg::BatchMatmulTransposeAOp>(loc, ins, init).getOperation()
                                 : rewriter.create<linalg::BatchMatmulOp>(loc, ins, init).getOperation())
                          : (op.getTransposeLhs()
                                 ? rewriter.create<linalg::MatmulTransposeAOp>(loc, ins, init).getOperation()
                                 : rewriter.create<linalg::MatmulOp>(loc, ins, init).getOperation());
    // What the product is for (a convolution's forward or gradient), for reports and profiles.
    if (Attribute g = op->getAttr(group::kAttr))
      mm->setAttr(group::kAttr, g);
    rewriter.replaceOp(op, mm->getResults());
    return success();
  }

  /// For lhs [M, K] x rhs [N, K]^T: whether transposing lhs and the [N, M] product (M K + M N
  /// elements) moves less than transposing rhs (N K).
  static bool transposesLessAsProductOfTransposes(MatmulOp op) {
    auto lhs = cast<RankedTensorType>(op.getLhs().getType());
    auto rhs = cast<RankedTensorType>(op.getRhs().getType());
    int64_t m = lhs.getDimSize(0), k = lhs.getDimSize(1), n = rhs.getDimSize(0);
    return m * k + m * n < n * k;
  }

  /// `v` with its last two dimensions swapped (each matrix of a batch transposed).
  static Value transpose(OpBuilder &b, Location loc, Value v) {
    auto type = cast<RankedTensorType>(v.getType());
    int64_t rank = type.getRank();
    SmallVector<int64_t> perm = llvm::to_vector(llvm::seq<int64_t>(0, rank));
    std::swap(perm[rank - 2], perm[rank - 1]);
    SmallVector<int64_t> shape(type.getShape());
    std::swap(shape[rank - 2], shape[rank - 1]);
    auto transposed = RankedTensorType::get(shape, type.getElementType());
    return b.create<linalg::TransposeOp>(loc, v, makeEmpty(b, loc, transposed), perm).getResult()[0];
  }
};

} // namespace

void mlc::populateContractionPatterns(RewritePatternSet &patterns, bool transposedProducts) {
  patterns.add<MatmulLowering>(patterns.getContext(), transposedProducts);
}
