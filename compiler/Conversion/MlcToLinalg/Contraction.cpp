// Lowering of mlc.matmul to named linalg matmuls. A transposed right-hand side is materialized
// (linalg.transpose) so that the GEMM's inner loop streams contiguous rows of B: an [N, K] operand
// read along N would be a strided gather in every iteration of the register kernel. When that
// operand is the large one (a dense layer's weight against a small batch), the product is computed
// transposed instead, from the transposed small operand: (rhs x lhs^T)^T. A batch of products
// (3-D operands) lowers alike to the batched named ops. On the CPU a weight gradient's long
// contraction is split into slices, a batch of products summed after (see splitContraction).
#include "compiler/Conversion/MlcToLinalg/Patterns.h"
#include "dialects/Mlc/MlcOpGroups.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlc;

namespace {

/// Slices of a split contraction: as many as the schedule's default thread chunks.
constexpr int64_t kContractionSlices = 8;
/// A slice of at least this many steps of the contraction (shorter ones are not worth a
/// product of their own).
constexpr int64_t kMinSliceDepth = 256;
/// The partial products of all slices together stay within this many elements (16 MB of f32).
constexpr int64_t kMaxPartialElements = 4 << 20;

struct MatmulLowering : public OpRewritePattern<MatmulOp> {
  MatmulLowering(MLIRContext *ctx, bool transposedProducts, bool splitLongProducts)
      : OpRewritePattern(ctx), transposedProducts(transposedProducts), splitLongProducts(splitLongProducts) {}
  bool transposedProducts;
  bool splitLongProducts;
  LogicalResult matchAndRewrite(MatmulOp op, PatternRewriter &rewriter) const override {
    auto type = op.getResult().getType();
    Location loc = op.getLoc();
    bool batch = type.getRank() == 3;
    if (!batch && splitLongProducts && op.getTransposeLhs() && !op.getTransposeRhs())
      if (Value sum = splitContraction(rewriter, op))
        return rewriter.replaceOp(op, sum), success();
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

  /// lhs [K, M]^T x rhs [K, N] with K long against M + N (a convolution's weight gradient: K is
  /// every output pixel of the batch) as S products over slices of K, [S, K/S, M]^T x [S, K/S, N],
  /// summed over S; or a null value where that does not apply. Unsplit, threads would split N
  /// (or M) and each chunk would stream all of lhs (or rhs) again: the two-conv CNN's
  /// [12544, 64]^T x [12544, 800] read its 3.2 MB lhs 25 times. Each slice reads its share of
  /// both operands once; the sum reads S small products.
  static Value splitContraction(PatternRewriter &rewriter, MatmulOp op) {
    auto type = op.getResult().getType();
    auto lhsType = cast<RankedTensorType>(op.getLhs().getType());
    auto rhsType = cast<RankedTensorType>(op.getRhs().getType());
    int64_t k = lhsType.getDimSize(0), m = type.getDimSize(0), n = type.getDimSize(1);
    int64_t slices = kContractionSlices;
    if (k % slices != 0 || k / slices < kMinSliceDepth || k < 4 * (m + n) || slices * m * n > kMaxPartialElements)
      return {};
    Location loc = op.getLoc();
    Type elt = type.getElementType();
    auto sliced = [&](Value v, RankedTensorType t) -> Value {
      auto slicedType = RankedTensorType::get({slices, k / slices, t.getDimSize(1)}, elt);
      return rewriter.create<tensor::ExpandShapeOp>(loc, slicedType, v, ArrayRef<ReassociationIndices>{{0, 1}, {2}});
    };
    auto partialType = RankedTensorType::get({slices, m, n}, elt);
    // Each slice of lhs stays as it is, [S, K/S, M]: the register kernel broadcasts a row of
    // 8 elements of lhs per step straight from memory. Transposing it first cost the two-conv
    // CNN 5.9 ms of a 53 ms step (its [12544, 800] windows), more than the transposed read
    // costs the product with the schedule's deeper panels for it.
    Value lhs = sliced(op.getLhs(), lhsType);
    auto partial = rewriter.create<linalg::BatchMatmulTransposeAOp>(
        loc, ValueRange{lhs, sliced(op.getRhs(), rhsType)}, makeFilled(rewriter, loc, partialType, 0.0));
    MLIRContext *ctx = rewriter.getContext();
    SmallVector<AffineMap> maps{AffineMap::getMultiDimIdentityMap(3, ctx), projectionMap(ctx, 3, {0})};
    auto sum = rewriter.create<linalg::GenericOp>(
        loc, TypeRange{type}, ValueRange{partial.getResult(0)}, ValueRange{makeFilled(rewriter, loc, type, 0.0)}, maps,
        iterators(3, {0}), [](OpBuilder &b, Location l, ValueRange args) {
          b.create<linalg::YieldOp>(l, ValueRange{b.create<arith::AddFOp>(l, args[0], args[1]).getResult()});
        });
    // Both are the product's work (the sum is S times smaller), for reports and profiles.
    if (Attribute g = op->getAttr(group::kAttr)) {
      partial->setAttr(group::kAttr, g);
      sum->setAttr(group::kAttr, g);
    }
    return sum.getResult(0);
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

void mlc::populateContractionPatterns(RewritePatternSet &patterns, bool transposedProducts,
                                      bool splitLongProducts) {
  patterns.add<MatmulLowering>(patterns.getContext(), transposedProducts, splitLongProducts);
}
