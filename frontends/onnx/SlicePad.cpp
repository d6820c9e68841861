// ONNX Slice, Split, Pad and Concat of float tensors -> mlc.slice (mlc.gather for negative steps) and
// mlc.pad. Split is one slice per output. Concat is a sum of pads: each input padded with zeros to the result's extent along the
// axis. (Integer shape arithmetic is folded at import instead: see ShapeFolding.cpp.)
#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

/// Integer list from input `i` (a constant) or, before `inputsSince`, from attribute `name`.
std::vector<int64_t> intsFrom(NodeContext &ctx, size_t i, const char *name, int64_t inputsSince) {
  if (ctx.opset < inputsSince) {
    const onnx::AttributeProto *a = ctx.attr(name);
    return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : std::vector<int64_t>();
  }
  if (!ctx.hasInput(i))
    return {};
  if (!ctx.isIntInput(i))
    ctx.fail(std::string(name) + " must be a constant");
  return ctx.intInput(i).values;
}

Value slice(NodeContext &ctx, Value x, ArrayRef<int64_t> offsets, ArrayRef<int64_t> sizes,
            ArrayRef<int64_t> strides) {
  auto type = cast<RankedTensorType>(x.getType());
  if (type.getShape() == sizes)
    return x;
  auto out = RankedTensorType::get(sizes, type.getElementType());
  return ctx.b.create<SliceOp>(ctx.loc, out, x, offsets, strides);
}

Value pad(NodeContext &ctx, Value x, ArrayRef<int64_t> low, ArrayRef<int64_t> high, double value) {
  auto type = cast<RankedTensorType>(x.getType());
  if (llvm::all_of(low, [](int64_t v) { return v == 0; }) && llvm::all_of(high, [](int64_t v) { return v == 0; }))
    return x;
  SmallVector<int64_t> shape;
  for (int64_t d = 0; d < type.getRank(); ++d)
    shape.push_back(low[d] + type.getDimSize(d) + high[d]);
  auto out = RankedTensorType::get(shape, type.getElementType());
  return ctx.b.create<PadOp>(ctx.loc, out, x, low, high, SmallVector<int64_t>(low.size(), 0),
                             llvm::APFloat(value));
}

// starts/ends/axes/steps as inputs from opset 10, attributes before; Python-style clamping.
void importSlice(NodeContext &ctx) {
  ctx.expect(ctx.opset < 10 ? std::initializer_list<const char *>{"axes", "ends", "starts"}
                            : std::initializer_list<const char *>{},
             ctx.opset < 10 ? 1 : 3, ctx.opset < 10 ? 1 : 5);
  Value x = ctx.input(0);
  auto type = ctx.inputType(0);
  int64_t rank = type.getRank();
  std::vector<int64_t> starts = intsFrom(ctx, 1, "starts", 10), ends = intsFrom(ctx, 2, "ends", 10);
  std::vector<int64_t> axes = intsFrom(ctx, 3, "axes", 10), steps = intsFrom(ctx, 4, "steps", 10);
  if (starts.size() != ends.size() || (!axes.empty() && axes.size() != starts.size()) ||
      (!steps.empty() && steps.size() != starts.size()))
    ctx.fail("starts, ends, axes and steps must have the same length");
  SmallVector<int64_t> offsets(rank, 0), sizes(type.getShape()), strides(rank, 1);
  // Axes walked backwards (negative steps) are gathered at the listed indices after the slice.
  SmallVector<std::pair<int64_t, std::vector<int64_t>>> reversed;
  for (size_t k = 0; k < starts.size(); ++k) {
    int64_t axis = normalizeAxis(ctx, axes.empty() ? static_cast<int64_t>(k) : axes[k], rank);
    int64_t dim = type.getDimSize(axis), step = steps.empty() ? 1 : steps[k];
    if (step == 0)
      ctx.fail("step of axis " + std::to_string(axis) + " is 0");
    // ONNX clamps into [0, dim] walking forwards and into [-1, dim - 1] walking backwards.
    int64_t lo = step > 0 ? 0 : -1, hi = step > 0 ? dim : dim - 1;
    auto clampIndex = [&](int64_t v) { return std::clamp<int64_t>(v < 0 ? v + dim : v, lo, hi); };
    int64_t start = clampIndex(starts[k]), end = clampIndex(ends[k]);
    int64_t span = step > 0 ? end - start : start - end, stride = std::abs(step);
    int64_t count = span > 0 ? (span + stride - 1) / stride : 0;
    if (count == 0)
      ctx.fail("the slice of axis " + std::to_string(axis) + " is empty; empty tensors are not supported");
    if (step < 0) {
      std::vector<int64_t> indices;
      for (int64_t i = 0; i < count; ++i)
        indices.push_back(start + i * step);
      reversed.push_back({axis, std::move(indices)});
      continue;
    }
    offsets[axis] = start;
    sizes[axis] = count;
    strides[axis] = step;
  }
  Value result = slice(ctx, x, offsets, sizes, strides);
  for (auto &[axis, indices] : reversed) {
    auto indexType = RankedTensorType::get({static_cast<int64_t>(indices.size())}, ctx.b.getI64Type());
    Value table = ctx.b.create<arith::ConstantOp>(ctx.loc, indexType,
                                                  DenseElementsAttr::get(indexType, llvm::ArrayRef<int64_t>(indices)));
    result = gather(ctx.b, ctx.loc, result, table, axis);
  }
  ctx.setOutput(0, result);
}

