// Lowering of im2col and col2im to linalg.generic ops.
//
// im2col reads the (padded) image through a strided affine map, so it stays a plain copy that
// the schedules tile and vectorize like any other. Its adjoint col2im is a gather: each image
// element sums the window elements that were taken from it, found with index arithmetic. The
// KH x KW window positions are unrolled in the body so that col2im is a parallel op with no
// reduction loop (one thread per image element on the GPU).
#include "compiler/Conversion/MlcToLinalg/Patterns.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlc;

namespace {

Value indexConst(OpBuilder &b, Location loc, int64_t v) {
  return b.create<arith::ConstantIndexOp>(loc, v);
}

/// `lo <= v < hi` for index values.
Value inRange(OpBuilder &b, Location loc, Value v, int64_t lo, int64_t hi) {
  Value geLo = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sge, v, indexConst(b, loc, lo));
  Value ltHi = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, v, indexConst(b, loc, hi));
  return b.create<arith::AndIOp>(loc, geLo, ltHi);
}

/// `image` with `pads` added around its two spatial dimensions, filled with `padValue`: a
/// parallel generic that reads the image where the position lies inside it.
Value padImage(OpBuilder &b, Location loc, Value image, ArrayRef<int64_t> pads, double padValue) {
  auto type = cast<RankedTensorType>(image.getType());
  ArrayRef<int64_t> s = type.getShape();
  if (llvm::all_of(pads, [](int64_t p) { return p == 0; }))
    return image;
  auto padded = RankedTensorType::get({s[0], s[1], s[2] + pads[0] + pads[2], s[3] + pads[1] + pads[3]},
                                      type.getElementType());
  SmallVector<AffineMap> maps{b.getMultiDimIdentityMap(4)};
  auto generic = b.create<linalg::GenericOp>(
      loc, padded, ValueRange{}, makeEmpty(b, loc, padded), maps, iterators(4),
      [&](OpBuilder &nb, Location l, ValueRange) {
        Value n = nb.create<linalg::IndexOp>(l, 0), c = nb.create<linalg::IndexOp>(l, 1);
        Value h = nb.create<arith::SubIOp>(l, nb.create<linalg::IndexOp>(l, 2), indexConst(nb, l, pads[0]));
        Value w = nb.create<arith::SubIOp>(l, nb.create<linalg::IndexOp>(l, 3), indexConst(nb, l, pads[1]));
        Value inside = nb.create<arith::AndIOp>(l, inRange(nb, l, h, 0, s[2]), inRange(nb, l, w, 0, s[3]));
        Value zero = indexConst(nb, l, 0);
        Value hc = nb.create<arith::SelectOp>(l, inside, h, zero);
        Value wc = nb.create<arith::SelectOp>(l, inside, w, zero);
        Value v = nb.create<tensor::ExtractOp>(l, image, ValueRange{n, c, hc, wc});
        Value pad = floatConst(nb, l, type.getElementType(), padValue);
        nb.create<linalg::YieldOp>(l, nb.create<arith::SelectOp>(l, inside, v, pad).getResult());
      });
  return generic.getResult(0);
}

struct Im2ColLowering : public OpRewritePattern<Im2ColOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Im2ColOp op, PatternRewriter &rewriter) const override {
    WindowGeometry g = op.getGeometry();
    Location loc = op.getLoc();
    Value padded = padImage(rewriter, loc, op.getInput(), g.pads, op.getPadValue().convertToDouble());
    // (n, oh, ow, c, kh, kw) -> (n, c, oh * sh + kh * dh, ow * sw + kw * dw)
    MLIRContext *ctx = op.getContext();
    auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
    AffineMap read = AffineMap::get(
        6, 0, {d(0), d(3), d(1) * g.strides[0] + d(4) * g.dilations[0], d(2) * g.strides[1] + d(5) * g.dilations[1]},
        ctx);
    auto type = op.getResult().getType();
    SmallVector<AffineMap> maps{read, rewriter.getMultiDimIdentityMap(6)};
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, type, padded, makeEmpty(rewriter, loc, type), maps, iterators(6),
        [](OpBuilder &b, Location l, ValueRange args) { b.create<linalg::YieldOp>(l, args[0]); });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// For image coordinate `x` along one spatial dimension and window offset `k`, the window that
