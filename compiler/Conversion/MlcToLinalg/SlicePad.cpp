// Lowering of slice and pad to linalg ops: a slice is a copy of a strided tensor.extract_slice;
// a pad that only feeds sums is a parallel generic that reads the input where the position holds
// an input element and yields the pad value elsewhere (fused into the sum), any other pad a fill
// and a copy into the strided box the input occupies.
#include "compiler/Conversion/MlcToLinalg/Patterns.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlc;

namespace {

// The offsets and strides go into a tensor.extract_slice (a strided view after bufferization),
// and the copy reads it through the identity. Tiling keeps a generic's maps and offsets its
// operands by the map at the tile's start, which would count a constant term twice; and a
// stride in the map (d * 2) reached, by fusion, the consumers of the slice (a stride-2
// depthwise convolution's taps), where the vectorizer, which takes only projected
// permutations, left them scalar loops.
struct SliceLowering : public OpRewritePattern<SliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SliceOp op, PatternRewriter &rewriter) const override {
    auto type = op.getResult().getType();
    int64_t rank = type.getRank();
    MLIRContext *ctx = op.getContext();
    Location loc = op.getLoc();
    Value box = rewriter.create<tensor::ExtractSliceOp>(
        loc, type, op.getInput(), getAsIndexOpFoldResult(ctx, op.getOffsets()),
        getAsIndexOpFoldResult(ctx, type.getShape()), getAsIndexOpFoldResult(ctx, op.getStrides()));
    SmallVector<AffineMap> maps(2, rewriter.getMultiDimIdentityMap(rank));
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, type, box, makeEmpty(rewriter, loc, type), maps, iterators(rank),
        [](OpBuilder &b, Location l, ValueRange args) { b.create<linalg::YieldOp>(l, args[0]); });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// The pad is summed with other values and nothing else: Concat (a sum of pads) or a slice's
/// adjoint accumulated into others. Such a pad stays a parallel generic that fusion folds into
/// the sum, so the padded tensor is never written.
static bool onlySummed(PadOp op) {
  return !op->use_empty() && llvm::all_of(op->getUsers(), [](Operation *user) { return isa<AddOp>(user); });
}

/// `padded` with the pad value written where the input will not be: for each padded dimension
/// its low and high strips, over the input's extent in the dimensions before it and all of the
/// dimensions after it (each element of the border once). The input's box is written next, so a
/// fill of the whole tensor wrote it twice: MobileNetV2's 3x3 depthwise convolutions pad
/// [64, 28, 28, 96] to [64, 30, 30, 96], whose border is 13% of it. With interior padding (the
/// gaps of a strided convolution's data gradient) or a negative edge the whole tensor is filled.
static Value fillBorder(PatternRewriter &rewriter, PadOp op, Value padValue, Value padded) {
  Location loc = op.getLoc();
  ArrayRef<int64_t> inShape = op.getInput().getType().getShape();
  ArrayRef<int64_t> shape = op.getResult().getType().getShape();
  ArrayRef<int64_t> low = op.getLow();
  int64_t rank = shape.size();
  SmallVector<int64_t> high;
  for (int64_t d = 0; d < rank; ++d)
    high.push_back(shape[d] - low[d] - inShape[d]);
  if (llvm::any_of(op.getInterior(), [](int64_t i) { return i != 0; }) ||
      llvm::any_of(low, [](int64_t l) { return l < 0; }) || llvm::any_of(high, [](int64_t h) { return h < 0; }))
    return rewriter.create<linalg::FillOp>(loc, padValue, padded).getResult(0);
  for (int64_t d = 0; d < rank; ++d) {
    for (bool lowSide : {true, false}) {
      int64_t extent = lowSide ? low[d] : high[d];
      if (extent == 0)
        continue;
      SmallVector<int64_t> offsets, sizes;
      for (int64_t e = 0; e < rank; ++e) {
        if (e < d) {
          offsets.push_back(low[e]);
          sizes.push_back(inShape[e]);
        } else if (e == d) {
          offsets.push_back(lowSide ? 0 : low[d] + inShape[d]);
          sizes.push_back(extent);
        } else {
          offsets.push_back(0);
          sizes.push_back(shape[e]);
        }
      }
      MLIRContext *ctx = op.getContext();
      SmallVector<OpFoldResult> stripOffsets = getAsIndexOpFoldResult(ctx, offsets);
      SmallVector<OpFoldResult> stripSizes = getAsIndexOpFoldResult(ctx, sizes);
      SmallVector<OpFoldResult> unitStrides(rank, rewriter.getIndexAttr(1));
      Value strip = rewriter.create<tensor::ExtractSliceOp>(loc, padded, stripOffsets, stripSizes, unitStrides);
      Value filled = rewriter.create<linalg::FillOp>(loc, padValue, strip).getResult(0);
      padded = rewriter.create<tensor::InsertSliceOp>(loc, filled, padded, stripOffsets, stripSizes, unitStrides);
    }
  }
  return padded;
}

