// Import-time folding of integer shape arithmetic (Shape, Gather, Unsqueeze, Squeeze, Concat,
// Slice, Cast, Add/Sub/Mul/Div on integer constants) and ConstantOfShape: PyTorch exports of
// `x.view(x.size(0), -1)` compute Reshape's target this way, and every shape here is static.
#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"
#include "frontends/onnx/Tensors.h"

using namespace mlir;
using namespace mlc::onnx_import;

namespace {

int64_t numel(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// Element counts before and after `axis` of `shape`.
std::pair<int64_t, int64_t> outerInner(const std::vector<int64_t> &shape, int64_t axis) {
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < axis; ++i)
    outer *= shape[i];
  for (int64_t i = axis + 1; i < (int64_t)shape.size(); ++i)
    inner *= shape[i];
  return {outer, inner};
}

bool allIntInputs(NodeContext &ctx) {
  if (ctx.numInputs() == 0)
    return false;
  for (size_t i = 0; i < ctx.numInputs(); ++i)
    if (ctx.hasInput(i) && !ctx.isIntInput(i))
      return false;
  return true;
}

/// Axes from the attribute (older opsets) or the constant input 1.
std::vector<int64_t> axesOf(NodeContext &ctx, int64_t inputOpset) {
  if (ctx.opset < inputOpset) {
    const onnx::AttributeProto *a = ctx.attr("axes");
    return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : std::vector<int64_t>{};
  }
  return ctx.hasInput(1) ? ctx.intInput(1).values : std::vector<int64_t>{};
}

IntConstant foldShape(NodeContext &ctx) {
  std::vector<int64_t> dims;
  if (ctx.isIntInput(0)) {
    dims = ctx.intInput(0).shape;
  } else {
    auto type = ctx.inputType(0);
    dims.assign(type.getShape().begin(), type.getShape().end());
  }
  int64_t rank = dims.size();
  auto clampIndex = [&](int64_t i) { return std::clamp<int64_t>(i < 0 ? i + rank : i, 0, rank); };
  int64_t start = clampIndex(ctx.intAttr("start", 0)), end = clampIndex(ctx.intAttr("end", rank));
  std::vector<int64_t> values(dims.begin() + start, dims.begin() + std::max(start, end));
  return {{static_cast<int64_t>(values.size())}, values};
}

// out[o..., i..., n...] = data[o..., indices[i...], n...] along `axis`.
IntConstant foldGather(NodeContext &ctx) {
  const IntConstant &data = ctx.intInput(0), &indices = ctx.intInput(1);
  int64_t rank = data.shape.size();
  int64_t axis = normalizeAxis(ctx, ctx.intAttr("axis", 0), rank);
  auto [outer, inner] = outerInner(data.shape, axis);
  int64_t extent = data.shape[axis];
  IntConstant out;
  out.shape.assign(data.shape.begin(), data.shape.begin() + axis);
  out.shape.insert(out.shape.end(), indices.shape.begin(), indices.shape.end());
  out.shape.insert(out.shape.end(), data.shape.begin() + axis + 1, data.shape.end());
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t idx : indices.values) {
      if (idx < -extent || idx >= extent)
        ctx.fail("index " + std::to_string(idx) + " is out of range for a dimension of size " + std::to_string(extent));
      int64_t k = idx < 0 ? idx + extent : idx;
      for (int64_t n = 0; n < inner; ++n)
        out.values.push_back(data.values[(o * extent + k) * inner + n]);
    }
  return out;
}

