// ONNX Conv -> mlc.im2col + a contraction with the filters (+ a broadcast bias).
//
// Without groups the contraction is one GEMM: windows [N*OH*OW, C*KH*KW] times the flattened
// filters [F, C*KH*KW] transposed, so convolutions reuse the tuned matmul kernels on both targets.
// With groups each group's windows meet only its own filters: a broadcast multiply summed over
// the window, which fusion turns into one loop nest. Depthwise convolutions with small kernels
// are mlc.depthwise_conv: no windows, and an image gradient that is itself a depthwise convolution.
// Dense 3x3 stride-1 convolutions with enough channels are Winograd convolutions (see
// dialects/Mlc/WinogradConv.h) where that saves enough multiply-adds.
#include "dialects/Mlc/MlcOps.h"
#include "dialects/Mlc/WinogradConv.h"
#include "frontends/onnx/Windows.h"

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

RankedTensorType tensorType(ArrayRef<int64_t> shape, Type elt) { return RankedTensorType::get(shape, elt); }

Value convolveDense(NodeContext &ctx, const NodeWindows &w, Value filters, int64_t f) {
  OpBuilder &b = ctx.b;
  Location loc = ctx.loc;
  Value windows = im2col(b, loc, w.image, w.geometry, 0.0);
  auto wt = cast<RankedTensorType>(windows.getType());
  ArrayRef<int64_t> s = wt.getShape();
  Type elt = wt.getElementType();
  int64_t pixels = s[0] * s[1] * s[2], depth = s[3] * s[4] * s[5];
  Value rows = reshapeTo(b, loc, windows, tensorType({pixels, depth}, elt));
  Value flat = reshapeTo(b, loc, filters, tensorType({f, depth}, elt));
  Value y = b.create<MatmulOp>(loc, tensorType({pixels, f}, elt), rows, flat, UnitAttr(), b.getUnitAttr());
  y = reshapeTo(b, loc, y, tensorType({s[0], s[1], s[2], f}, elt));
  return b.create<TransposeOp>(loc, tensorType({s[0], f, s[1], s[2]}, elt), y,
                               b.getDenseI64ArrayAttr({0, 3, 1, 2}));
}

Value convolveGrouped(NodeContext &ctx, const NodeWindows &w, Value filters, int64_t f, int64_t groups) {
  OpBuilder &b = ctx.b;
  Location loc = ctx.loc;
  auto it = w.imageType();
  ArrayRef<int64_t> is = it.getShape();
  Type elt = it.getElementType();
  int64_t n = is[0], cg = is[1] / groups, fg = f / groups;
  // [N, C, H, W] -> [N * G, C/G, H, W]: each group is an image of its own channels.
  Value image = reshapeTo(b, loc, w.image, tensorType({n * groups, cg, is[2], is[3]}, elt));
  Value windows = im2col(b, loc, image, w.geometry, 0.0);
  ArrayRef<int64_t> ws = cast<RankedTensorType>(windows.getType()).getShape();
  int64_t pixels = ws[1] * ws[2], depth = cg * ws[4] * ws[5];
  auto product = tensorType({n, groups, fg, pixels, depth}, elt);
  windows = reshapeTo(b, loc, windows, tensorType({n, groups, 1, pixels, depth}, elt));
  windows = broadcastTo(b, loc, windows, product, {0, 1, 2, 3, 4});
  Value flat = reshapeTo(b, loc, filters, tensorType({groups, fg, 1, depth}, elt));
  flat = broadcastTo(b, loc, flat, product, {1, 2, 3, 4});
  Value y = reduceSum(b, loc, b.create<MulOp>(loc, windows, flat), {4}, /*keepDims=*/false);
  return reshapeTo(b, loc, y, tensorType({n, f, ws[1], ws[2]}, elt));
}

// The window taps up to which a depthwise convolution is an mlc.depthwise_conv (whose
// decomposition sums one term per tap); larger kernels take the grouped windows path.
constexpr int64_t kMaxDepthwiseTaps = 25;

Value convolveDepthwise(NodeContext &ctx, const NodeWindows &w, Value filters) {
  const WindowGeometry &g = w.geometry;
  auto ft = cast<RankedTensorType>(filters.getType());
  Value perChannel = reshapeTo(ctx.b, ctx.loc, filters,
                               tensorType({ft.getDimSize(0), g.kernel[0], g.kernel[1]}, ft.getElementType()));
  return depthwiseConv(ctx.b, ctx.loc, w.image, perChannel, g);
}

