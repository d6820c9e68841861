// ONNX MaxPool, AveragePool, GlobalAveragePool and GlobalMaxPool -> mlc.im2col + a reduction;
// GlobalLpPool -> the p-norm over the spatial dimensions.
//
// Channels are folded into the batch ([N, C, H, W] -> [N * C, 1, H, W]) so that the windows come
// out as [N, C, OH, OW, KH * KW] and reduce straight to the NCHW result.
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/Windows.h"

#include <limits>

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

/// The windows of every channel of `image` [N, C, H, W] as [N, C, OH, OW, KH * KW].
Value channelWindows(NodeContext &ctx, Value image, const WindowGeometry &g, double padValue) {
  auto t = cast<RankedTensorType>(image.getType());
  ArrayRef<int64_t> s = t.getShape();
  Type elt = t.getElementType();
  Value folded = reshapeTo(ctx.b, ctx.loc, image, RankedTensorType::get({s[0] * s[1], 1, s[2], s[3]}, elt));
  Value windows = im2col(ctx.b, ctx.loc, folded, g, padValue);
  ArrayRef<int64_t> ws = cast<RankedTensorType>(windows.getType()).getShape();
  return reshapeTo(ctx.b, ctx.loc, windows,
                   RankedTensorType::get({s[0], s[1], ws[1], ws[2], ws[4] * ws[5]}, elt));
}

SmallVector<int64_t> poolKernel(NodeContext &ctx) {
  const onnx::AttributeProto *a = ctx.attr("kernel_shape");
  if (!a)
    ctx.fail("kernel_shape is required");
  return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

void importMaxPool(NodeContext &ctx) {
  ctx.expect({"auto_pad", "ceil_mode", "dilations", "kernel_shape", "pads", "storage_order", "strides"}, 1, 1);
  if (ctx.node.output_size() > 1 && !ctx.node.output(1).empty())
    ctx.fail("the Indices output is not supported");
  NodeWindows w = readWindows(ctx, ctx.input(0), poolKernel(ctx), ctx.intAttr("ceil_mode", 0));
  Value windows = channelWindows(ctx, w.image, w.geometry, -std::numeric_limits<double>::infinity());
  ctx.setOutput(0, w.toNodeRank(ctx, reduceMax(ctx.b, ctx.loc, windows, {4}, false)));
}

/// How many elements each window averages over, as [1, 1, OH, OW]: the windows of an all-ones
/// image, so padding is excluded (count_include_pad = 0) or, for an image already holding the
/// declared pads, only ceil_mode's extra end padding is (count_include_pad = 1).
Value windowCounts(NodeContext &ctx, const NodeWindows &w, bool includePad) {
  auto t = w.imageType();
  Type elt = t.getElementType();
  WindowGeometry g = w.geometry;
  int64_t h = t.getDimSize(2), wd = t.getDimSize(3);
  if (includePad) {
    h += w.declaredPads[0] + w.declaredPads[2];
    wd += w.declaredPads[1] + w.declaredPads[3];
    g.pads = {0, 0, g.pads[2] - w.declaredPads[2], g.pads[3] - w.declaredPads[3]};
  }
  Value ones = makeSplat(ctx.b, ctx.loc, RankedTensorType::get({1, 1, h, wd}, elt), 1.0);
  return reduceSum(ctx.b, ctx.loc, channelWindows(ctx, ones, g, 0.0), {4}, false);
}

void importAveragePool(NodeContext &ctx) {
  ctx.expect({"auto_pad", "ceil_mode", "count_include_pad", "dilations", "kernel_shape", "pads", "strides"}, 1, 1);
  NodeWindows w = readWindows(ctx, ctx.input(0), poolKernel(ctx), ctx.intAttr("ceil_mode", 0));
  Value sum = reduceSum(ctx.b, ctx.loc, channelWindows(ctx, w.image, w.geometry, 0.0), {4}, false);
  auto type = cast<RankedTensorType>(sum.getType());
  bool includePad = ctx.intAttr("count_include_pad", 0);
  bool padded = llvm::any_of(w.geometry.pads, [](int64_t p) { return p != 0; });
  bool extended = w.geometry.pads != w.declaredPads;
  Value count;
  if (!padded || (includePad && !extended))
    count = makeSplat(ctx.b, ctx.loc, type, double(w.geometry.kernel[0] * w.geometry.kernel[1]));
  else
    count = broadcastTo(ctx.b, ctx.loc, windowCounts(ctx, w, includePad), type, {0, 1, 2, 3});
  ctx.setOutput(0, w.toNodeRank(ctx, ctx.b.create<DivOp>(ctx.loc, sum, count)));
}

// Global pools reduce every spatial dimension, keeping them as size 1.
template <bool isMax>
void importGlobalPool(NodeContext &ctx) {
  ctx.expect({}, 1, 1);
  Value x = ctx.input(0);
  auto t = ctx.inputType(0);
  if (t.getRank() < 3)
    ctx.fail("the input needs at least one spatial dimension, got rank " + std::to_string(t.getRank()));
  SmallVector<int64_t> dims;
  int64_t count = 1;
  for (int64_t d = 2; d < t.getRank(); ++d) {
    dims.push_back(d);
    count *= t.getDimSize(d);
  }
  if (isMax) {
    ctx.setOutput(0, reduceMax(ctx.b, ctx.loc, x, dims, true));
    return;
  }
  Value sum = reduceSum(ctx.b, ctx.loc, x, dims, true);
  ctx.setOutput(0, ctx.b.create<DivOp>(ctx.loc, sum, splatLike(ctx, sum, double(count))));
}

// (sum over the spatial dimensions of |x|^p)^(1/p), kept as size 1; p = 1 and 2 without pow.
void importGlobalLpPool(NodeContext &ctx) {
  ctx.expect({"p"}, 1, 1);
  Value x = ctx.input(0);
  auto t = ctx.inputType(0);
  if (t.getRank() < 3)
    ctx.fail("the input needs at least one spatial dimension, got rank " + std::to_string(t.getRank()));
  int64_t p = ctx.intAttr("p", 2);
  if (p < 1)
    ctx.fail("p " + std::to_string(p) + " is not positive");
  SmallVector<int64_t> dims;
  for (int64_t d = 2; d < t.getRank(); ++d)
    dims.push_back(d);
  Value magnitude = ctx.b.create<WhereGtOp>(ctx.loc, x, splatLike(ctx, x, 0.0), x, ctx.b.create<NegOp>(ctx.loc, x));
  Value powered = p == 1   ? magnitude
                  : p == 2 ? ctx.b.create<MulOp>(ctx.loc, x, x).getResult()
                           : ctx.b.create<PowOp>(ctx.loc, magnitude, splatLike(ctx, x, double(p))).getResult();
  Value sum = reduceSum(ctx.b, ctx.loc, powered, dims, true);
  Value norm = p == 1   ? sum
               : p == 2 ? ctx.b.create<SqrtOp>(ctx.loc, sum).getResult()
                        : ctx.b.create<PowOp>(ctx.loc, sum, splatLike(ctx, sum, 1.0 / double(p))).getResult();
  ctx.setOutput(0, norm);
}

} // namespace

void mlc::onnx_import::registerPoolOps(llvm::StringMap<OpConverter> &table) {
  table["MaxPool"] = importMaxPool;
  table["AveragePool"] = importAveragePool;
  table["GlobalAveragePool"] = importGlobalPool<false>;
  table["GlobalMaxPool"] = importGlobalPool<true>;
  table["GlobalLpPool"] = importGlobalLpPool;
}
