// Lowering of element-type conversions and integer-indexed ops: to_float, to_int, convert_float, gather (a
// generic whose body reads the input at the index) and gather_grad (a reduction over the index
// dimensions, or sequential scatter loops).
#include "compiler/Conversion/MlcToLinalg/Patterns.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlc;

namespace {

/// ONNX's index convention on a dimension of `size`: negative counts from the end; clamped into
/// [0, size) so that no index reads out of bounds. Returns an `index` value.
Value normalizedIndex(OpBuilder &b, Location loc, Value raw, int64_t size) {
  Value i = b.create<arith::IndexCastOp>(loc, b.getIndexType(), raw);
  Value zero = b.create<arith::ConstantIndexOp>(loc, 0);
  Value n = b.create<arith::ConstantIndexOp>(loc, size);
  Value negative = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, i, zero);
  i = b.create<arith::SelectOp>(loc, negative, b.create<arith::AddIOp>(loc, i, n), i);
  i = b.create<arith::MaxSIOp>(loc, i, zero);
  return b.create<arith::MinSIOp>(loc, i, b.create<arith::ConstantIndexOp>(loc, size - 1));
}

/// The affine map from `loops` loop dimensions to `dims`.
AffineMap dimsMap(MLIRContext *ctx, int64_t loops, ArrayRef<int64_t> dims) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d : dims)
    exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(loops, 0, exprs, ctx);
}

/// One element of to_float (signed integer to float), to_int (float to signed integer, toward
/// zero) or convert_float (another float width).
Value convertElement(OpBuilder &b, Location l, Value v, Type to) {
  if (isa<IntegerType>(v.getType()))
    return b.create<arith::SIToFPOp>(l, to, v);
  if (isa<IntegerType>(to))
    return b.create<arith::FPToSIOp>(l, to, v);
  if (cast<FloatType>(v.getType()).getWidth() < to.getIntOrFloatBitWidth())
    return b.create<arith::ExtFOp>(l, to, v);
  return b.create<arith::TruncFOp>(l, to, v);
}