// Split sizes: the `split` attribute before opset 13, the optional constant input 1 from 13; without
// them, equal parts (the axis must divide). Every form up to opset 17 (libonnx's newest).
void importSplit(NodeContext &ctx) {
  if (ctx.opset < 13)
    ctx.expect({"axis", "split"}, 1, 1);
  else
    ctx.expect({"axis"}, 1, 2);
  auto type = ctx.inputType(0);
  int64_t rank = type.getRank();
  int64_t axis = normalizeAxis(ctx, ctx.intAttr("axis", 0), rank);
  int64_t dim = type.getDimSize(axis), parts = ctx.node.output_size();
  std::vector<int64_t> sizes = intsFrom(ctx, 1, "split", 13);
  if (sizes.empty()) {
    if (parts < 1 || dim % parts != 0)
      ctx.fail("axis " + std::to_string(axis) + " of size " + std::to_string(dim) + " does not split into " +
               std::to_string(parts) + " equal parts");
    sizes.assign(parts, dim / parts);
  }
  if (static_cast<int64_t>(sizes.size()) != parts)
    ctx.fail("split lists " + std::to_string(sizes.size()) + " sizes for " + std::to_string(parts) + " outputs");
  int64_t total = 0;
  for (int64_t size : sizes) {
    if (size < 1)
      ctx.fail("split sizes must be positive (empty tensors are not supported), got " + std::to_string(size));
    if (__builtin_add_overflow(total, size, &total))
      total = INT64_MAX;
  }
  if (total != dim)
    ctx.fail("split sizes add up to " + std::to_string(total) + ", not the axis's " + std::to_string(dim));
  SmallVector<int64_t> offsets(rank, 0), extent(type.getShape());
  for (int64_t i = 0; i < parts; ++i) {
    extent[axis] = sizes[i];
    if (!ctx.node.output(i).empty())
      ctx.setOutput(i, slice(ctx, ctx.input(0), offsets, extent, SmallVector<int64_t>(rank, 1)));
    offsets[axis] += sizes[i];
  }
}

// Constant mode only; negative pads crop (a slice) before the positive ones pad.
void importPad(NodeContext &ctx) {
  if (ctx.opset < 11)
    ctx.expect({"mode", "pads", "value"}, 1, 1);
  else
    ctx.expect({"mode"}, 2, 4);
  if (const onnx::AttributeProto *mode = ctx.attr("mode"); mode && mode->s() != "constant")
    ctx.fail("mode '" + mode->s() + "' is not supported (only 'constant')");
  Value x = ctx.input(0);
  auto type = ctx.inputType(0);
  int64_t rank = type.getRank();
  std::vector<int64_t> pads = intsFrom(ctx, 1, "pads", 11);
  double value = ctx.opset < 11 ? ctx.floatAttr("value", 0.0f) : 0.0;
  if (ctx.opset >= 11 && ctx.hasInput(2)) {
    std::optional<double> given = ctx.splatInput(2);
    if (!given)
      ctx.fail("constant_value must be a constant");
    value = *given;
  }
  std::vector<int64_t> axes = intsFrom(ctx, 3, "axes", 18);
  if (axes.empty())
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  if (pads.size() != 2 * axes.size())
    ctx.fail("pads needs " + std::to_string(2 * axes.size()) + " values, got " + std::to_string(pads.size()));
  SmallVector<int64_t> low(rank, 0), high(rank, 0), offsets(rank, 0), sizes(type.getShape());
  for (size_t k = 0; k < axes.size(); ++k) {
    int64_t axis = normalizeAxis(ctx, axes[k], rank);
    int64_t begin = pads[k], end = pads[k + axes.size()];
    low[axis] = std::max<int64_t>(begin, 0);
    high[axis] = std::max<int64_t>(end, 0);
    offsets[axis] = std::max<int64_t>(-begin, 0);
    sizes[axis] -= offsets[axis] + std::max<int64_t>(-end, 0);
    if (sizes[axis] < 1)
      ctx.fail("the pads crop axis " + std::to_string(axis) + " to nothing");
  }
  x = slice(ctx, x, offsets, sizes, SmallVector<int64_t>(rank, 1));
  ctx.setOutput(0, pad(ctx, x, low, high, value));
}

void importConcat(NodeContext &ctx) {
  ctx.expect({"axis"}, 1, 1 << 20);
  auto first = ctx.inputType(0);
  int64_t rank = first.getRank();
  int64_t axis = normalizeAxis(ctx, ctx.intAttr("axis", 0), rank);
  int64_t total = 0;
  for (size_t i = 0; i < ctx.numInputs(); ++i) {
    auto t = ctx.inputType(i);
    for (int64_t d = 0; d < rank; ++d)
      if (t.getRank() != rank || (d != axis && t.getDimSize(d) != first.getDimSize(d)))
        ctx.fail("input " + std::to_string(i) + " does not match the shape of input 0 off the axis");
    total += t.getDimSize(axis);
  }
  Value sum;
  int64_t before = 0;
  for (size_t i = 0; i < ctx.numInputs(); ++i) {
    int64_t size = ctx.inputType(i).getDimSize(axis);
    SmallVector<int64_t> low(rank, 0), high(rank, 0);
    low[axis] = before;
    high[axis] = total - before - size;
    Value part = pad(ctx, ctx.input(i), low, high, 0.0);
    sum = sum ? ctx.b.create<AddOp>(ctx.loc, sum, part).getResult() : part;
    before += size;
  }
  ctx.setOutput(0, sum);
}

} // namespace

void mlc::onnx_import::registerSlicePadOps(llvm::StringMap<OpConverter> &table) {
  table["Slice"] = importSlice;
  table["Split"] = importSplit;
  table["Pad"] = importPad;
  table["Concat"] = importConcat;
}
