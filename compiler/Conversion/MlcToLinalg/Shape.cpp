// Lowering of broadcast, the reductions, reshape, transpose, one_hot and iota.
#include "compiler/Conversion/MlcToLinalg/Patterns.h"
#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"

#include <limits>

using namespace mlir;
using namespace mlc;

namespace {

struct BroadcastLowering : public OpRewritePattern<BroadcastOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BroadcastOp op, PatternRewriter &rewriter) const override {
    auto inType = op.getInput().getType();
    auto outType = op.getResult().getType();
    MLIRContext *ctx = op.getContext();
    // Input dim i reads result dim dims[i], or index 0 where it is expanded from size 1.
    SmallVector<AffineExpr> exprs;
    for (auto [i, d] : llvm::enumerate(op.getDims()))
      exprs.push_back(inType.getDimSize(i) == outType.getDimSize(d) ? getAffineDimExpr(d, ctx)
                                                                     : getAffineConstantExpr(0, ctx));
    int64_t rank = outType.getRank();
    SmallVector<AffineMap> maps{AffineMap::get(rank, 0, exprs, ctx),
                                rewriter.getMultiDimIdentityMap(rank)};
    Location loc = op.getLoc();
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, outType, op.getInput(), makeEmpty(rewriter, loc, outType), maps, iterators(rank),
        [](OpBuilder &b, Location l, ValueRange args) { b.create<linalg::YieldOp>(l, args[0]); });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

Value addCombiner(OpBuilder &b, Location l, Value x, Value acc) { return b.create<arith::AddFOp>(l, x, acc); }
Value maxCombiner(OpBuilder &b, Location l, Value x, Value acc) { return b.create<arith::MaximumFOp>(l, x, acc); }

// A reduction is one generic from the combiner's identity. Reduced dimensions kept as size 1 are
// added back by a reshape: maps with constant results (d0, d1) -> (0, d1) would reach the
// schedules and the vectorizer.
template <typename OpT, Value (*combine)(OpBuilder &, Location, Value, Value)>
struct ReductionLowering : public OpRewritePattern<OpT> {
  ReductionLowering(MLIRContext *ctx, double identity) : OpRewritePattern<OpT>(ctx), identity(identity) {}
  LogicalResult matchAndRewrite(OpT op, PatternRewriter &rewriter) const override {
    auto inType = op.getInput().getType();
    auto outType = op.getResult().getType();
    int64_t rank = inType.getRank();
    Location loc = op.getLoc();
    auto reduced = reducedType(inType, op.getDims(), /*keepDims=*/false);
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(rank),
                                projectionMap(op.getContext(), rank, op.getDims(), /*keepDims=*/false)};
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, reduced, op.getInput(), makeFilled(rewriter, loc, reduced, identity), maps,
        iterators(rank, op.getDims()), [](OpBuilder &b, Location l, ValueRange args) {
          b.create<linalg::YieldOp>(l, combine(b, l, args[0], args[1]));
        });
    Value result = generic.getResult(0);
    if (reduced != outType)
      result = rewriter.create<ReshapeOp>(loc, outType, result);
    rewriter.replaceOp(op, result);
    return success();
  }
  double identity;
};

// A sum over many elements in more than one dimension is summed in stages: the innermost reduced
// dimensions first (up to kStageElements values), then the rest (itself staged again). One f32
// accumulator per result over n terms has a rounding error growing with n; batch-norm statistics
// and bias gradients over N*H*W values then drift from the frameworks' (which sum in cascades)
// enough to show in training, and in stages they do not.
struct StagedSumLowering : public OpRewritePattern<ReduceSumOp> {
  static constexpr int64_t kStageElements = 4096;
  StagedSumLowering(MLIRContext *ctx) : OpRewritePattern<ReduceSumOp>(ctx, /*benefit=*/2) {}
  LogicalResult matchAndRewrite(ReduceSumOp op, PatternRewriter &rewriter) const override {
    auto inType = op.getInput().getType();
    ArrayRef<int64_t> dims = op.getDims();
    int64_t total = 1;
    for (int64_t d : dims)
      total *= inType.getDimSize(d);
    // Also staged: dimensions with a kept one between them ([0, 2, 3] of NCHW), which as one
    // reduction vectorize into tiles of scattered elements that unroll into scalar code.
    bool contiguous = dims.back() - dims.front() + 1 == static_cast<int64_t>(dims.size());
    if (dims.size() < 2 || (contiguous && total <= kStageElements))
      return failure();
    // The trailing reduced dimensions while they hold at most kStageElements values (at least
    // one, never all).
    size_t split = dims.size() - 1;
    int64_t inner = inType.getDimSize(dims[split]);
    while (split > 1 && inner * inType.getDimSize(dims[split - 1]) <= kStageElements)
      inner *= inType.getDimSize(dims[--split]);
    SmallVector<int64_t> innerDims(dims.begin() + split, dims.end()), outerDims;
    for (int64_t d : dims.take_front(split))
      outerDims.push_back(d - llvm::count_if(innerDims, [&](int64_t i) { return i < d; }));
    Location loc = op.getLoc();
    Value partial = reduceSum(rewriter, loc, op.getInput(), innerDims, /*keepDims=*/false);
    Value sum = reduceSum(rewriter, loc, partial, outerDims, /*keepDims=*/false);
    if (sum.getType() != op.getType())
      sum = rewriter.create<ReshapeOp>(loc, op.getType(), sum);
    rewriter.replaceOp(op, sum);
    return success();
  }
};

