// ONNX Conv -> mlc.im2col + a contraction with the filters (+ a broadcast bias); ConvTranspose ->
// the contraction the other way round + mlc.col2im (a convolution's image adjoint).
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

// Y = ConvTranspose(X, W) + B; X [N, C, H, W], W [C, F / group, KH, KW]: every input pixel
// spreads its channels' filters over a window of Y. The windows [N, H, W, F, KH, KW] are one GEMM
// (pixels x channels times channels x F KH KW; with groups a batch of one GEMM per group, each of
// its C / group channels and F / group outputs); col2im sums them into Y as a convolution over Y
// with the same kernel, strides, dilations and pads would have read them, so that Y's size is
// (H - 1) * stride - pads + dilation * (KH - 1) + 1 + output_padding.
void importConvTranspose(NodeContext &ctx) {
  ctx.expect({"auto_pad", "dilations", "group", "kernel_shape", "output_padding", "output_shape", "pads",
              "strides"}, 2, 3);
  auto xt = ctx.inputType(0), ft = ctx.inputType(1);
  int64_t rank = xt.getRank();
  if ((rank != 3 && rank != 4) || ft.getRank() != rank)
    ctx.fail("only 1-D and 2-D ConvTranspose (input and filters of rank 3 or 4) is supported");
  int64_t groups = ctx.intAttr("group", 1);
  size_t spatial = rank - 2;
  Value x = ctx.input(0), filters = ctx.input(1);
  if (rank == 3) { // 1-D: a width of 1
    x = reshapeTo(ctx.b, ctx.loc, x, tensorType({xt.getDimSize(0), xt.getDimSize(1), xt.getDimSize(2), 1},
                                                xt.getElementType()));
    filters = reshapeTo(ctx.b, ctx.loc, filters, tensorType({ft.getDimSize(0), ft.getDimSize(1), ft.getDimSize(2), 1},
                                                            ft.getElementType()));
  }
  auto it = cast<RankedTensorType>(x.getType());
  int64_t n = it.getDimSize(0), c = it.getDimSize(1), h = it.getDimSize(2), w = it.getDimSize(3);
  if (ft.getDimSize(0) != c)
    ctx.fail("the filters are for " + std::to_string(ft.getDimSize(0)) + " input channels, the input has " +
             std::to_string(c));
  if (groups < 1 || c % groups != 0)
    ctx.fail("group " + std::to_string(groups) + " does not divide the " + std::to_string(c) + " input channels");
  int64_t fg = ft.getDimSize(1), f = fg * groups, cg = c / groups;
  WindowGeometry g;
  g.kernel = {ft.getDimSize(2), rank == 4 ? ft.getDimSize(3) : 1};
  if (const onnx::AttributeProto *a = ctx.attr("kernel_shape"))
    if (!llvm::equal(a->ints(), ArrayRef<int64_t>(g.kernel).take_front(spatial)))
      ctx.fail("kernel_shape does not match the filters' spatial shape");
  auto spatialAttr = [&](const char *name, int64_t dflt) {
    SmallVector<int64_t> v = intsAttr(ctx, name, spatial, dflt);
    if (rank == 3)
      v.push_back(dflt);
    return v;
  };
  g.strides = spatialAttr("strides", 1);
  g.dilations = spatialAttr("dilations", 1);
  SmallVector<int64_t> extra = spatialAttr("output_padding", 0);
  SmallVector<int64_t> begin(2, 0), end(2, 0), out(2);
  const onnx::AttributeProto *autoPad = ctx.attr("auto_pad");
  std::string mode = autoPad ? autoPad->s() : "NOTSET";
  if (mode != "NOTSET" && mode != "SAME_UPPER" && mode != "SAME_LOWER" && mode != "VALID")
    ctx.fail("auto_pad '" + mode + "' is not supported");
  const onnx::AttributeProto *shape = ctx.attr("output_shape");
  if (shape && shape->ints_size() != static_cast<int>(spatial))
    ctx.fail("output_shape needs " + std::to_string(spatial) + " values");
  SmallVector<int64_t> pads = intsAttr(ctx, "pads", 2 * spatial, 0);
  for (size_t d = 0; d < 2; ++d) {
    int64_t in = d == 0 ? h : w, span = g.dilations[d] * (g.kernel[d] - 1) + 1;
    if (extra[d] < 0 || (extra[d] >= g.strides[d] && extra[d] >= g.dilations[d]))
      ctx.fail("output_padding " + std::to_string(extra[d]) + " must be below the stride or the dilation");
    bool same = mode == "SAME_UPPER" || mode == "SAME_LOWER";
    if ((shape || same) && d < spatial) {
      // ONNX: the total padding that gives the requested size, split as auto_pad says.
      int64_t want = shape ? shape->ints(d) : in * g.strides[d];
      int64_t total = g.strides[d] * (in - 1) + extra[d] + span - want;
      bool upper = mode == "SAME_UPPER";
      begin[d] = upper ? total / 2 : total - total / 2;
      end[d] = total - begin[d];
      // A negative end pad: rows past the last window that nothing sums into (as output_padding).
      if (begin[d] < 0)
        ctx.fail("output_shape " + std::to_string(want) + " would need rows before the first window");
    } else if (mode == "NOTSET" && d < spatial) {
      begin[d] = pads[d];
      end[d] = pads[d + spatial];
    }
    out[d] = (in - 1) * g.strides[d] - begin[d] - end[d] + span + extra[d];
    if (out[d] < 1)
      ctx.fail("the output would have " + std::to_string(out[d]) + " rows or columns");
  }
  g.pads = {begin[0], begin[1], std::max<int64_t>(end[0], 0), std::max<int64_t>(end[1], 0)};
  Type elt = it.getElementType();
  OpBuilder &b = ctx.b;
  Location loc = ctx.loc;
  Value pixels = b.create<TransposeOp>(loc, tensorType({n, h, w, c}, elt), x,
                                       b.getDenseI64ArrayAttr({0, 2, 3, 1}));
  pixels = reshapeTo(b, loc, pixels, tensorType({n * h * w, c}, elt));
  int64_t depth = f * g.kernel[0] * g.kernel[1], groupDepth = fg * g.kernel[0] * g.kernel[1];
  Value windows;
  if (groups == 1) {
    Value flat = reshapeTo(b, loc, filters, tensorType({c, depth}, elt));
    windows = b.create<MatmulOp>(loc, tensorType({n * h * w, depth}, elt), pixels, flat, UnitAttr(), UnitAttr());
  } else {
    // Group-major: output channel g * F/group + o, as ONNX numbers them.
    Value perGroup = reshapeTo(b, loc, pixels, tensorType({n * h * w, groups, cg}, elt));
    perGroup = b.create<TransposeOp>(loc, tensorType({groups, n * h * w, cg}, elt), perGroup,
                                     b.getDenseI64ArrayAttr({1, 0, 2}));
    Value flat = reshapeTo(b, loc, filters, tensorType({groups, cg, groupDepth}, elt));
    Value products = b.create<MatmulOp>(loc, tensorType({groups, n * h * w, groupDepth}, elt), perGroup, flat,
                                        UnitAttr(), UnitAttr());
    windows = b.create<TransposeOp>(loc, tensorType({n * h * w, groups, groupDepth}, elt), products,
                                    b.getDenseI64ArrayAttr({1, 0, 2}));
  }
  windows = reshapeTo(b, loc, windows, tensorType({n, h, w, f, g.kernel[0], g.kernel[1]}, elt));
  auto yt = tensorType({n, f, out[0], out[1]}, elt);
  // output_padding's rows and columns (below the stride) and negative end pads lie past the last
  // window: no window sums into them, as in ONNX. Where they would add a window, refuse.
  if (g.outputSize(0, out[0]) != h || g.outputSize(1, out[1]) != w)
    ctx.fail("the output size does not give one window per input position (output_padding at or above the "
             "stride?)");
  Value y = col2im(b, loc, windows, g, yt);
  if (ctx.hasInput(2)) {
    auto bt = ctx.inputType(2);
    if (bt.getRank() != 1 || bt.getDimSize(0) != f)
      ctx.fail("the bias must have shape [" + std::to_string(f) + "]");
    y = b.create<AddOp>(loc, y, broadcastTo(b, loc, ctx.input(2), yt, {1}));
  }
  if (rank == 3)
    y = reshapeTo(b, loc, y, tensorType({n, f, out[0]}, elt));
  ctx.setOutput(0, y);
}

} // namespace

void mlc::onnx_import::registerConvOps(llvm::StringMap<OpConverter> &table) {
  table["Conv"] = importConv;
  table["ConvTranspose"] = importConvTranspose;
}