IntConstant foldConcat(NodeContext &ctx) {
  const IntConstant &first = ctx.intInput(0);
  int64_t rank = first.shape.size();
  int64_t axis = normalizeAxis(ctx, ctx.intAttr("axis", 0), rank);
  auto [outer, inner] = outerInner(first.shape, axis);
  IntConstant out{first.shape, {}};
  out.shape[axis] = 0;
  for (size_t k = 0; k < ctx.numInputs(); ++k) {
    const IntConstant &in = ctx.intInput(k);
    if ((int64_t)in.shape.size() != rank)
      ctx.fail("inputs of different ranks");
    for (int64_t d = 0; d < rank; ++d)
      if (d != axis && in.shape[d] != first.shape[d])
        ctx.fail("input " + std::to_string(k) + " has size " + std::to_string(in.shape[d]) + " in dimension " +
                 std::to_string(d) + " where input 0 has " + std::to_string(first.shape[d]));
    out.shape[axis] += in.shape[axis];
  }
  for (int64_t o = 0; o < outer; ++o)
    for (size_t k = 0; k < ctx.numInputs(); ++k) {
      const IntConstant &in = ctx.intInput(k);
      int64_t chunk = in.shape[axis] * inner;
      out.values.insert(out.values.end(), in.values.begin() + o * chunk, in.values.begin() + (o + 1) * chunk);
    }
  return out;
}

IntConstant foldUnsqueeze(NodeContext &ctx) {
  IntConstant in = ctx.intInput(0);
  std::vector<int64_t> axes = axesOf(ctx, 13);
  int64_t rank = in.shape.size() + axes.size();
  std::vector<bool> isNew(rank, false);
  for (int64_t a : axes)
    isNew[normalizeAxis(ctx, a, rank)] = true;
  std::vector<int64_t> shape;
  size_t next = 0;
  for (int64_t i = 0; i < rank; ++i)
    shape.push_back(isNew[i] ? 1 : in.shape.at(next++));
  return {shape, in.values};
}

IntConstant foldSqueeze(NodeContext &ctx) {
  IntConstant in = ctx.intInput(0);
  std::vector<int64_t> axes = axesOf(ctx, 13);
  int64_t rank = in.shape.size();
  std::vector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    bool squeezed = axes.empty() ? in.shape[i] == 1
                                 : llvm::any_of(axes, [&](int64_t a) { return normalizeAxis(ctx, a, rank) == i; });
    if (!squeezed)
      shape.push_back(in.shape[i]);
  }
  return {shape, in.values};
}

// 1-D only (the shape-vector slices of exports).
IntConstant foldSlice(NodeContext &ctx) {
  const IntConstant &in = ctx.intInput(0);
  if (in.shape.size() != 1 || ctx.opset < 10)
    ctx.fail("only 1-D integer Slice with starts/ends inputs is folded");
  int64_t n = in.shape[0];
  int64_t start = ctx.intInput(1).values.at(0), end = ctx.intInput(2).values.at(0);
  int64_t step = ctx.hasInput(4) ? ctx.intInput(4).values.at(0) : 1;
  if (step <= 0)
    ctx.fail("only positive steps are folded");
  auto clampIndex = [&](int64_t i) { return std::clamp<int64_t>(i < 0 ? i + n : i, 0, n); };
  IntConstant out{{0}, {}};
  for (int64_t i = clampIndex(start); i < clampIndex(end); i += step)
    out.values.push_back(in.values[i]);
  out.shape[0] = out.values.size();
  return out;
}

/// `fn` of the inputs elementwise: same shapes, or operands of a single element (shape vectors
/// against scalars, as exports compute them).
IntConstant foldElementwise(NodeContext &ctx, llvm::function_ref<int64_t(llvm::ArrayRef<int64_t>)> fn) {
  // The result has the shape of the operands with more than one element (all the same), else
  // of the single-element operand of the highest rank ([] and [1] give [1]).
  const std::vector<int64_t> *shape = &ctx.intInput(0).shape;
  for (size_t i = 1; i < ctx.numInputs(); ++i) {
    const std::vector<int64_t> &s = ctx.intInput(i).shape;
    if (numel(*shape) == 1 && (numel(s) != 1 || s.size() > shape->size()))
      shape = &s;
  }
  for (size_t i = 0; i < ctx.numInputs(); ++i)
    if (numel(ctx.intInput(i).shape) != 1 && ctx.intInput(i).shape != *shape)
      ctx.fail("integer constants of different shapes; broadcasting beyond scalars is not folded");
  IntConstant out{*shape, {}};
  SmallVector<int64_t, 3> args(ctx.numInputs());
  for (int64_t k = 0, n = numel(*shape); k < n; ++k) {
    for (size_t i = 0; i < ctx.numInputs(); ++i) {
      const IntConstant &in = ctx.intInput(i);
      args[i] = in.values[in.values.size() == 1 ? 0 : k];
    }
    out.values.push_back(fn(args));
  }
  return out;
}