/// A pad that is materialized anyway (a padded image that convolution taps read, saved for the
/// backward pass): a fill of the pad value and a copy of the input into the strided box it
/// occupies. Both vectorize, where the gathering generic would test bounds and gather per element.
/// The fill's tensor is an alloc_tensor, not an empty tensor: CSE would merge equal fills of empty
/// tensors into one, and bufferization would then copy that one zero-filled tensor before each
/// pad writes its box into it (MobileNetV2: 456 copies per step, serial, a 3.5 MB tensor of
/// zeros alive from the forward pass to the end of the backward pass).
static Value fillAndCopy(PatternRewriter &rewriter, PadOp op) {
  auto inType = op.getInput().getType();
  auto type = op.getResult().getType();
  int64_t rank = type.getRank();
  Location loc = op.getLoc();
  MLIRContext *ctx = op.getContext();
  Value padValue = floatConst(rewriter, loc, type.getElementType(), op.getValue().convertToDouble());
  Value fresh = rewriter.create<bufferization::AllocTensorOp>(loc, type, ValueRange{});
  Value filled = fillBorder(rewriter, op, padValue, fresh);
  SmallVector<int64_t> strides;
  for (int64_t i : op.getInterior())
    strides.push_back(i + 1);
  SmallVector<OpFoldResult> offsets = getAsIndexOpFoldResult(ctx, op.getLow());
  SmallVector<OpFoldResult> sizes = getAsIndexOpFoldResult(ctx, inType.getShape());
  SmallVector<OpFoldResult> steps = getAsIndexOpFoldResult(ctx, strides);
  Value box = rewriter.create<tensor::ExtractSliceOp>(loc, filled, offsets, sizes, steps);
  SmallVector<AffineMap> maps(2, rewriter.getMultiDimIdentityMap(rank));
  auto copy = rewriter.create<linalg::GenericOp>(
      loc, box.getType(), op.getInput(), box, maps, iterators(rank),
      [](OpBuilder &b, Location l, ValueRange args) { b.create<linalg::YieldOp>(l, args[0]); });
  return rewriter.create<tensor::InsertSliceOp>(loc, copy.getResult(0), filled, offsets, sizes, steps);
}

struct PadLowering : public OpRewritePattern<PadOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(PadOp op, PatternRewriter &rewriter) const override {
    if (!onlySummed(op)) {
      rewriter.replaceOp(op, fillAndCopy(rewriter, op));
      return success();
    }
    auto inType = op.getInput().getType();
    auto type = op.getResult().getType();
    int64_t rank = type.getRank();
    Location loc = op.getLoc();
    Value input = op.getInput();
    double value = op.getValue().convertToDouble();
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(rank)};
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, type, ValueRange{}, makeEmpty(rewriter, loc, type), maps, iterators(rank),
        [&](OpBuilder &b, Location l, ValueRange) {
          // Per dimension: i - low must be a grid point of step interior + 1 below the input size.
          Value inside = b.create<arith::ConstantIntOp>(l, 1, 1);
          SmallVector<Value> indices;
          for (int64_t d = 0; d < rank; ++d) {
            Value t = b.create<arith::SubIOp>(l, b.create<linalg::IndexOp>(l, d),
                                              b.create<arith::ConstantIndexOp>(l, op.getLow()[d]));
            auto [ok, index] = gridPoint(b, l, t, op.getInterior()[d] + 1, inType.getDimSize(d));
            inside = b.create<arith::AndIOp>(l, inside, ok);
            indices.push_back(index);
          }
          Value v = b.create<tensor::ExtractOp>(l, input, indices);
          Value pad = floatConst(b, l, type.getElementType(), value);
          b.create<linalg::YieldOp>(l, b.create<arith::SelectOp>(l, inside, v, pad).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void mlc::populateSlicePadPatterns(RewritePatternSet &patterns) {
  patterns.add<SliceLowering, PadLowering>(patterns.getContext());
}