/// The Winograd tile for this node's convolution, or 0 to build it from windows: dense 2-D
/// 3x3 filters at stride 1 without dilation, in f32 or f64.
int64_t winogradTile(const NodeContext &ctx, const NodeWindows &w, int64_t groups, int64_t f) {
  const WindowGeometry &g = w.geometry;
  auto it = w.imageType();
  Type elt = it.getElementType();
  if (groups != 1 || w.rank != 4 || ArrayRef<int64_t>(g.kernel) != ArrayRef<int64_t>{3, 3} ||
      ArrayRef<int64_t>(g.strides) != ArrayRef<int64_t>{1, 1} ||
      ArrayRef<int64_t>(g.dilations) != ArrayRef<int64_t>{1, 1} || !(elt.isF32() || elt.isF64()))
    return 0;
  RankedTensorType out = w.outputType(f);
  return chooseWinogradTile(ctx.convAlgorithm, out.getDimSize(2), out.getDimSize(3), it.getDimSize(1), f);
}

// Y = conv(X, W) + B; X [N, C, spatial...], W [F, C / group, kernel...], B [F].
void importConv(NodeContext &ctx) {
  ctx.expect({"auto_pad", "dilations", "group", "kernel_shape", "pads", "strides"}, 2, 3);
  Value x = ctx.input(0), filters = ctx.input(1);
  auto xt = ctx.inputType(0), ft = ctx.inputType(1);
  if (ft.getRank() != xt.getRank())
    ctx.fail("the filters have rank " + std::to_string(ft.getRank()) + " for an input of rank " +
             std::to_string(xt.getRank()));
  int64_t groups = ctx.intAttr("group", 1);
  int64_t c = xt.getDimSize(1), f = ft.getDimSize(0);
  if (groups < 1 || c % groups != 0 || f % groups != 0)
    ctx.fail("group " + std::to_string(groups) + " does not divide the " + std::to_string(c) +
             " input channels and " + std::to_string(f) + " filters");
  if (ft.getDimSize(1) * groups != c)
    ctx.fail("the filters take " + std::to_string(ft.getDimSize(1)) + " channels per group, the input has " +
             std::to_string(c) + " channels in " + std::to_string(groups) + " group(s)");
  ArrayRef<int64_t> kernel = ft.getShape().drop_front(2);
  if (const onnx::AttributeProto *a = ctx.attr("kernel_shape"))
    if (!llvm::equal(a->ints(), kernel))
      ctx.fail("kernel_shape does not match the filters' spatial shape");
  NodeWindows w = readWindows(ctx, x, kernel, /*ceilMode=*/false);
  if (w.rank == 3)
    filters = reshapeTo(ctx.b, ctx.loc, filters,
                        tensorType({f, ft.getDimSize(1), kernel[0], 1}, ft.getElementType()));
  bool depthwise = groups == c && f == c && w.geometry.kernel[0] * w.geometry.kernel[1] <= kMaxDepthwiseTaps;
  int64_t tile = winogradTile(ctx, w, groups, f);
  Value y = tile        ? winogradConv3x3(ctx.b, ctx.loc, w.image, filters, w.geometry.pads, tile)
            : groups == 1 ? convolveDense(ctx, w, filters, f)
            : depthwise   ? convolveDepthwise(ctx, w, filters)
                          : convolveGrouped(ctx, w, filters, f, groups);
  if (ctx.hasInput(2)) {
    auto bt = ctx.inputType(2);
    if (bt.getRank() != 1 || bt.getDimSize(0) != f)
      ctx.fail("the bias must have shape [" + std::to_string(f) + "]");
    y = ctx.b.create<AddOp>(ctx.loc, y,
                            broadcastTo(ctx.b, ctx.loc, ctx.input(2), cast<RankedTensorType>(y.getType()), {1}));
  }
  ctx.setOutput(0, w.toNodeRank(ctx, y));
}

} // namespace

void mlc::onnx_import::registerConvOps(llvm::StringMap<OpConverter> &table) { table["Conv"] = importConv; }
