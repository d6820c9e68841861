// ONNX Resize (opset 10+) and Upsample, nearest and linear modes: separable, one axis at a time.
// Each output position along a resized axis reads a source coordinate (coordinate_transformation_mode);
// nearest gathers the rounded index (nearest_mode), linear gathers the two neighbours and blends them
// with constant weights. Gathers and products are differentiable, so gradients flow to the input.
#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"

#include <cmath>

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

struct ResizeMode {
  bool linear = false;
  std::string coordinates = "half_pixel", nearest = "round_prefer_floor";
};

/// The source coordinate of output index `o` along an axis of `in` -> `out` elements at `scale`.
double sourceCoordinate(NodeContext &ctx, const ResizeMode &m, int64_t o, int64_t in, int64_t out, double scale) {
  const std::string &t = m.coordinates;
  if (t == "half_pixel")
    return (o + 0.5) / scale - 0.5;
  if (t == "pytorch_half_pixel")
    return out > 1 ? (o + 0.5) / scale - 0.5 : 0.0;
  if (t == "align_corners") { // the resized length before rounding (in x scale), as ONNX's reference
    double length = static_cast<double>(in) * scale;
    return length > 1 ? o * static_cast<double>(in - 1) / (length - 1) : 0.0;
  }
  if (t == "asymmetric")
    return o / scale;
  ctx.fail("coordinate_transformation_mode '" + t + "' is not supported");
}

int64_t nearestIndex(NodeContext &ctx, const ResizeMode &m, double c, int64_t in) {
  double r;
  if (m.nearest == "round_prefer_floor")
    r = (c - std::floor(c) == 0.5) ? std::floor(c) : std::round(c);
  else if (m.nearest == "round_prefer_ceil")
    r = (c - std::floor(c) == 0.5) ? std::ceil(c) : std::round(c);
  else if (m.nearest == "floor")
    r = std::floor(c);
  else if (m.nearest == "ceil")
    r = std::ceil(c);
  else
    ctx.fail("nearest_mode '" + m.nearest + "' is not supported");
  return std::clamp<int64_t>(static_cast<int64_t>(r), 0, in - 1);
}

Value indexConstant(NodeContext &ctx, ArrayRef<int64_t> indices) {
  auto type = RankedTensorType::get({static_cast<int64_t>(indices.size())}, ctx.b.getI64Type());
  return ctx.b.create<arith::ConstantOp>(ctx.loc, type, DenseElementsAttr::get(type, indices));
}

/// `x` resized along `axis` to `out` elements.
Value resizeAxis(NodeContext &ctx, const ResizeMode &m, Value x, int64_t axis, int64_t out, double scale) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t in = type.getDimSize(axis);
  if (!m.linear) {
    SmallVector<int64_t> idx;
    for (int64_t o = 0; o < out; ++o)
      idx.push_back(nearestIndex(ctx, m, sourceCoordinate(ctx, m, o, in, out, scale), in));
    return gather(ctx.b, ctx.loc, x, indexConstant(ctx, idx), axis);
  }
  // Linear: x[i0] (1 - t) + x[i1] t, the coordinate clamped into [0, in - 1] (edges repeat).
  SmallVector<int64_t> lo, hi;
  SmallVector<Attribute> wLo, wHi;
  Type elt = type.getElementType();
  for (int64_t o = 0; o < out; ++o) {
    double c = std::clamp(sourceCoordinate(ctx, m, o, in, out, scale), 0.0, static_cast<double>(in - 1));
    int64_t i0 = static_cast<int64_t>(std::floor(c));
    int64_t i1 = std::min(i0 + 1, in - 1);
    double t = c - static_cast<double>(i0);
    lo.push_back(i0);
    hi.push_back(i1);
    wLo.push_back(FloatAttr::get(elt, 1.0 - t));
    wHi.push_back(FloatAttr::get(elt, t));
  }
  Value a = gather(ctx.b, ctx.loc, x, indexConstant(ctx, lo), axis);
  Value b = gather(ctx.b, ctx.loc, x, indexConstant(ctx, hi), axis);
  auto resultType = cast<RankedTensorType>(a.getType());
  auto weightType = RankedTensorType::get({out}, elt);
  auto weights = [&](ArrayRef<Attribute> w) {
    Value c = ctx.b.create<arith::ConstantOp>(ctx.loc, weightType, DenseElementsAttr::get(weightType, w));
    return broadcastTo(ctx.b, ctx.loc, c, resultType, {axis});
  };
  return ctx.b.create<AddOp>(ctx.loc, ctx.b.create<MulOp>(ctx.loc, a, weights(wLo)),
                             ctx.b.create<MulOp>(ctx.loc, b, weights(wHi)));
}