// Static reshapes become one collapse_shape or expand_shape where the dimensions group, and a
// collapse to 1-D followed by an expand otherwise.
struct ReshapeLowering : public OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op, PatternRewriter &rewriter) const override {
    auto inType = op.getInput().getType();
    auto outType = op.getResult().getType();
    Location loc = op.getLoc();
    if (inType == outType) {
      rewriter.replaceOp(op, op.getInput());
      return success();
    }
    if (inType.getRank() > outType.getRank()) {
      if (auto re = getReassociationIndicesForCollapse(inType.getShape(), outType.getShape())) {
        rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, outType, op.getInput(), *re);
        return success();
      }
    } else if (inType.getRank() < outType.getRank()) {
      if (auto re = getReassociationIndicesForCollapse(outType.getShape(), inType.getShape())) {
        rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(op, outType, op.getInput(), *re);
        return success();
      }
    }
    auto flatType = RankedTensorType::get({inType.getNumElements()}, inType.getElementType());
    auto allDims = [](int64_t rank) {
      ReassociationIndices r;
      for (int64_t i = 0; i < rank; ++i)
        r.push_back(i);
      return SmallVector<ReassociationIndices>{r};
    };
    auto toFlat = [&](RankedTensorType t) {
      return t.getRank() == 0 ? SmallVector<ReassociationIndices>{} : allDims(t.getRank());
    };
    // A rank-0 tensor has one element: it expands to (and collapses from) tensor<1x...>.
    Value flat = op.getInput();
    if (inType.getRank() == 0)
      flat = rewriter.create<tensor::ExpandShapeOp>(loc, flatType, flat, toFlat(inType));
    else if (inType.getRank() != 1)
      flat = rewriter.create<tensor::CollapseShapeOp>(loc, flatType, flat, toFlat(inType));
    if (outType.getRank() == 1) {
      rewriter.replaceOp(op, flat);
      return success();
    }
    if (outType.getRank() == 0)
      rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, outType, flat, toFlat(outType));
    else
      rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(op, outType, flat, toFlat(outType));
    return success();
  }
};

struct TransposeLowering : public OpRewritePattern<TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TransposeOp op, PatternRewriter &rewriter) const override {
    auto outType = op.getResult().getType();
    auto t = rewriter.create<linalg::TransposeOp>(op.getLoc(), op.getInput(),
                                                  makeEmpty(rewriter, op.getLoc(), outType),
                                                  op.getPermutation());
    rewriter.replaceOp(op, t.getResults());
    return success();
  }
};

struct OneHotLowering : public OpRewritePattern<OneHotOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(OneHotOp op, PatternRewriter &rewriter) const override {
    auto outType = op.getResult().getType();
    int64_t rank = outType.getRank();
    Location loc = op.getLoc();
    SmallVector<AffineMap> maps{
        projectionMap(op.getContext(), rank, {rank - 1}), rewriter.getMultiDimIdentityMap(rank)};
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, outType, op.getLabels(), makeEmpty(rewriter, loc, outType), maps, iterators(rank),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value cls = b.create<linalg::IndexOp>(l, rank - 1);
          Value label = b.create<arith::IndexCastOp>(l, b.getIndexType(), args[0]);
          Value hit = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, cls, label);
          Type elt = outType.getElementType();
          Value v = b.create<arith::SelectOp>(l, hit, floatConst(b, l, elt, 1.0),
                                              floatConst(b, l, elt, 0.0));
          b.create<linalg::YieldOp>(l, v);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct IotaLowering : public OpRewritePattern<IotaOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(IotaOp op, PatternRewriter &rewriter) const override {
    auto outType = op.getResult().getType();
    int64_t rank = outType.getRank();
    Location loc = op.getLoc();
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, outType, ValueRange(), makeEmpty(rewriter, loc, outType),
        SmallVector<AffineMap>{rewriter.getMultiDimIdentityMap(rank)}, iterators(rank),
        [&](OpBuilder &b, Location l, ValueRange) {
          Value i = b.create<linalg::IndexOp>(l, op.getDim());
          Value i64 = b.create<arith::IndexCastOp>(l, b.getI64Type(), i);
          b.create<linalg::YieldOp>(l, b.create<arith::SIToFPOp>(l, outType.getElementType(), i64).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void mlc::populateShapePatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<BroadcastLowering, ReshapeLowering, TransposeLowering, OneHotLowering, IotaLowering>(ctx);
  patterns.add<StagedSumLowering>(ctx);
  patterns.add<ReductionLowering<ReduceSumOp, addCombiner>>(ctx, 0.0);
  patterns.add<ReductionLowering<ReduceMaxOp, maxCombiner>>(ctx, -std::numeric_limits<double>::infinity());
}