IntConstant foldArithmetic(NodeContext &ctx) {
  const std::string &op = ctx.node.op_type();
  return foldElementwise(ctx, [&](ArrayRef<int64_t> v) {
    int64_t x = v[0], y = v[1];
    if (op == "Div" && y == 0)
      ctx.fail("integer division by zero");
    // ONNX integer Div truncates toward zero, as C++ does. Hostile constants must not overflow.
    int64_t r = 0;
    bool overflow = op == "Add"   ? __builtin_add_overflow(x, y, &r)
                    : op == "Sub" ? __builtin_sub_overflow(x, y, &r)
                    : op == "Mul" ? __builtin_mul_overflow(x, y, &r)
                                  : (x == INT64_MIN && y == -1) || ((r = x / y), false);
    if (overflow)
      ctx.fail("integer " + op + " of " + std::to_string(x) + " and " + std::to_string(y) + " overflows int64");
    return r;
  });
}

/// Comparisons and logic of integer constants give 0/1 constants, which Where and the logical ops
/// take as masks (Where.cpp): PyTorch's expand(-1, ...) is Where(Equal(shape, -1), 1, shape).
IntConstant foldPredicate(NodeContext &ctx) {
  const std::string &op = ctx.node.op_type();
  return foldElementwise(ctx, [&](ArrayRef<int64_t> v) -> int64_t {
    if (op == "Equal")
      return v[0] == v[1];
    if (op == "Greater")
      return v[0] > v[1];
    if (op == "Less")
      return v[0] < v[1];
    if (op == "GreaterOrEqual")
      return v[0] >= v[1];
    if (op == "LessOrEqual")
      return v[0] <= v[1];
    if (op == "Not")
      return v[0] == 0;
    if (op == "And")
      return v[0] != 0 && v[1] != 0;
    if (op == "Or")
      return v[0] != 0 || v[1] != 0;
    if (op == "Xor")
      return (v[0] != 0) != (v[1] != 0);
    return v[0] != 0 ? v[1] : v[2]; // Where
  });
}

/// Cast and Identity keep an integer constant for shape arithmetic; a Cast to FLOAT or DOUBLE also
/// gives the float constant that float ops read (MultiheadAttention's Cast of its scaling).
void foldCast(NodeContext &ctx) {
  const IntConstant &in = ctx.intInput(0);
  ctx.setIntOutput(0, in);
  int64_t to = ctx.node.op_type() == "Cast" ? ctx.intAttr("to", 0) : 0;
  if (to != onnx::TensorProto::FLOAT && to != onnx::TensorProto::DOUBLE)
    return;
  Type element = to == onnx::TensorProto::FLOAT ? Type(ctx.b.getF32Type()) : Type(ctx.b.getF64Type());
  auto type = RankedTensorType::get(in.shape, element);
  SmallVector<Attribute> values;
  for (int64_t v : in.values)
    values.push_back(FloatAttr::get(element, static_cast<double>(v)));
  ctx.setOutput(0, ctx.b.create<arith::ConstantOp>(ctx.loc, type, DenseElementsAttr::get(type, values)));
}

