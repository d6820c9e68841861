// mlc-cpu-lower-vectors: keep accumulators in registers and lower vector ops towards LLVM's.
#include "compiler/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Hoisting.h"
#include "mlir/Dialect/Math/Transforms/Approximation.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/MemRef/Utils/MemRefUtils.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace mlc {
#define GEN_PASS_DEF_CPULOWERVECTORS
#include "compiler/Codegen/CPU/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

/// A vector.multi_reduction of a whole vector to one value (a row's sum, one channel's batch-norm
/// statistics over a [7, 28] tile): the rows are combined with vector operations and the last
/// row with one reassociable vector.reduction (a tree of shuffles in LLVM). The inner-parallel
/// lowering, right for reductions over outer dimensions, transposes such a vector into a
/// column and combines it element by element: an extract, an insert and an add per element,
/// which made MobileNetV2's per-channel sums a third of its step.
struct ReduceWholeVector : public OpRewritePattern<vector::MultiDimReductionOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::MultiDimReductionOp op, PatternRewriter &rewriter) const override {
    VectorType type = op.getSourceVectorType();
    if (!isa<FloatType>(type.getElementType()) || op->getParentOfType<vector::MaskOp>())
      return failure();
    SmallVector<bool> reduced = op.getReductionMask();
    ArrayRef<int64_t> shape = type.getShape();
    for (auto [size, isReduced] : llvm::zip(shape, reduced))
      if (size != 1 && !isReduced)
        return failure();
    if (type.getNumElements() < 2 || type.isScalable())
      return failure();
    Location loc = op.getLoc();
    auto reassoc = arith::FastMathFlagsAttr::get(getContext(), arith::FastMathFlags::reassoc);
    // Combine the rows (every position of the outer dimensions) elementwise.
    int64_t rank = type.getRank();
    SmallVector<int64_t> position(rank - 1, 0);
    Value rows;
    while (true) {
      Value row = op.getSource();
      if (rank > 1)
        row = rewriter.create<vector::ExtractOp>(loc, op.getSource(), position);
      rows = rows ? vector::makeArithReduction(rewriter, loc, op.getKind(), row, rows, reassoc) : row;
      int64_t d = rank - 2;
      while (d >= 0 && ++position[d] == shape[d])
        position[d--] = 0;
      if (d < 0)
        break;
    }
    Value acc = op.getAcc();
    if (auto accType = dyn_cast<VectorType>(acc.getType()))
      acc = rewriter.create<vector::ExtractOp>(loc, acc, SmallVector<int64_t>(accType.getRank(), 0));
    Value value = rewriter.create<vector::ReductionOp>(loc, op.getKind(), rows, acc, arith::FastMathFlags::reassoc);
    if (auto resultType = dyn_cast<VectorType>(op.getType()))
      value = rewriter.create<vector::BroadcastOp>(loc, resultType, value);
    rewriter.replaceOp(op, value);
    return success();
  }
};

/// The elements of `v` in row-major order when they are known at compile time: a constant, a
/// 2-D transpose or a static extract of one (how the contraction lowering takes a constant lhs's
/// columns). None otherwise.
static std::optional<SmallVector<APFloat>> knownElements(Value v) {
  DenseElementsAttr constant;
  if (matchPattern(v, m_Constant(&constant)) && isa<FloatType>(constant.getElementType()))
    return SmallVector<APFloat>(constant.getValues<APFloat>());
  if (auto transpose = v.getDefiningOp<vector::TransposeOp>()) {
    VectorType type = transpose.getSourceVectorType();
    auto source = knownElements(transpose.getVector());
    if (!source || type.getRank() != 2 || type.isScalable())
      return std::nullopt;
    int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
    SmallVector<APFloat> out;
    for (int64_t c = 0; c < cols; ++c)
      for (int64_t r = 0; r < rows; ++r)
        out.push_back((*source)[r * cols + c]);
    return out;
  }
  if (auto extract = v.getDefiningOp<vector::ExtractOp>()) {
    auto resultType = dyn_cast<VectorType>(extract.getResult().getType());
    auto source = knownElements(extract.getVector());
    if (!source || !resultType || extract.hasDynamicPosition())
      return std::nullopt;
    VectorType type = extract.getSourceVectorType();
    int64_t offset = 0;
    ArrayRef<int64_t> position = extract.getStaticPosition();
    for (int64_t d = 0; d < type.getRank(); ++d)
      offset = offset * type.getDimSize(d) + (d < static_cast<int64_t>(position.size()) ? position[d] : 0);
    int64_t count = resultType.getNumElements();
    return SmallVector<APFloat>(source->begin() + offset, source->begin() + offset + count);
  }
  return std::nullopt;
}