template <typename ConversionOp>
struct ConversionLowering : public OpRewritePattern<ConversionOp> {
  using OpRewritePattern<ConversionOp>::OpRewritePattern;
  LogicalResult matchAndRewrite(ConversionOp op, PatternRewriter &rewriter) const override {
    auto outType = op.getResult().getType();
    int64_t rank = outType.getRank();
    AffineMap id = rewriter.getMultiDimIdentityMap(rank);
    auto generic = rewriter.create<linalg::GenericOp>(
        op.getLoc(), outType, op.getInput(), makeEmpty(rewriter, op.getLoc(), outType),
        SmallVector<AffineMap>{id, id}, iterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          b.create<linalg::YieldOp>(l, convertElement(b, l, args[0], outType.getElementType()));
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct GatherLowering : public OpRewritePattern<GatherOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GatherOp op, PatternRewriter &rewriter) const override {
    auto inType = op.getInput().getType();
    auto outType = op.getResult().getType();
    int64_t axis = op.getAxis(), q = op.getIndices().getType().getRank(), rank = outType.getRank();
    SmallVector<int64_t> indexDims;
    for (int64_t d = axis; d < axis + q; ++d)
      indexDims.push_back(d);
    Location loc = op.getLoc();
    Value input = op.getInput();
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, outType, op.getIndices(), makeEmpty(rewriter, loc, outType),
        SmallVector<AffineMap>{dimsMap(op.getContext(), rank, indexDims), rewriter.getMultiDimIdentityMap(rank)},
        iterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          SmallVector<Value> at;
          for (int64_t d = 0; d < axis; ++d)
            at.push_back(b.create<linalg::IndexOp>(l, d));
          at.push_back(normalizedIndex(b, l, args[0], inType.getDimSize(axis)));
          for (int64_t d = axis + 1; d < inType.getRank(); ++d)
            at.push_back(b.create<linalg::IndexOp>(l, d + q - 1));
          b.create<linalg::YieldOp>(l, b.create<tensor::ExtractOp>(l, input, at).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

// Loops: the result's dimensions (parallel), then the indices' (reduction). Each result element
// sums the adjoint rows whose index is its own position along the axis.
struct GatherGradLowering : public OpRewritePattern<GatherGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GatherGradOp op, PatternRewriter &rewriter) const override {
    auto outType = op.getResult().getType();
    int64_t axis = op.getAxis(), q = op.getIndices().getType().getRank(), r = outType.getRank();
    int64_t loops = r + q;
    SmallVector<int64_t> adjointDims, indexDims, resultDims, reduced;
    for (int64_t d = 0; d < axis; ++d)
      adjointDims.push_back(d);
    for (int64_t j = 0; j < q; ++j) {
      adjointDims.push_back(r + j);
      indexDims.push_back(r + j);
      reduced.push_back(r + j);
    }
    for (int64_t d = axis + 1; d < r; ++d)
      adjointDims.push_back(d);
    for (int64_t d = 0; d < r; ++d)
      resultDims.push_back(d);
    MLIRContext *ctx = op.getContext();
    Location loc = op.getLoc();
    Type elt = outType.getElementType();
    int64_t size = outType.getDimSize(axis);
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, outType, ValueRange{op.getAdjoint(), op.getIndices()}, makeFilled(rewriter, loc, outType, 0.0),
        SmallVector<AffineMap>{dimsMap(ctx, loops, adjointDims), dimsMap(ctx, loops, indexDims),
                               dimsMap(ctx, loops, resultDims)},
        iterators(loops, reduced), [&](OpBuilder &b, Location l, ValueRange args) {
          Value hit = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, b.create<linalg::IndexOp>(l, axis),
                                              normalizedIndex(b, l, args[1], size));
          Value term = b.create<arith::SelectOp>(l, hit, args[0], floatConst(b, l, elt, 0.0));
          b.create<linalg::YieldOp>(l, b.create<arith::AddFOp>(l, args[2], term).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// gather_grad as loops over the adjoint's elements, each added into the table element its index
/// selects: O(indices x row) work where the reduction does O(table x indices x row), but
/// sequential (no atomics are needed when one thread writes).
struct GatherGradScatterLowering : public OpRewritePattern<GatherGradOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GatherGradOp op, PatternRewriter &rewriter) const override {
    auto outType = op.getResult().getType();
    auto adjointType = op.getAdjoint().getType();
    int64_t axis = op.getAxis(), q = op.getIndices().getType().getRank();
    Location loc = op.getLoc();
    Value zero = rewriter.create<arith::ConstantIndexOp>(loc, 0);
    Value one = rewriter.create<arith::ConstantIndexOp>(loc, 1);
    SmallVector<Value> ivs;
    // One loop per adjoint dimension; the innermost body reads the adjoint element, finds its
    // table position and accumulates.
    std::function<Value(OpBuilder &, int64_t, Value)> build = [&](OpBuilder &b, int64_t d, Value acc) -> Value {
      if (d == adjointType.getRank()) {
        SmallVector<Value> indexAt(ivs.begin() + axis, ivs.begin() + axis + q);
        Value raw = b.create<tensor::ExtractOp>(loc, op.getIndices(), indexAt);
        SmallVector<Value> at(ivs.begin(), ivs.begin() + axis);
        at.push_back(normalizedIndex(b, loc, raw, outType.getDimSize(axis)));
        at.append(ivs.begin() + axis + q, ivs.end());
        Value term = b.create<tensor::ExtractOp>(loc, op.getAdjoint(), ivs);
        Value sum = b.create<arith::AddFOp>(loc, b.create<tensor::ExtractOp>(loc, acc, at), term);
        return b.create<tensor::InsertOp>(loc, sum, acc, at);
      }
      Value bound = b.create<arith::ConstantIndexOp>(loc, adjointType.getDimSize(d));
      auto loop = b.create<scf::ForOp>(loc, zero, bound, one, ValueRange{acc},
                                       [&](OpBuilder &nb, Location, Value iv, ValueRange iter) {
                                         ivs.push_back(iv);
                                         nb.create<scf::YieldOp>(loc, build(nb, d + 1, iter[0]));
                                         ivs.pop_back();
                                       });
      return loop.getResult(0);
    };
    rewriter.replaceOp(op, build(rewriter, 0, makeFilled(rewriter, loc, outType, 0.0)));
    return success();
  }
};

} // namespace

void mlc::populateGatherPatterns(RewritePatternSet &patterns, bool scatterGatherGrad) {
  patterns.add<ConversionLowering<ToFloatOp>, ConversionLowering<ToIntOp>, ConversionLowering<ConvertFloatOp>,
               GatherLowering>(
      patterns.getContext());
  if (scatterGatherGrad)
    patterns.add<GatherGradScatterLowering>(patterns.getContext());
  else
    patterns.add<GatherGradLowering>(patterns.getContext());
}
