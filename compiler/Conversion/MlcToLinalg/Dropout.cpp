// Lowering of mlc.dropout: one elementwise generic that hashes each element's index with the
// seed, step and stream (murmur3's 32-bit finalizer, a bijection with full avalanche) and keeps
// the element when the resulting uniform number is at least the ratio. Integer ops only, so the
// CPU vectorizes it and the GPU runs it as a plain elementwise kernel.
#include "compiler/Conversion/MlcToLinalg/Patterns.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlc;

namespace {

Value i32Const(OpBuilder &b, Location loc, uint32_t v) {
  return b.create<arith::ConstantOp>(loc, b.getI32IntegerAttr(static_cast<int32_t>(v)));
}

/// murmur3 fmix32: h ^= h >> 16; h *= 0x85ebca6b; h ^= h >> 13; h *= 0xc2b2ae35; h ^= h >> 16.
Value mix(OpBuilder &b, Location loc, Value h) {
  auto shiftXor = [&](Value v, uint32_t s) {
    return b.create<arith::XOrIOp>(loc, v, b.create<arith::ShRUIOp>(loc, v, i32Const(b, loc, s)));
  };
  h = shiftXor(h, 16);
  h = b.create<arith::MulIOp>(loc, h, i32Const(b, loc, 0x85ebca6bu));
  h = shiftXor(h, 13);
  h = b.create<arith::MulIOp>(loc, h, i32Const(b, loc, 0xc2b2ae35u));
  return shiftXor(h, 16);
}

struct DropoutLowering : public OpRewritePattern<DropoutOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DropoutOp op, PatternRewriter &rewriter) const override {
    auto type = op.getResult().getType();
    int64_t rank = type.getRank();
    Location loc = op.getLoc();
    double ratio = op.getRatio().convertToDouble();
    uint32_t stream = static_cast<uint32_t>(op.getStream());
    MLIRContext *ctx = op.getContext();
    AffineMap scalar = AffineMap::get(rank, 0, {}, ctx);
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(rank), scalar, scalar,
                                rewriter.getMultiDimIdentityMap(rank)};
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, type, ValueRange{op.getInput(), op.getStep(), op.getSeed()}, makeEmpty(rewriter, loc, type),
        maps, iterators(rank), [&](OpBuilder &b, Location l, ValueRange args) {
          Type i32 = b.getI32Type();
          // Row-major element index.
          Value index = b.create<arith::ConstantIndexOp>(l, 0);
          for (int64_t d = 0; d < rank; ++d) {
            Value size = b.create<arith::ConstantIndexOp>(l, type.getDimSize(d));
            index = b.create<arith::AddIOp>(l, b.create<arith::MulIOp>(l, index, size),
                                            b.create<linalg::IndexOp>(l, d));
          }
          index = b.create<arith::IndexCastUIOp>(l, i32, index);
          Value step = b.create<arith::FPToUIOp>(l, i32, args[1]);
          Value seed = b.create<arith::FPToUIOp>(l, i32, args[2]);
          // key = mix(mix(seed + stream * golden) ^ step * c1); bits = mix(index + key).
          Value k = mix(b, l, b.create<arith::AddIOp>(l, seed, i32Const(b, l, stream * 0x9e3779b9u + 0x3c6ef372u)));
          k = mix(b, l, b.create<arith::XOrIOp>(l, k, b.create<arith::MulIOp>(l, step, i32Const(b, l, 0x85ebca77u))));
          Value bits = mix(b, l, b.create<arith::AddIOp>(l, index, k));
          // 24 random bits -> u in [0, 1), exactly representable in f32.
          Value u = b.create<arith::UIToFPOp>(l, b.getF32Type(), b.create<arith::ShRUIOp>(l, bits, i32Const(b, l, 8)));
          Type elt = type.getElementType();
          Value threshold = floatConst(b, l, b.getF32Type(), ratio * 16777216.0);
          Value keep = b.create<arith::CmpFOp>(l, arith::CmpFPredicate::OGE, u, threshold);
          Value scaled = b.create<arith::MulFOp>(l, args[0], floatConst(b, l, elt, 1.0 / (1.0 - ratio)));
          b.create<linalg::YieldOp>(l, b.create<arith::SelectOp>(l, keep, scaled, floatConst(b, l, elt, 0.0)).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void mlc::populateDropoutPatterns(RewritePatternSet &patterns) {
  patterns.add<DropoutLowering>(patterns.getContext());
}