/// Reshape of an integer constant: ONNX's 0 (copy the dimension) and -1 (the rest).
IntConstant foldReshape(NodeContext &ctx) {
  const IntConstant &in = ctx.intInput(0);
  std::vector<int64_t> shape = ctx.intInput(1).values;
  int64_t known = 1, inferred = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 0 && i < in.shape.size() && !ctx.intAttr("allowzero", 0))
      shape[i] = in.shape[i];
    if (shape[i] == -1 && inferred < 0)
      inferred = i;
    else if (shape[i] < 0 || __builtin_mul_overflow(known, shape[i], &known))
      ctx.fail("shape dimension " + std::to_string(shape[i]) + " is invalid");
  }
  int64_t n = static_cast<int64_t>(in.values.size());
  if (inferred >= 0) {
    if (known == 0 || n % known != 0)
      ctx.fail("cannot infer the -1 dimension of " + std::to_string(n) + " elements");
    shape[inferred] = n / known;
  } else if (known != n) {
    ctx.fail("the shape holds " + std::to_string(known) + " elements, the input " + std::to_string(n));
  }
  return {shape, in.values};
}

void foldConstantOfShape(NodeContext &ctx) {
  const IntConstant &shape = ctx.intInput(0);
  int64_t elements = 1;
  for (int64_t d : shape.values)
    if (d <= 0 || __builtin_mul_overflow(elements, d, &elements))
      ctx.fail("shape dimension " + std::to_string(d) +
               " is not positive, or the dimensions multiply past int64 (empty tensors are not supported)");
  const onnx::AttributeProto *value = ctx.attr("value");
  std::string error;
  if (value && value->t().data_type() != onnx::TensorProto::FLOAT) {
    auto v = intValues(value->t(), error);
    if (!v)
      ctx.fail(error);
    // An import-time integer constant holds every element: bounded as the other folded constants.
    if (elements > (int64_t(1) << 24))
      ctx.fail("an integer constant of " + std::to_string(elements) + " elements; at most 2^24 are folded");
    if (v->empty())
      ctx.fail("attribute 'value' has no element");
    ctx.setIntOutput(0, {shape.values, std::vector<int64_t>(elements, v->at(0))});
    return;
  }
  float fill = 0.0f;
  if (value) {
    auto v = floatValues(value->t(), error);
    if (!v)
      ctx.fail(error);
    if (v->empty())
      ctx.fail("attribute 'value' has no element");
    fill = v->front();
  }
  auto type = RankedTensorType::get(shape.values, ctx.b.getF32Type());
  ctx.setOutput(0, mlc::makeSplat(ctx.b, ctx.loc, type, fill));
}

} // namespace

bool mlc::onnx_import::foldIntegerNode(NodeContext &ctx) {
  const std::string &op = ctx.node.op_type();
  if (op == "Shape") {
    ctx.expect({"start", "end"}, 1, 1);
    ctx.setIntOutput(0, foldShape(ctx));
    return true;
  }
  if (op == "ConstantOfShape" && ctx.isIntInput(0)) {
    ctx.expect({"value"}, 1, 1);
    foldConstantOfShape(ctx);
    return true;
  }
  if (!allIntInputs(ctx))
    return false;
  if (op == "Gather")
    ctx.setIntOutput(0, foldGather(ctx));
  else if (op == "Concat")
    ctx.setIntOutput(0, foldConcat(ctx));
  else if (op == "Unsqueeze")
    ctx.setIntOutput(0, foldUnsqueeze(ctx));
  else if (op == "Squeeze")
    ctx.setIntOutput(0, foldSqueeze(ctx));
  else if (op == "Slice")
    ctx.setIntOutput(0, foldSlice(ctx));
  else if (op == "Add" || op == "Sub" || op == "Mul" || op == "Div")
    ctx.setIntOutput(0, foldArithmetic(ctx));
  else if (op == "Equal" || op == "Greater" || op == "Less" || op == "GreaterOrEqual" || op == "LessOrEqual" ||
           op == "Not" || op == "And" || op == "Or" || op == "Xor" || op == "Where")
    ctx.setIntOutput(0, foldPredicate(ctx));
  else if (op == "Reshape")
    ctx.setIntOutput(0, foldReshape(ctx));
  else if (op == "Cast" || op == "Identity")
    foldCast(ctx);
  else
    return false;
  return true;
}