/// An outer product with constant coefficients (a column of a Winograd transform, entries 0,
/// +-1 and a few others) accumulated: per row, nothing for 0, an add or a subtraction of the
/// rhs for +-1, a multiply-add otherwise. The F(2x2, 3x3) input transform has 4 non-zeros of
/// 16 per row: 192 of its 256 multiply-adds per column vanish and the other 64 are adds.
/// Exact for finite values (0 x inf would be NaN).
struct ConstantLhsOuterProduct : public OpRewritePattern<vector::OuterProductOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(vector::OuterProductOp op, PatternRewriter &rewriter) const override {
    auto resultType = dyn_cast<VectorType>(op.getResult().getType());
    if (!resultType || resultType.getRank() != 2 || !op.getAcc() || op.getKind() != vector::CombiningKind::ADD ||
        op->getParentOfType<vector::MaskOp>())
      return failure();
    std::optional<SmallVector<APFloat>> lhs = knownElements(op.getLhs());
    if (!lhs)
      return failure();
    Location loc = op.getLoc();
    Value rhs = op.getRhs();
    Value result = op.getAcc();
    for (auto [r, coefficient] : llvm::enumerate(*lhs)) {
      if (coefficient.isZero())
        continue;
      Value acc = rewriter.create<vector::ExtractOp>(loc, op.getAcc(), static_cast<int64_t>(r));
      Value row;
      if (coefficient.isExactlyValue(1.0))
        row = rewriter.create<arith::AddFOp>(loc, acc, rhs);
      else if (coefficient.isExactlyValue(-1.0))
        row = rewriter.create<arith::SubFOp>(loc, acc, rhs);
      else
        row = rewriter.create<vector::FMAOp>(
            loc, rewriter.create<arith::ConstantOp>(loc, DenseElementsAttr::get(cast<VectorType>(rhs.getType()), coefficient)),
            rhs, acc);
      result = rewriter.create<vector::InsertOp>(loc, row, result, static_cast<int64_t>(r));
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct CPULowerVectorsPass : public mlc::impl::CPULowerVectorsBase<CPULowerVectorsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    MLIRContext *ctx = &getContext();

    // Bufferizing an accumulator tile that was updated in place leaves `memref.copy %t, %t`; it
    // does nothing, but as a write inside the reduction loop it would pin the tile to memory.
    // A copy between strided views (a tile of a result that passes an input through) would lower
    // to a call of the C runner's memrefCopy, which neither the trainer nor the JIT links; as a
    // linalg.copy it becomes loops. Contiguous copies stay memref.copy: they become memcpy.
    func.walk([](memref::CopyOp copy) {
      if (copy.getSource() == copy.getTarget()) {
        copy.erase();
        return;
      }
      auto contiguous = [](Value v) {
        return memref::isStaticShapeAndContiguousRowMajor(cast<MemRefType>(v.getType()));
      };
      if (contiguous(copy.getSource()) && contiguous(copy.getTarget()))
        return;
      OpBuilder b(copy);
      b.create<linalg::CopyOp>(copy.getLoc(), copy.getSource(), copy.getTarget());
      copy.erase();
    });

    // The hoisting below skips transfers through views: fold subviews into the transfers'
    // indices first, then move invariant code out so that the transfers of a matmul's
    // accumulator tile become loop-invariant and leave the reduction loop (registers).
    // The folding gives the read and the write of a tile each its own (equal) index
    // computation; the hoisting pairs them only when their indices are the same values, so
    // common subexpressions are merged first. Without it every tiled matmul inside a forall
    // loaded and stored its accumulators on every step of the reduction.
    {
      RewritePatternSet folds(ctx);
      memref::populateFoldMemRefAliasOpPatterns(folds);
      if (failed(applyPatternsAndFoldGreedily(func, std::move(folds))))
        return signalPassFailure();
      IRRewriter rewriter(ctx);
      DominanceInfo dominance(func);
      eliminateCommonSubExpressions(rewriter, dominance, func);
    }
    func.walk([](LoopLikeOpInterface loop) { moveLoopInvariantCode(loop); });
    linalg::hoistRedundantVectorTransfers(func);

    RewritePatternSet patterns(ctx);
    patterns.add<ReduceWholeVector, ConstantLhsOuterProduct>(ctx, /*benefit=*/2);
    vector::VectorTransformsOptions options;
    options.setVectorTransformsOptions(vector::VectorContractLowering::OuterProduct);
    vector::populateVectorContractLoweringPatterns(patterns, options);
    vector::populateVectorOuterProductLoweringPatterns(patterns);
    vector::populateVectorMultiReductionLoweringPatterns(
        patterns, vector::VectorMultiReductionLowering::InnerParallel);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateVectorBroadcastLoweringPatterns(patterns);
    vector::populateVectorTransposeLoweringPatterns(patterns, options);
    vector::populateVectorShapeCastLoweringPatterns(patterns);
    vector::populateVectorMaskOpLoweringPatterns(patterns);
    populateMathPolynomialApproximationPatterns(patterns);
    if (failed(applyPatternsAndFoldGreedily(func, std::move(patterns))))
      return signalPassFailure();
  }
};

} // namespace
