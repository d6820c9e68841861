// Window attribute parsing for Conv and pooling (see Windows.h).
#include "frontends/onnx/Windows.h"
#include "dialects/Mlc/MlcOps.h"

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

SmallVector<int64_t> mlc::onnx_import::intsAttr(const NodeContext &ctx, const char *name, size_t size,
                                                int64_t dflt) {
  const onnx::AttributeProto *a = ctx.attr(name);
  if (!a)
    return SmallVector<int64_t>(size, dflt);
  if (static_cast<size_t>(a->ints_size()) != size)
    ctx.fail("attribute '" + std::string(name) + "' needs " + std::to_string(size) + " values, got " +
             std::to_string(a->ints_size()));
  return SmallVector<int64_t>(a->ints().begin(), a->ints().end());
}

RankedTensorType NodeWindows::outputType(int64_t channels) const {
  auto windows = geometry.windowsType(imageType());
  return RankedTensorType::get({windows.getDimSize(0), channels, windows.getDimSize(1), windows.getDimSize(2)},
                               windows.getElementType());
}

Value NodeWindows::toNodeRank(NodeContext &ctx, Value v) const {
  if (rank == 4)
    return v;
  auto type = cast<RankedTensorType>(v.getType());
  auto out = RankedTensorType::get(type.getShape().take_front(3), type.getElementType());
  return reshapeTo(ctx.b, ctx.loc, v, out);
}

NodeWindows mlc::onnx_import::readWindows(NodeContext &ctx, Value x, ArrayRef<int64_t> kernel,
                                          bool ceilMode) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t spatial = type.getRank() - 2;
  if (spatial != 1 && spatial != 2)
    ctx.fail("only 1-D and 2-D inputs ([N, C, L] or [N, C, H, W]) are supported, got rank " +
             std::to_string(type.getRank()));
  if (static_cast<int64_t>(kernel.size()) != spatial)
    ctx.fail("the kernel has " + std::to_string(kernel.size()) + " dimensions for a " +
             std::to_string(spatial) + "-D input");
  SmallVector<int64_t> strides = intsAttr(ctx, "strides", spatial, 1);
  SmallVector<int64_t> dilations = intsAttr(ctx, "dilations", spatial, 1);
  SmallVector<int64_t> pads = intsAttr(ctx, "pads", 2 * spatial, 0);
  for (int64_t i = 0; i < spatial; ++i)
    if (kernel[i] < 1 || strides[i] < 1 || dilations[i] < 1)
      ctx.fail("kernel sizes, strides and dilations must be positive");
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    ctx.fail("negative pads are not supported");

  std::string autoPad = "NOTSET";
  if (const onnx::AttributeProto *a = ctx.attr("auto_pad"))
    autoPad = a->s();
  if (autoPad == "VALID") {
    pads.assign(2 * spatial, 0);
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    // As many windows as ceil(size / stride); the odd pad goes at the end (UPPER) or start.
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t size = type.getDimSize(2 + i);
      int64_t out = (size + strides[i] - 1) / strides[i];
      int64_t span = dilations[i] * (kernel[i] - 1) + 1;
      int64_t total = std::max<int64_t>(0, (out - 1) * strides[i] + span - size);
      int64_t small = total / 2, large = total - small;
      pads[i] = autoPad == "SAME_UPPER" ? small : large;
      pads[i + spatial] = autoPad == "SAME_UPPER" ? large : small;
    }
  } else if (autoPad != "NOTSET") {
    ctx.fail("auto_pad '" + autoPad + "' is not one of NOTSET, SAME_UPPER, SAME_LOWER, VALID");
  }

  NodeWindows w;
  w.rank = type.getRank();
  w.image = x;
  if (spatial == 1) {
    auto image = RankedTensorType::get({type.getDimSize(0), type.getDimSize(1), type.getDimSize(2), 1},
                                       type.getElementType());
    w.image = reshapeTo(ctx.b, ctx.loc, x, image);
    w.geometry = {{kernel[0], 1}, {strides[0], 1}, {dilations[0], 1}, {pads[0], 0, pads[1], 0}};
  } else {
    w.geometry = {{kernel[0], kernel[1]}, {strides[0], strides[1]}, {dilations[0], dilations[1]},
                  {pads[0], pads[1], pads[2], pads[3]}};
  }
  w.declaredPads = w.geometry.pads;
  ArrayRef<int64_t> shape = w.imageType().getShape();
  for (int d = 0; d < 2; ++d) {
    int64_t out = w.geometry.outputSize(d, shape[2 + d]);
    if (out < 1)
      ctx.fail("the kernel (" + std::to_string(w.geometry.kernel[d]) + " with dilation " +
               std::to_string(w.geometry.dilations[d]) + ") does not fit the padded input size " +
               std::to_string(shape[2 + d] + w.geometry.pads[d] + w.geometry.pads[d + 2]));
    if (!ceilMode)
      continue;
    // ceil_mode: one more window where the last would be partial, unless it would start in the
    // end padding (PyTorch's and ONNX's rule); it is covered by extra end padding.
    int64_t padded = shape[2 + d] + w.geometry.pads[d] + w.geometry.pads[d + 2];
    int64_t span = w.geometry.dilations[d] * (w.geometry.kernel[d] - 1) + 1;
    int64_t stride = w.geometry.strides[d];
    int64_t ceilOut = (padded - span + stride - 1) / stride + 1;
    if ((ceilOut - 1) * stride >= shape[2 + d] + w.geometry.pads[d])
      --ceilOut;
    w.geometry.pads[d + 2] += std::max<int64_t>(0, (ceilOut - 1) * stride + span - padded);
  }
  return w;
}
