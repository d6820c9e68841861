// Lowering of im2col and col2im to linalg.generic ops.
//
// im2col reads the image, padded by an mlc.pad, at strided positions (tensor.extract at
// oh * stride + kh * dilation), a copy whose reads along the innermost tap are vector loads. Its
// adjoint col2im is a gather: each image element sums the window elements that were taken from
// it. The image is split into the residue classes of the stride, one parallel op each with the
// taps that reach that class unrolled in its body (no reduction loop: one thread per image
// element on the GPU). Windows that tile the image exactly (1x1 convolutions, 2x2 pools of
// stride 2) are a transpose either way.
#include "compiler/Conversion/MlcToLinalg/Patterns.h"
#include "dialects/Mlc/MlcOpGroups.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <numeric>

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

/// The image positions x = stride * a + residue (a < count) along one spatial dimension, and the
/// window taps that reach them: tap k took x from window a + offset (when that window exists).
/// Grouping positions by residue makes every window index affine in a, with no division.
struct ResidueClass {
  int64_t count = 0;
  SmallVector<std::pair<int64_t, int64_t>> taps; // (k, offset)
};

/// The classes of residues 0 .. stride - 1, in that order.
SmallVector<ResidueClass> residueClasses(int64_t size, int64_t stride, int64_t pad, int64_t kernel,
                                         int64_t dilation) {
  SmallVector<ResidueClass> classes;
  for (int64_t r = 0; r < std::min(stride, size); ++r) {
    ResidueClass c;
    c.count = (size - r + stride - 1) / stride;
    for (int64_t k = 0; k < kernel; ++k) {
      int64_t t = r + pad - k * dilation; // padded position minus the tap, at a = 0
      if (t % stride == 0)
        c.taps.push_back({k, t / stride});
    }
    classes.push_back(std::move(c));
  }
  return classes;
}

/// For position index `a` of a residue class and a tap's window offset: (valid, window index
/// clamped into range). Bounds are tested only where the class's positions can leave the
/// `windows` range; `valid` is null when every position is in range.
std::pair<Value, Value> tapWindow(OpBuilder &b, Location loc, Value a, int64_t offset, int64_t count,
                                  int64_t windows) {
  Value index = offset == 0 ? a : b.create<arith::AddIOp>(loc, a, indexConst(b, loc, offset));
  Value valid;
  auto both = [&](Value c) { valid = valid ? b.create<arith::AndIOp>(loc, valid, c).getResult() : c; };
  if (offset < 0)
    both(b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sge, index, indexConst(b, loc, 0)));
  if (count - 1 + offset >= windows)
    both(b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, index, indexConst(b, loc, windows)));
  if (valid)
    index = b.create<arith::SelectOp>(loc, valid, index, indexConst(b, loc, 0));
  return {valid, index};
}

/// The sum of the taps of one residue class at class position (a, b): window elements read with
/// tensor.extract, taps whose window does not exist masked to zero. With channels interleaved
/// (`lane` not null) the window column of tap k is k * lanes + lane.
Value classSum(OpBuilder &b, Location l, Value windows, Value n, Value c, Value a, Value w, Value lane,
               int64_t lanes, const ResidueClass &rc, const ResidueClass &cc, Type elt) {
  auto wType = cast<RankedTensorType>(windows.getType());
  SmallVector<std::pair<Value, Value>> rowTaps, colTaps;
  for (auto [k, offset] : rc.taps)
    rowTaps.push_back(tapWindow(b, l, a, offset, rc.count, wType.getDimSize(1)));
  for (auto [k, offset] : cc.taps)
    colTaps.push_back(tapWindow(b, l, w, offset, cc.count, wType.getDimSize(2)));
  Value zero = floatConst(b, l, elt, 0.0), acc;
  for (auto [i, rowTap] : llvm::enumerate(rc.taps)) {
    for (auto [j, colTap] : llvm::enumerate(cc.taps)) {
      Value column = indexConst(b, l, colTap.first * lanes);
      if (lane)
        column = b.create<arith::AddIOp>(l, column, lane);
      Value v = b.create<tensor::ExtractOp>(
          l, windows, ValueRange{n, rowTaps[i].second, colTaps[j].second, c, indexConst(b, l, rowTap.first), column});
      Value valid = rowTaps[i].first;
      if (Value cv = colTaps[j].first)
        valid = valid ? b.create<arith::AndIOp>(l, valid, cv).getResult() : cv;
      if (valid)
        v = b.create<arith::SelectOp>(l, valid, v, zero);
      acc = acc ? b.create<arith::AddFOp>(l, acc, v).getResult() : v;
    }
  }
  return acc ? acc : zero;
}

