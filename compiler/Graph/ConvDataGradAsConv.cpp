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

/// The product dY x filters ([N OH OW, F] x [F, C KH KW]) that `col2im` folds back, when the
/// rewrite applies and pays: stride 1, no dilation, pads below the kernel, windows that
/// overlap; at least `minChannels` image channels (the columns of the new product: LeNet's 6
/// make a GEMM of narrow, half-empty register tiles); and dY's windows (H W F per image, F
/// filters over the padded image) not more than kGatherCost times col2im's (OH OW C): without
/// padding and with more filters than channels (LeNet's 16 over 6) they can be 5 times larger.
MatmulOp foldedProduct(Col2ImOp col2im, int64_t minChannels) {
  WindowGeometry g = col2im.getGeometry();
  for (int d = 0; d < 2; ++d)
    if (g.strides[d] != 1 || g.dilations[d] != 1 || g.pads[d] > g.kernel[d] - 1 || g.pads[d + 2] > g.kernel[d] - 1)
      return {};
  if (g.kernel[0] * g.kernel[1] == 1)
    return {}; // 1x1 windows tile the image: col2im is a transpose
  auto reshape = col2im.getInput().getDefiningOp<ReshapeOp>();
  auto mm = reshape ? reshape.getInput().getDefiningOp<MatmulOp>() : MatmulOp();
  if (!mm || mm.getTransposeLhs() || mm.getTransposeRhs() || mm.getResult().getType().getRank() != 2)
    return {};
  ArrayRef<int64_t> w = col2im.getInput().getType().getShape(); // N, OH, OW, C, KH, KW
  auto dy = mm.getLhs().getType(), filters = mm.getRhs().getType();
  if (dy.getDimSize(0) != w[0] * w[1] * w[2] || filters.getDimSize(1) != w[3] * w[4] * w[5])
    return {};
  auto image = col2im.getResult().getType();
  int64_t f = dy.getDimSize(1), c = w[3];
  if (c < minChannels || image.getDimSize(2) * image.getDimSize(3) * f > kGatherCost * w[1] * w[2] * c)
    return {};
  return mm;
}

Value imageGradient(OpBuilder &b, Col2ImOp col2im, MatmulOp product) {
  Location loc = col2im.getLoc();
  WindowGeometry g = col2im.getGeometry();
  ArrayRef<int64_t> w = col2im.getInput().getType().getShape();
  auto image = col2im.getResult().getType();
  Type elt = image.getElementType();
  int64_t n = w[0], oh = w[1], ow = w[2], c = w[3], kh = g.kernel[0], kw = g.kernel[1], taps = kh * kw;
  int64_t f = product.getLhs().getType().getDimSize(1);
  int64_t h = image.getDimSize(2), wd = image.getDimSize(3);

  // dY's windows, kernel KH x KW, stride 1, pads K - 1 - pad on each side, taken channels last:
  // the rows [N OH OW, F] are an image [N, 1, OH, OW F] whose windows are KH rows of KW F
  // contiguous elements, stepping F along a row (pads scaled by F likewise): [N H W, KH KW F].
  // Channels first ([N H W, F KH KW] from the image [N, F, OH, OW]), each window row was KW
  // (five) elements, copied in vectors of five.
  Value rowsImage = reshapeTo(b, loc, product.getLhs(), tensorType({n, 1, oh, ow * f}, elt));
  WindowGeometry back{{kh, kw * f}, {1, f}, {1, 1},
                      {kh - 1 - g.pads[0], (kw - 1 - g.pads[1]) * f, kh - 1 - g.pads[2], (kw - 1 - g.pads[3]) * f}};
  Value rows = reshapeTo(b, loc, im2col(b, loc, rowsImage, back, 0.0), tensorType({n * h * wd, taps * f}, elt));
  // The filters [F, C, KH KW] with the taps reversed (tap t -> KH KW - 1 - t), as [KH KW F, C].
  SmallVector<int64_t> reversed;
  for (int64_t t = taps - 1; t >= 0; --t)
    reversed.push_back(t);
  auto indexType = tensorType({taps}, b.getI64Type());
  Value order = b.create<arith::ConstantOp>(loc, DenseElementsAttr::get(indexType, ArrayRef<int64_t>(reversed)));
  Value filters = reshapeTo(b, loc, product.getRhs(), tensorType({f, c, taps}, elt));
  filters = b.create<GatherOp>(loc, tensorType({f, c, taps}, elt), filters, order, b.getI64IntegerAttr(2));
  filters = b.create<TransposeOp>(loc, tensorType({taps, f, c}, elt), filters, b.getDenseI64ArrayAttr({2, 0, 1}));
  filters = reshapeTo(b, loc, filters, tensorType({taps * f, c}, elt));
  // [N H W, KH KW F] x [KH KW F, C] -> [N, C, H, W].
  auto dx = b.create<MatmulOp>(loc, tensorType({n * h * wd, c}, elt), rows, filters, UnitAttr(), UnitAttr());
  dx->setAttr(group::kAttr, b.getStringAttr(group::kConvBackwardData));
  Value img = reshapeTo(b, loc, dx, tensorType({n, h, wd, c}, elt));
  return b.create<TransposeOp>(loc, image, img, b.getDenseI64ArrayAttr({0, 3, 1, 2}));
}

struct ConvDataGradAsConvPass : public mlc::impl::ConvDataGradAsConvBase<ConvDataGradAsConvPass> {
  using ConvDataGradAsConvBase::ConvDataGradAsConvBase;
  void runOnOperation() override {
    SmallVector<std::pair<Col2ImOp, MatmulOp>> matches;
    getOperation().walk([&](Col2ImOp op) {
      if (MatmulOp mm = foldedProduct(op, minChannels))
        matches.push_back({op, mm});
    });
    IRRewriter rewriter(&getContext());
    for (auto [col2im, product] : matches) {
      rewriter.setInsertionPoint(col2im);
      rewriter.replaceOp(col2im, imageGradient(rewriter, col2im, product));
    }
  }
};

} // namespace