/// took it: padded position x + pad - k * dilation must be a multiple of the stride whose
/// quotient is a window index below `windows`. Returns (valid, window index clamped to 0).
std::pair<Value, Value> sourceWindow(OpBuilder &b, Location loc, Value x, int64_t pad, int64_t k,
                                     int64_t dilation, int64_t stride, int64_t windows) {
  Value t = b.create<arith::AddIOp>(loc, x, indexConst(b, loc, pad - k * dilation));
  Value zero = indexConst(b, loc, 0);
  Value nonNegative = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sge, t, zero);
  Value tc = b.create<arith::SelectOp>(loc, nonNegative, t, zero);
  Value index = tc, valid = nonNegative;
  if (stride != 1) {
    Value s = indexConst(b, loc, stride);
    Value rem = b.create<arith::RemUIOp>(loc, tc, s);
    valid = b.create<arith::AndIOp>(loc, valid,
                                    b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, rem, zero));
    index = b.create<arith::DivUIOp>(loc, tc, s);
  }
  valid = b.create<arith::AndIOp>(loc, valid,
                                  b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, index,
                                                          indexConst(b, loc, windows)));
  return {valid, b.create<arith::SelectOp>(loc, valid, index, zero)};
}

struct Col2ImLowering : public OpRewritePattern<Col2ImOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Col2ImOp op, PatternRewriter &rewriter) const override {
    WindowGeometry g = op.getGeometry();
    Location loc = op.getLoc();
    Value windows = op.getInput();
    auto wType = op.getInput().getType();
    auto type = op.getResult().getType();
    Type elt = type.getElementType();
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(4)};
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, type, ValueRange{}, makeEmpty(rewriter, loc, type), maps, iterators(4),
        [&](OpBuilder &b, Location l, ValueRange) {
          Value n = b.create<linalg::IndexOp>(l, 0), c = b.create<linalg::IndexOp>(l, 1);
          Value h = b.create<linalg::IndexOp>(l, 2), w = b.create<linalg::IndexOp>(l, 3);
          SmallVector<std::pair<Value, Value>> rows, cols;
          for (int64_t k = 0; k < g.kernel[0]; ++k)
            rows.push_back(sourceWindow(b, l, h, g.pads[0], k, g.dilations[0], g.strides[0],
                                        wType.getDimSize(1)));
          for (int64_t k = 0; k < g.kernel[1]; ++k)
            cols.push_back(sourceWindow(b, l, w, g.pads[1], k, g.dilations[1], g.strides[1],
                                        wType.getDimSize(2)));
          Value acc = floatConst(b, l, elt, 0.0), zero = floatConst(b, l, elt, 0.0);
          for (int64_t kh = 0; kh < g.kernel[0]; ++kh) {
            for (int64_t kw = 0; kw < g.kernel[1]; ++kw) {
              Value valid = b.create<arith::AndIOp>(l, rows[kh].first, cols[kw].first);
              Value v = b.create<tensor::ExtractOp>(
                  l, windows,
                  ValueRange{n, rows[kh].second, cols[kw].second, c, indexConst(b, l, kh), indexConst(b, l, kw)});
              acc = b.create<arith::AddFOp>(l, acc, b.create<arith::SelectOp>(l, valid, v, zero));
            }
          }
          b.create<linalg::YieldOp>(l, acc);
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void mlc::populateWindowPatterns(RewritePatternSet &patterns) {
  patterns.add<Im2ColLowering, Col2ImLowering>(patterns.getContext());
}