/// Float constant input `i` as doubles (scales).
std::vector<double> floatList(NodeContext &ctx, size_t i) {
  auto c = ctx.input(i).getDefiningOp<arith::ConstantOp>();
  auto dense = c ? dyn_cast<DenseElementsAttr>(c.getValue()) : DenseElementsAttr();
  if (!dense)
    ctx.fail("scales must be a constant");
  std::vector<double> out;
  for (Attribute v : dense.getValues<Attribute>())
    out.push_back(cast<FloatAttr>(v).getValueAsDouble());
  return out;
}

void resize(NodeContext &ctx, const ResizeMode &m, std::vector<double> scales, std::vector<int64_t> sizes) {
  auto type = ctx.inputType(0);
  int64_t rank = type.getRank();
  if (!scales.empty() && static_cast<int64_t>(scales.size()) != rank)
    ctx.fail("scales has " + std::to_string(scales.size()) + " entries for a rank-" + std::to_string(rank) + " input");
  if (!sizes.empty() && static_cast<int64_t>(sizes.size()) != rank)
    ctx.fail("sizes has " + std::to_string(sizes.size()) + " entries for a rank-" + std::to_string(rank) + " input");
  if (scales.empty() && sizes.empty())
    ctx.fail("neither scales nor sizes is given");
  Value x = ctx.input(0);
  for (int64_t d = 0; d < rank; ++d) {
    int64_t in = type.getDimSize(d);
    double scale = sizes.empty() ? scales[d] : static_cast<double>(sizes[d]) / static_cast<double>(in);
    double length = sizes.empty() ? std::floor(in * scale) : static_cast<double>(sizes[d]);
    // The index tables are built element by element: bounded, so hostile sizes cannot hang the import.
    if (!(scale > 0) || !(length >= 1) || length > double(int64_t(1) << 24))
      ctx.fail("axis " + std::to_string(d) + " of " + std::to_string(in) + " elements resized by " +
               std::to_string(scale) + ": its length must be 1 to 2^24");
    int64_t out = static_cast<int64_t>(length);
    if (out == in && scale == 1.0)
      continue;
    x = resizeAxis(ctx, m, x, d, out, scale);
  }
  ctx.setOutput(0, x);
}

ResizeMode readMode(NodeContext &ctx, const char *defaultCoordinates) {
  ResizeMode m;
  const onnx::AttributeProto *mode = ctx.attr("mode");
  std::string name = mode ? mode->s() : "nearest";
  if (name != "nearest" && name != "linear")
    ctx.fail("mode '" + name + "' is not supported (nearest and linear are)");
  m.linear = name == "linear";
  m.coordinates = defaultCoordinates;
  if (const onnx::AttributeProto *a = ctx.attr("coordinate_transformation_mode"))
    m.coordinates = a->s();
  if (const onnx::AttributeProto *a = ctx.attr("nearest_mode"))
    m.nearest = a->s();
  if (ctx.intAttr("exclude_outside", 0) != 0)
    ctx.fail("exclude_outside is not supported");
  return m;
}

// Resize(X, roi, scales, sizes) from opset 11 (scales only at opset 10: Resize(X, scales)).
void importResize(NodeContext &ctx) {
  ctx.expect({"coordinate_transformation_mode", "cubic_coeff_a", "exclude_outside", "extrapolation_value", "mode",
              "nearest_mode"}, 2, 4);
  if (ctx.opset < 11) {
    // Opset 10: asymmetric coordinates, nearest rounds down.
    ResizeMode m = readMode(ctx, "asymmetric");
    m.nearest = "floor";
    return resize(ctx, m, floatList(ctx, 1), {});
  }
  ResizeMode m = readMode(ctx, "half_pixel");
  if (m.coordinates == "tf_crop_and_resize")
    ctx.fail("coordinate_transformation_mode 'tf_crop_and_resize' is not supported");
  std::vector<double> scales;
  std::vector<int64_t> sizes;
  if (ctx.hasInput(3)) {
    if (!ctx.isIntInput(3))
      ctx.fail("sizes must be a constant");
    sizes = ctx.intInput(3).values;
  } else if (ctx.hasInput(2)) {
    scales = floatList(ctx, 2);
  }
  if (!scales.empty() && !sizes.empty())
    ctx.fail("only one of scales and sizes may be given");
  resize(ctx, m, scales, sizes);
}

// Upsample (opset 7-9, deprecated): scales as an attribute (7) or input (9); asymmetric coordinates.
void importUpsample(NodeContext &ctx) {
  ctx.expect({"mode", "scales"}, 1, 2);
  ResizeMode m = readMode(ctx, "asymmetric");
  m.nearest = "floor";
  std::vector<double> scales;
  if (ctx.hasInput(1))
    scales = floatList(ctx, 1);
  else if (const onnx::AttributeProto *a = ctx.attr("scales"))
    scales.assign(a->floats().begin(), a->floats().end());
  resize(ctx, m, scales, {});
}

} // namespace

void mlc::onnx_import::registerResizeOps(llvm::StringMap<OpConverter> &table) {
  table["Resize"] = importResize;
  table["Upsample"] = importUpsample;
}
