// mlc-conv-data-grad-as-conv: the image gradient of a stride-1 convolution as a convolution of
// the result gradient with the flipped, transposed filters, instead of windows summed back by
// col2im.
//
// Autodiff of windows x filters gives dWindows = dY x filters, folded into the image by col2im:
// each image element gathers KH x KW window elements (with bounds checks) from a tensor KH x KW
// times the image's size. For stride 1 and no dilation the same sum is a convolution:
// dX[n, c, h, w] = sum over f, kh, kw of dY[n, f, h + top - kh, w + left - kw] W[f, c, kh, kw],
// i.e. the windows of dY padded by K - 1 - pad, times W with its taps reversed and its two channel
// dimensions swapped. im2col reads dY in order (a copy, no gathers), channels last so that each
// window row is KW x F contiguous elements, and the product is one GEMM, as fast as the forward
// pass's.
#include "compiler/Graph/Passes.h"
#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOpGroups.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/PatternMatch.h"

namespace mlc {
#define GEN_PASS_DEF_CONVDATAGRADASCONV
#include "compiler/Graph/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc;

namespace {

RankedTensorType tensorType(ArrayRef<int64_t> shape, Type elt) { return RankedTensorType::get(shape, elt); }

/// im2col copies; col2im gathers with bounds checks, measured about 4 times the cost per element.
constexpr int64_t kGatherCost = 4;

/// A col2im as a convolution's image gradient: the image's sizes in pixels and channels and the
/// kernel and pads in pixels. Channels first the image is [N, C, H, W] and the windows
/// [N, OH, OW, C, KH, KW]; channels last (mlc-channels-last) the image is [N, 1, H, W C], whose
/// windows of KW C elements step C along a row: [N, OH, OW, 1, KH, KW C].
struct ConvView {
  bool channelsLast = false;
  int64_t n, c, h, w, oh, ow, kh, kw;
  SmallVector<int64_t, 4> pads; // top, left, bottom, right
};

/// The stride-1, dilation-1 convolution whose image gradient `col2im` computes, if it is one.
std::optional<ConvView> viewOf(Col2ImOp col2im) {
  WindowGeometry g = col2im.getGeometry();
  ArrayRef<int64_t> ws = col2im.getInput().getType().getShape(); // N, OH, OW, C, KH, KW
  ArrayRef<int64_t> is = col2im.getResult().getType().getShape();
  if (g.strides[0] != 1 || g.dilations[0] != 1 || g.dilations[1] != 1)
    return std::nullopt;
  ConvView v;
  v.n = ws[0], v.oh = ws[1], v.ow = ws[2], v.h = is[2], v.kh = g.kernel[0];
  v.pads.assign(g.pads.begin(), g.pads.end());
  if (g.strides[1] == 1) {
    v.c = ws[3], v.w = is[3], v.kw = g.kernel[1];
    return v;
  }
  int64_t c = g.strides[1];
  if (is[1] != 1 || g.kernel[1] % c || is[3] % c || g.pads[1] % c || g.pads[3] % c)
    return std::nullopt;
  v.channelsLast = true;
  v.c = c, v.w = is[3] / c, v.kw = g.kernel[1] / c;
  v.pads[1] /= c, v.pads[3] /= c;
  return v;
}

/// The product dY x filters ([N OH OW, F] x [F, C KH KW]) that `col2im` folds back, when the
/// rewrite applies and pays: stride 1, no dilation, pads below the kernel, windows that
/// overlap; at least `minChannels` image channels (the columns of the new product: LeNet's 6
/// make a GEMM of narrow, half-empty register tiles); and dY's windows (H W F per image, F
/// filters over the padded image) not more than kGatherCost times col2im's (OH OW C): without
/// padding and with more filters than channels (LeNet's 16 over 6) they can be 5 times larger.
MatmulOp foldedProduct(Col2ImOp col2im, const ConvView &v, int64_t minChannels) {
  if (v.pads[0] > v.kh - 1 || v.pads[2] > v.kh - 1 || v.pads[1] > v.kw - 1 || v.pads[3] > v.kw - 1)
    return {};
  if (v.kh * v.kw == 1)
    return {}; // 1x1 windows tile the image: col2im is a transpose
  auto reshape = col2im.getInput().getDefiningOp<ReshapeOp>();
  auto mm = reshape ? reshape.getInput().getDefiningOp<MatmulOp>() : MatmulOp();
  if (!mm || mm.getTransposeLhs() || mm.getResult().getType().getRank() != 2)
    return {};
  // The filters [F, C KH KW], or [C KH KW, F] multiplied transposed (mlc-channels-last builds
  // the forward product as windows x [KH KW C, F]).
  auto dy = mm.getLhs().getType(), filters = mm.getRhs().getType();
  if (dy.getDimSize(0) != v.n * v.oh * v.ow || filters.getDimSize(mm.getTransposeRhs() ? 0 : 1) != v.c * v.kh * v.kw)
    return {};
  int64_t f = dy.getDimSize(1);
  if (v.c < minChannels || v.h * v.w * f > kGatherCost * v.oh * v.ow * v.c)
    return {};
  return mm;
}

Value imageGradient(OpBuilder &b, Col2ImOp col2im, const ConvView &v, MatmulOp product) {
  Location loc = col2im.getLoc();
  auto image = col2im.getResult().getType();
  Type elt = image.getElementType();
  int64_t n = v.n, oh = v.oh, ow = v.ow, c = v.c, kh = v.kh, kw = v.kw, taps = kh * kw;
  int64_t f = product.getLhs().getType().getDimSize(1);

  // dY's windows, kernel KH x KW, stride 1, pads K - 1 - pad on each side, taken channels last:
  // the rows [N OH OW, F] are an image [N, 1, OH, OW F] whose windows are KH rows of KW F
  // contiguous elements, stepping F along a row (pads scaled by F likewise): [N H W, KH KW F].
  // Channels first ([N H W, F KH KW] from the image [N, F, OH, OW]), each window row was KW
  // (five) elements, copied in vectors of five.
  Value rowsImage = reshapeTo(b, loc, product.getLhs(), tensorType({n, 1, oh, ow * f}, elt));
  WindowGeometry back = WindowGeometry{{kh, kw}, {1, 1}, {1, 1},
                                      {kh - 1 - v.pads[0], kw - 1 - v.pads[1], kh - 1 - v.pads[2], kw - 1 - v.pads[3]}}
                            .overChannels(f);
  Value rows = reshapeTo(b, loc, im2col(b, loc, rowsImage, back, 0.0), tensorType({n * v.h * v.w, taps * f}, elt));
  // The filters with the taps reversed (tap t -> KH KW - 1 - t), as [KH KW F, C]. They come as
  // [F, C, KH KW] or [F, KH KW, C] (channels last), or either with F last when the product
  // multiplies them transposed.
  SmallVector<int64_t> reversed;
  for (int64_t t = taps - 1; t >= 0; --t)
    reversed.push_back(t);
  auto indexType = tensorType({taps}, b.getI64Type());
  Value order = b.create<arith::ConstantOp>(loc, DenseElementsAttr::get(indexType, ArrayRef<int64_t>(reversed)));
  enum Dim { F, C, Tap };
  SmallVector<Dim, 3> dims = v.channelsLast ? SmallVector<Dim, 3>{Tap, C} : SmallVector<Dim, 3>{C, Tap};
  if (product.getTransposeRhs())
    dims.push_back(F);
  else
    dims.insert(dims.begin(), F);
  SmallVector<int64_t> shape, toTapFC(3);
  for (Dim d : dims)
    shape.push_back(d == F ? f : d == C ? c : taps);
  for (auto [i, d] : llvm::enumerate(dims))
    toTapFC[d == Tap ? 0 : d == F ? 1 : 2] = i;
  auto byTap = tensorType(shape, elt);
  Value filters = reshapeTo(b, loc, product.getRhs(), byTap);
  int64_t tapAxis = toTapFC[0];
  filters = b.create<GatherOp>(loc, byTap, filters, order, b.getI64IntegerAttr(tapAxis));
  filters = b.create<TransposeOp>(loc, tensorType({taps, f, c}, elt), filters, b.getDenseI64ArrayAttr(toTapFC));
  filters = reshapeTo(b, loc, filters, tensorType({taps * f, c}, elt));
  // [N H W, KH KW F] x [KH KW F, C] -> [N H W, C]: the image channels last as it is, or transposed
  // to [N, C, H, W].
  auto dx = b.create<MatmulOp>(loc, tensorType({n * v.h * v.w, c}, elt), rows, filters, UnitAttr(), UnitAttr());
  dx->setAttr(group::kAttr, b.getStringAttr(group::kConvBackwardData));
  if (v.channelsLast)
    return reshapeTo(b, loc, dx, image);
  Value img = reshapeTo(b, loc, dx, tensorType({n, v.h, v.w, c}, elt));
  return b.create<TransposeOp>(loc, image, img, b.getDenseI64ArrayAttr({0, 3, 1, 2}));
}

struct ConvDataGradAsConvPass : public mlc::impl::ConvDataGradAsConvBase<ConvDataGradAsConvPass> {
  using ConvDataGradAsConvBase::ConvDataGradAsConvBase;
  void runOnOperation() override {
    struct Match {
      Col2ImOp col2im;
      ConvView view;
      MatmulOp product;
    };
    SmallVector<Match> matches;
    getOperation().walk([&](Col2ImOp op) {
      if (std::optional<ConvView> v = viewOf(op))
        if (MatmulOp mm = foldedProduct(op, *v, minChannels))
          matches.push_back({op, *v, mm});
    });
    IRRewriter rewriter(&getContext());
    for (Match &m : matches) {
      rewriter.setInsertionPoint(m.col2im);
      rewriter.replaceOp(m.col2im, imageGradient(rewriter, m.col2im, m.view, m.product));
    }
  }
};

} // namespace
