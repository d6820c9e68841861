// VJP rules of the window ops: im2col and col2im are linear and each other's adjoints; a depthwise
// convolution's image adjoint is a depthwise convolution too.
#include "compiler/Autodiff/Rules/Rules.h"

using namespace mlir;
using namespace mlc;

namespace {

// Every window element is a copy of one image element (or the pad value, which is no input), so
// the image adjoint sums the window adjoints back: col2im.
struct Im2ColVJP : VJPRule<Im2ColVJP, Im2ColOp> {
  static LogicalResult vjp(Im2ColOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    g[0] = col2im(b, op.getLoc(), dy, op.getGeometry(), op.getInput().getType());
    return success();
  }
};

// col2im is the transpose of im2col with zero padding.
struct Col2ImVJP : VJPRule<Col2ImVJP, Col2ImOp> {
  static LogicalResult vjp(Col2ImOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    g[0] = im2col(b, op.getLoc(), dy, op.getGeometry(), 0.0);
    return success();
  }
};

// Image adjoint: each image element received dy from every (window, tap) that read it. Spread dy
// by the strides (stride - 1 zeros between elements), pad it so that window u of a stride-1
// convolution covers exactly the outputs that read image element u, and convolve with the
// filters rotated by 180 degrees (flip_kernel toggled). Filter adjoint: per tap, the sum over
// the batch and the outputs of dy times the image elements that tap read.
struct DepthwiseConvVJP : VJPRule<DepthwiseConvVJP, DepthwiseConvOp> {
  static LogicalResult vjp(DepthwiseConvOp op, OpBuilder &b, Value dy, ArrayRef<bool> needed,
                           SmallVectorImpl<Value> &g) {
    Location loc = op.getLoc();
    WindowGeometry geo = op.getGeometry();
    auto image = op.getInput().getType();
    auto out = op.getResult().getType();
    Type elt = image.getElementType();
    bool flip = op.getFlipKernel(), last = op.getChannelsLast();
    if (needed[0])
      g[0] = imageAdjoint(b, loc, dy, op.getFilters(), geo, image, out, flip, last);
    if (needed[1])
      g[1] = filterAdjoint(b, loc, dy, op.getInput(), geo, out, flip, last, elt);
    return success();
  }

  static Value imageAdjoint(OpBuilder &b, Location loc, Value dy, Value filters, const WindowGeometry &geo,
                            RankedTensorType image, RankedTensorType out, bool flip, bool last) {
    // Along each spatial dimension: L zeros before the spread dy, R after, so that the padded
    // length is the image's plus the dilated kernel's extent minus one. Negative amounts (pads
    // wider than the kernel) are cut off by a slice afterwards.
    SmallVector<int64_t> low(4, 0), high(4, 0), interior(4, 0), cut(4, 0);
    SmallVector<int64_t> padded(out.getShape()), wanted(image.getShape());
    bool needsCut = false;
    int64_t h = last ? 1 : 2; // the first spatial dimension
    for (int d = 0; d < 2; ++d) {
      int64_t extent = geo.dilations[d] * (geo.kernel[d] - 1);
      int64_t spread = (out.getDimSize(d + h) - 1) * geo.strides[d] + 1;
      int64_t l = extent - geo.pads[d], r = image.getDimSize(d + h) + extent - l - spread;
      low[d + h] = std::max<int64_t>(l, 0);
      high[d + h] = std::max<int64_t>(r, 0);
      interior[d + h] = geo.strides[d] - 1;
      cut[d + h] = std::max<int64_t>(-l, 0);
      padded[d + h] = low[d + h] + spread + high[d + h];
      wanted[d + h] = image.getDimSize(d + h) + extent;
      needsCut |= padded[d + h] != wanted[d + h];
    }
    Type elt = image.getElementType();
    Value q = b.create<PadOp>(loc, RankedTensorType::get(padded, elt), dy, low, high, interior, llvm::APFloat(0.0));
    if (needsCut)
      q = b.create<SliceOp>(loc, RankedTensorType::get(wanted, elt), q, b.getDenseI64ArrayAttr(cut),
                            b.getDenseI64ArrayAttr({1, 1, 1, 1}));
    WindowGeometry unit{geo.kernel, {1, 1}, geo.dilations, {0, 0, 0, 0}};
    return depthwiseConv(b, loc, q, filters, unit, !flip, last);
  }

  static Value filterAdjoint(OpBuilder &b, Location loc, Value dy, Value x, const WindowGeometry &geo,
                             RankedTensorType out, bool flip, bool last, Type elt) {
    int64_t c = out.getDimSize(last ? 3 : 1), kh = geo.kernel[0], kw = geo.kernel[1];
    auto filtersType = RankedTensorType::get({c, kh, kw}, elt);
    Value padded = padSpatial(b, loc, x, geo.pads, 0.0, last);
    SmallVector<int64_t> batchAndSpatial = last ? SmallVector<int64_t>{0, 1, 2} : SmallVector<int64_t>{0, 2, 3};
    Value sum;
    for (int64_t i = 0; i < kh; ++i) {
      for (int64_t j = 0; j < kw; ++j) {
        Value tap = windowTap(b, loc, padded, geo, i, j, out, last);
        Value perChannel = reduceSum(b, loc, b.create<MulOp>(loc, dy, tap), batchAndSpatial, /*keepDims=*/false);
        // Tap (i, j) read filters[c, fi, fj]: its sum goes there.
        int64_t fi = flip ? kh - 1 - i : i, fj = flip ? kw - 1 - j : j;
        Value cell = reshapeTo(b, loc, perChannel, RankedTensorType::get({c, 1, 1}, elt));
        Value placed = b.create<PadOp>(loc, filtersType, cell, ArrayRef<int64_t>{0, fi, fj},
                                       ArrayRef<int64_t>{0, kh - 1 - fi, kw - 1 - fj}, ArrayRef<int64_t>{0, 0, 0},
                                       llvm::APFloat(0.0));
        sum = sum ? b.create<AddOp>(loc, sum, placed).getResult() : placed;
      }
    }
    return sum;
  }
};

} // namespace

void mlc::registerWindowVJPRules(MLIRContext *ctx) {
  Im2ColOp::attachInterface<Im2ColVJP>(*ctx);
  Col2ImOp::attachInterface<Col2ImVJP>(*ctx);
  DepthwiseConvOp::attachInterface<DepthwiseConvVJP>(*ctx);
}