/// The channels interleaved along the image's width: the largest L dividing the width, the
/// horizontal stride, kernel and pads. Then column x = L p + l of the image and column
/// j = L k + l' of a window meet only for l = l', at pixel p = S/L ow - pad/L + k: the col2im of
/// L channels side by side, as mlc-channels-last builds it (image [N, 1, H, W C], windows
/// stepping C), whose residue classes are those of the pixels (the stride's classes over
/// columns would be C times as many, each unrolled).
int64_t interleavedChannels(const WindowGeometry &g, int64_t width) {
  if (g.dilations[1] != 1)
    return 1;
  return std::gcd(std::gcd(std::gcd(g.strides[1], g.kernel[1]), std::gcd(g.pads[1], g.pads[3])), width);
}

/// col2im by residue classes of the stride. Image position (s * a + r, s * b + q) sums the taps
/// that reach class (r, q), each read from window (a + oh, b + ow) with offsets known at compile
/// time: no division or remainder per tap and element (one gather over the whole image needed
/// both, and the vectorized index arithmetic cost more than the data: 9 ms for a 64x64x14x14
/// gradient). One generic computes every class, an output each, so the windows around (a, b)
/// are read once; a second one interleaves the classes into the image, blocked as
/// [N, C, A, s, B, s] (contiguous reads and writes), cut to H x W when the stride does not
/// divide it. (Writing each class into a strided slice of the image took a pass over the windows
/// per class and scalar stores: four passes over a 3x3 max pool's windows, 9x the image.)
struct Col2ImLowering : public OpRewritePattern<Col2ImOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Col2ImOp op, PatternRewriter &rewriter) const override {
    WindowGeometry g = op.getGeometry();
    Location loc = op.getLoc();
    Value windows = op.getInput();
    auto type = op.getResult().getType();
    // Each image element came from exactly one window: the inverse transpose, no sum.
    if (tilesExactly(g, type)) {
      AffineMap blockedToWindows = inversePermutation(windowsToBlocked(op.getContext()));
      Value blocked = permute(rewriter, loc, windows, blockedImageType(g, type), blockedToWindows);
      rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, type, blocked, kBlockedGroups);
      return success();
    }
    Type elt = type.getElementType();
    ArrayRef<int64_t> shape = type.getShape();
    // Classes over pixels of `lanes` interleaved channels each (lanes = 1: plain columns).
    int64_t lanes = interleavedChannels(g, shape[3]);
    bool interleaved = lanes > 1;
    int64_t sh = g.strides[0], sw = g.strides[1] / lanes, width = shape[3] / lanes;
    int64_t blocksH = (shape[2] + sh - 1) / sh, blocksW = (width + sw - 1) / sw;
    // Every class spans blocksH x blocksW positions; those past the image are computed and cut.
    SmallVector<ResidueClass> rows = residueClasses(blocksH * sh, sh, g.pads[0], g.kernel[0], g.dilations[0]);
    SmallVector<ResidueClass> cols =
        residueClasses(blocksW * sw, sw, g.pads[1] / lanes, g.kernel[1] / lanes, interleaved ? 1 : g.dilations[1]);
    SmallVector<int64_t> classShape{shape[0], shape[1], blocksH, blocksW};
    if (interleaved)
      classShape.push_back(lanes);
    int64_t rank = classShape.size();
    auto classType = RankedTensorType::get(classShape, elt);
    SmallVector<Value> inits;
    for (size_t i = 0; i < rows.size() * cols.size(); ++i)
      inits.push_back(makeEmpty(rewriter, loc, classType));
    SmallVector<AffineMap> maps(inits.size(), rewriter.getMultiDimIdentityMap(rank));
    SmallVector<Type> classTypes(inits.size(), classType);
    auto sums = rewriter.create<linalg::GenericOp>(
        loc, classTypes, ValueRange{}, inits, maps, iterators(rank), [&](OpBuilder &b, Location l, ValueRange) {
          Value n = b.create<linalg::IndexOp>(l, 0), c = b.create<linalg::IndexOp>(l, 1);
          Value a = b.create<linalg::IndexOp>(l, 2), w = b.create<linalg::IndexOp>(l, 3);
          Value lane = interleaved ? b.create<linalg::IndexOp>(l, 4).getResult() : Value();
          SmallVector<Value> values;
          for (const ResidueClass &rc : rows)
            for (const ResidueClass &cc : cols)
              values.push_back(classSum(b, l, windows, n, c, a, w, lane, lanes, rc, cc, elt));
          b.create<linalg::YieldOp>(l, values);
        });
    sums->setAttr(group::kAttr, rewriter.getStringAttr(group::kWindows));
    if (sh == 1 && sw == 1) {
      Value image = sums.getResult(0);
      if (interleaved)
        image = rewriter.create<tensor::CollapseShapeOp>(loc, type, image,
                                                         SmallVector<ReassociationIndices>{{0}, {1}, {2}, {3, 4}});
      rewriter.replaceOp(op, image);
      return success();
    }
    // blocked[n, c, a, r, b, q(, l)] = class (r, q) at [n, c, a, b(, l)].
    SmallVector<int64_t> blockedShape{shape[0], shape[1], blocksH, sh, blocksW, sw};
    if (interleaved)
      blockedShape.push_back(lanes);
    int64_t blockedRank = blockedShape.size();
    auto blockedType = RankedTensorType::get(blockedShape, elt);
    MLIRContext *ctx = op.getContext();
    SmallVector<AffineExpr> classDims{getAffineDimExpr(0, ctx), getAffineDimExpr(1, ctx), getAffineDimExpr(2, ctx),
                                      getAffineDimExpr(4, ctx)};
    if (interleaved)
      classDims.push_back(getAffineDimExpr(6, ctx));
    AffineMap classMap = AffineMap::get(blockedRank, 0, classDims, ctx);
    SmallVector<AffineMap> interleaveMaps(inits.size(), classMap);
    interleaveMaps.push_back(rewriter.getMultiDimIdentityMap(blockedRank));
    auto interleave = rewriter.create<linalg::GenericOp>(
        loc, blockedType, sums.getResults(), makeEmpty(rewriter, loc, blockedType), interleaveMaps,
        iterators(blockedRank), [&](OpBuilder &b, Location l, ValueRange args) {
          Value r = b.create<linalg::IndexOp>(l, 3), q = b.create<linalg::IndexOp>(l, 5);
          Value v = args[0];
          for (int64_t i = 1; i < sh * sw; ++i) {
            Value isRow = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, r, indexConst(b, l, i / sw));
            Value isCol = b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, q, indexConst(b, l, i % sw));
            v = b.create<arith::SelectOp>(l, b.create<arith::AndIOp>(l, isRow, isCol), args[i], v);
          }
          b.create<linalg::YieldOp>(l, v);
        });
    interleave->setAttr(group::kAttr, rewriter.getStringAttr(group::kLayout));
    auto paddedType = RankedTensorType::get({shape[0], shape[1], blocksH * sh, blocksW * sw * lanes}, elt);
    SmallVector<ReassociationIndices> groups = kBlockedGroups;
    if (interleaved)
      groups.back().push_back(6);
    Value image = rewriter.create<tensor::CollapseShapeOp>(loc, paddedType, interleave.getResult(0), groups);
    if (paddedType != type)
      image = rewriter.create<tensor::ExtractSliceOp>(
          loc, type, image, SmallVector<OpFoldResult>(4, rewriter.getIndexAttr(0)),
          getAsIndexOpFoldResult(ctx, shape), SmallVector<OpFoldResult>(4, rewriter.getIndexAttr(1)));
    rewriter.replaceOp(op, image);
    return success();
  }
};

} // namespace

void mlc::populateWindowPatterns(RewritePatternSet &patterns) {
  patterns.add<Im2ColLowering, Col2ImLowering>(patterns.getContext());
}
