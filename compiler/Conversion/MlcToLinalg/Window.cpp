// Lowering of im2col and col2im to linalg.generic ops.
//
// im2col reads the image, padded by an mlc.pad, at strided positions (tensor.extract at
// oh * stride + kh * dilation), a copy whose reads along the innermost tap are vector loads. Its adjoint col2im is a gather: each image
// element sums the window elements that were taken from it, found with index arithmetic. The
// KH x KW window positions are unrolled in the body so that col2im is a parallel op with no
// reduction loop (one thread per image element on the GPU). Windows that tile the image exactly
// (1x1 convolutions, 2x2 pools of stride 2) are a transpose either way.
#include "compiler/Conversion/MlcToLinalg/Patterns.h"
#include "dialects/Mlc/MlcOpGroups.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlc;

namespace {

Value indexConst(OpBuilder &b, Location loc, int64_t v) {
  return b.create<arith::ConstantIndexOp>(loc, v);
}

/// Windows that tile the image exactly: no padding, stride = kernel (a 1x1 convolution, a 2x2
/// pool of stride 2 on an even image). Every image element then lies in exactly one window, and
/// windows and image are the same elements in two orders: [N, OH, OW, C, KH, KW] and the image
/// seen as [N, C, OH, KH, OW, KW].
bool tilesExactly(const WindowGeometry &g, RankedTensorType image) {
  if (llvm::any_of(g.pads, [](int64_t p) { return p != 0; }))
    return false;
  for (int d = 0; d < 2; ++d)
    if (g.strides[d] != g.kernel[d] || (g.kernel[d] > 1 && g.dilations[d] != 1) ||
        g.outputSize(d, image.getDimSize(d + 2)) * g.kernel[d] != image.getDimSize(d + 2))
      return false;
  return true;
}

/// The image [N, C, H, W] as [N, C, OH, KH, OW, KW].
RankedTensorType blockedImageType(const WindowGeometry &g, RankedTensorType image) {
  ArrayRef<int64_t> s = image.getShape();
  return RankedTensorType::get({s[0], s[1], s[2] / g.kernel[0], g.kernel[0], s[3] / g.kernel[1], g.kernel[1]},
                               image.getElementType());
}

/// The map from window coordinates (n, oh, ow, c, kh, kw) to the blocked image's.
AffineMap windowsToBlocked(MLIRContext *ctx) {
  return AffineMap::getPermutationMap(ArrayRef<unsigned>{0, 3, 1, 4, 2, 5}, ctx);
}

const SmallVector<ReassociationIndices> kBlockedGroups{{0}, {1}, {2, 3}, {4, 5}};

/// A transposing copy between the windows and the blocked image: `from` is read through
/// `fromMap`, the result (`to`) is written in its own order.
Value permute(PatternRewriter &rewriter, Location loc, Value from, RankedTensorType to, AffineMap fromMap) {
  SmallVector<AffineMap> maps{fromMap, rewriter.getMultiDimIdentityMap(6)};
  auto generic = rewriter.create<linalg::GenericOp>(
      loc, to, from, makeEmpty(rewriter, loc, to), maps, iterators(6),
      [](OpBuilder &b, Location l, ValueRange args) { b.create<linalg::YieldOp>(l, args[0]); });
  generic->setAttr(group::kAttr, rewriter.getStringAttr(group::kLayout));
  return generic.getResult(0);
}

struct Im2ColLowering : public OpRewritePattern<Im2ColOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Im2ColOp op, PatternRewriter &rewriter) const override {
    WindowGeometry g = op.getGeometry();
    Location loc = op.getLoc();
    auto imageType = op.getInput().getType();
    // Windows that tile the image: a transpose of the blocked image, no index arithmetic.
    if (tilesExactly(g, imageType)) {
      Value blocked = rewriter.create<tensor::ExpandShapeOp>(loc, blockedImageType(g, imageType), op.getInput(),
                                                             kBlockedGroups);
      rewriter.replaceOp(op, permute(rewriter, loc, blocked, op.getResult().getType(),
                                     windowsToBlocked(op.getContext())));
      return success();
    }
    // The padding is an mlc.pad of the spatial dimensions, which the conversion then lowers.
    Value padded = padSpatial(rewriter, loc, op.getInput(), g.pads, op.getPadValue().convertToDouble());
    // windows[n, oh, ow, c, kh, kw] = padded[n, c, oh * sh + kh * dh, ow * sw + kw * dw], read
    // with tensor.extract at computed indices: an affine read map with sums is not a projected
    // permutation, which the vectorizer rejects (the copy stayed scalar), while an extract whose
    // last index steps by one with the innermost loop (kw, no dilation) becomes a vector load.
    auto type = op.getResult().getType();
    SmallVector<AffineMap> maps{rewriter.getMultiDimIdentityMap(6)};
    auto generic = rewriter.create<linalg::GenericOp>(
        loc, type, ValueRange{}, makeEmpty(rewriter, loc, type), maps, iterators(6),
        [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> i;
          for (int64_t d = 0; d < 6; ++d)
            i.push_back(b.create<linalg::IndexOp>(l, d));
          auto position = [&](Value o, int64_t stride, Value k, int64_t dilation) -> Value {
            Value a = b.create<arith::MulIOp>(l, o, indexConst(b, l, stride));
            Value c = b.create<arith::MulIOp>(l, k, indexConst(b, l, dilation));
            return b.create<arith::AddIOp>(l, a, c);
          };
          Value h = position(i[1], g.strides[0], i[4], g.dilations[0]);
          Value w = position(i[2], g.strides[1], i[5], g.dilations[1]);
          Value v = b.create<tensor::ExtractOp>(l, padded, ValueRange{i[0], i[3], h, w});
          b.create<linalg::YieldOp>(l, v);
        });
    generic->setAttr(group::kAttr, rewriter.getStringAttr(group::kWindows));
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

/// For image coordinate `x` along one spatial dimension and window offset `k`, the window that
/// took it: padded position x + pad - k * dilation must be a grid point of the stride below the
/// number of windows. Returns (valid, window index clamped to 0).
std::pair<Value, Value> sourceWindow(OpBuilder &b, Location loc, Value x, int64_t pad, int64_t k,
                                     int64_t dilation, int64_t stride, int64_t windows) {
  Value t = b.create<arith::AddIOp>(loc, x, indexConst(b, loc, pad - k * dilation));
  return gridPoint(b, loc, t, stride, windows);
}

struct Col2ImLowering : public OpRewritePattern<Col2ImOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Col2ImOp op, PatternRewriter &rewriter) const override {
    WindowGeometry g = op.getGeometry();
    Location loc = op.getLoc();
    Value windows = op.getInput();
    auto wType = op.getInput().getType();
    auto type = op.getResult().getType();
    // Each image element came from exactly one window: the inverse transpose, no sum.
    if (tilesExactly(g, type)) {
      AffineMap blockedToWindows = inversePermutation(windowsToBlocked(op.getContext()));
      Value blocked = permute(rewriter, loc, windows, blockedImageType(g, type), blockedToWindows);
      rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, type, blocked, kBlockedGroups);
      return success();
    }
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
    generic->setAttr(group::kAttr, rewriter.getStringAttr(group::kWindows));
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

} // namespace

void mlc::populateWindowPatterns(RewritePatternSet &patterns) {
  patterns.add<Im2ColLowering, Col2ImLowering>(patterns.getContext());
}
