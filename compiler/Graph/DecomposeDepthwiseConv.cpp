// mlc-decompose-depthwise-conv: depthwise convolutions as sums of shifted image slices times
// per-channel weights, ops the code generators fuse and vectorize like any elementwise chain.
#include "compiler/Graph/Passes.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/IR/PatternMatch.h"

namespace mlc {
#define GEN_PASS_DEF_DECOMPOSEDEPTHWISECONV
#include "compiler/Graph/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc;

namespace {

/// y = sum over taps (kh, kw) of tap(kh, kw) of the padded image times the filters' weight for
/// that tap, broadcast over the batch and the output positions. Each tap is a strided view of
/// the padded image, so the sum reads the image in place (no KH*KW-times larger windows).
Value decompose(OpBuilder &b, DepthwiseConvOp op) {
  Location loc = op.getLoc();
  WindowGeometry g = op.getGeometry();
  auto out = op.getResult().getType();
  Type elt = out.getElementType();
  bool last = op.getChannelsLast();
  int64_t channelDim = last ? 3 : 1;
  int64_t c = out.getDimSize(channelDim), kh = g.kernel[0], kw = g.kernel[1];
  bool flip = op.getFlipKernel();
  Value padded = padSpatial(b, loc, op.getInput(), g.pads, 0.0, last);
  // The filters [C, KH KW]; channels last each tap's weights are a vector along the channels, so
  // they are taken tap-major, [KH KW, C] (a column of [C, KH KW] steps KH KW elements: every
  // vector of weights was a gather).
  Value perTap = reshapeTo(b, loc, op.getFilters(), RankedTensorType::get({c, kh * kw}, elt));
  if (last)
    perTap = b.create<TransposeOp>(loc, RankedTensorType::get({kh * kw, c}, elt), perTap,
                                   b.getDenseI64ArrayAttr({1, 0}));
  auto weightType = RankedTensorType::get(last ? ArrayRef<int64_t>{1, c} : ArrayRef<int64_t>{c, 1}, elt);
  Value sum;
  for (int64_t i = 0; i < kh; ++i) {
    for (int64_t j = 0; j < kw; ++j) {
      int64_t fi = flip ? kh - 1 - i : i, fj = flip ? kw - 1 - j : j;
      int64_t t = fi * kw + fj;
      Value weight = b.create<SliceOp>(loc, weightType, perTap,
                                       b.getDenseI64ArrayAttr(last ? ArrayRef<int64_t>{t, 0} : ArrayRef<int64_t>{0, t}),
                                       b.getDenseI64ArrayAttr({1, 1}));
      weight = broadcastTo(b, loc, reshapeTo(b, loc, weight, RankedTensorType::get({c}, elt)), out, {channelDim});
      Value term = b.create<MulOp>(loc, windowTap(b, loc, padded, g, i, j, out, last), weight);
      sum = sum ? b.create<AddOp>(loc, sum, term).getResult() : term;
    }
  }
  return sum;
}

struct DecomposeDepthwiseConvPass : public mlc::impl::DecomposeDepthwiseConvBase<DecomposeDepthwiseConvPass> {
  void runOnOperation() override {
    SmallVector<DepthwiseConvOp> convs;
    getOperation().walk([&](DepthwiseConvOp op) { convs.push_back(op); });
    IRRewriter rewriter(&getContext());
    for (DepthwiseConvOp op : convs) {
      rewriter.setInsertionPoint(op);
      rewriter.replaceOp(op, decompose(rewriter, op));
    }
  }
};

} // namespace
