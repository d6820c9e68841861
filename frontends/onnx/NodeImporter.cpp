// NodeContext: input/output plumbing, attribute access and uniform error messages for converters.
#include "frontends/onnx/NodeImporter.h"
#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mlc::onnx_import;

void NodeContext::fail(const std::string &message) const {
  std::string name = node.name().empty() ? (node.output_size() ? node.output(0) : "") : node.name();
  throw ImportError{"node '" + name + "' (" + node.op_type() + "): " + message};
}

void NodeContext::expect(std::initializer_list<const char *> known, int minInputs,
                         int maxInputs) const {
  for (const onnx::AttributeProto &a : node.attribute())
    if (std::none_of(known.begin(), known.end(), [&](const char *k) { return a.name() == k; }))
      fail("attribute '" + a.name() + "' is not supported");
  int n = static_cast<int>(numInputs());
  if (n < minInputs || n > maxInputs)
    fail("expected " + std::to_string(minInputs) + (minInputs == maxInputs ? "" : "-" + std::to_string(maxInputs)) +
         " inputs, got " + std::to_string(n));
}

size_t NodeContext::numInputs() const {
  // Trailing empty names are omitted optional inputs.
  size_t n = node.input_size();
  while (n > 0 && node.input(n - 1).empty())
    --n;
  return n;
}

Value NodeContext::input(size_t i) const {
  if (i >= numInputs() || node.input(i).empty())
    fail("missing input " + std::to_string(i));
  Value v = values.lookup(node.input(i));
  if (!v)
    fail("input '" + node.input(i) + "' is not a float tensor produced earlier in the graph");
  // Graph inputs of a whole-graph import may be integers; the ops take float tensors only.
  if (!isa<FloatType>(getElementTypeOrSelf(v.getType())))
    fail("input '" + node.input(i) + "' is an integer tensor; this op takes float tensors");
  return v;
}

Value NodeContext::indexInput(size_t i) const {
  if (!hasInput(i))
    fail("missing input " + std::to_string(i));
  if (Value v = values.lookup(node.input(i))) {
    if (!isa<IntegerType>(getElementTypeOrSelf(v.getType())))
      fail("input '" + node.input(i) + "' must be an integer tensor (indices)");
    return v;
  }
  auto it = intConstants.find(node.input(i));
  if (it == intConstants.end())
    fail("input '" + node.input(i) + "' is not produced earlier in the graph");
  auto type = RankedTensorType::get(it->second.shape, b.getI64Type());
  return b.create<arith::ConstantOp>(
      loc, type, DenseElementsAttr::get(type, llvm::ArrayRef<int64_t>(it->second.values)));
}

Value NodeContext::anyInput(size_t i) const {
  if (hasInput(i))
    if (Value v = values.lookup(node.input(i)))
      return v;
  return indexInput(i);
}

RankedTensorType NodeContext::inputType(size_t i) const {
  return cast<RankedTensorType>(input(i).getType());
}

const IntConstant &NodeContext::intInput(size_t i) const {
  if (i >= numInputs())
    fail("missing input " + std::to_string(i));
  auto it = intConstants.find(node.input(i));
  if (it == intConstants.end())
    fail("input '" + node.input(i) + "' must be a constant integer tensor");
  return it->second;
}

void NodeContext::setIntOutput(size_t i, IntConstant c) const {
  if (i < static_cast<size_t>(node.output_size()) && !node.output(i).empty())
    intConstants[node.output(i)] = std::move(c);
}

void NodeContext::setOutput(size_t i, Value v) const {
  if (i < static_cast<size_t>(node.output_size()) && !node.output(i).empty())
    values[node.output(i)] = v;
}

void NodeContext::updateBuffer(const std::string &name, Value value) const {
  if (!bufferUpdates)
    fail("model state ('" + name + "') can only be updated in the training view");
  std::string error = bufferUpdates(name, value);
  if (!error.empty())
    fail(error);
}

std::optional<double> NodeContext::splatInput(size_t i) const {
  auto c = input(i).getDefiningOp<arith::ConstantOp>();
  auto dense = c ? dyn_cast<DenseElementsAttr>(c.getValue()) : DenseElementsAttr();
  if (!dense || !dense.isSplat())
    return std::nullopt;
  return dense.getSplatValue<APFloat>().convertToDouble();
}

std::optional<double> NodeContext::scalarConstant(size_t i) const {
  if (isIntInput(i)) {
    const IntConstant &c = intInput(i);
    if (c.values.size() != 1)
      fail("input " + std::to_string(i) + " must be a scalar");
    return static_cast<double>(c.values[0]);
  }
  return splatInput(i);
}

const onnx::AttributeProto *NodeContext::attr(const char *name) const {
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t NodeContext::intAttr(const char *name, int64_t dflt) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->i() : dflt;
}

float NodeContext::floatAttr(const char *name, float dflt) const {
  const onnx::AttributeProto *a = attr(name);
  return a ? a->f() : dflt;
}

Value mlc::onnx_import::permute(NodeContext &ctx, Value v, ArrayRef<int64_t> perm) {
  auto type = cast<RankedTensorType>(v.getType());
  return ctx.b.create<mlc::TransposeOp>(ctx.loc, mlc::permutedType(type, perm), v, ctx.b.getDenseI64ArrayAttr(perm));
}

int64_t mlc::onnx_import::normalizeAxis(const NodeContext &ctx, int64_t axis, int64_t rank) {
  int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    ctx.fail("axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(rank));
  return a;
}

Value mlc::onnx_import::broadcastToShape(NodeContext &ctx, Value v, RankedTensorType type) {
  auto vt = cast<RankedTensorType>(v.getType());
  if (vt == type)
    return v;
  int64_t offset = type.getRank() - vt.getRank();
  if (offset < 0)
    ctx.fail("cannot broadcast a rank-" + std::to_string(vt.getRank()) + " operand to rank " +
             std::to_string(type.getRank()));
  SmallVector<int64_t> dims;
  for (int64_t i = 0; i < vt.getRank(); ++i) {
    int64_t s = vt.getDimSize(i), t = type.getDimSize(offset + i);
    if (s != t && s != 1)
      ctx.fail("shapes do not broadcast: dimension of size " + std::to_string(s) + " vs " + std::to_string(t));
    dims.push_back(offset + i);
  }
  return ctx.b.create<BroadcastOp>(ctx.loc, type, v, ctx.b.getDenseI64ArrayAttr(dims));
}

SmallVector<int64_t> mlc::onnx_import::broadcastShape(const NodeContext &ctx, ArrayRef<int64_t> a,
                                                      ArrayRef<int64_t> b) {
  int64_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> shape(rank);
  for (int64_t i = 0; i < rank; ++i) {
    int64_t ai = i - (rank - static_cast<int64_t>(a.size())), bi = i - (rank - static_cast<int64_t>(b.size()));
    int64_t as = ai >= 0 ? a[ai] : 1, bs = bi >= 0 ? b[bi] : 1;
    if (as != bs && as != 1 && bs != 1)
      ctx.fail("shapes do not broadcast: dimension of size " + std::to_string(as) + " vs " +
               std::to_string(bs));
    shape[i] = std::max(as, bs);
  }
  return shape;
}

std::pair<Value, Value> mlc::onnx_import::broadcastPair(NodeContext &ctx, Value a, Value b) {
  auto at = cast<RankedTensorType>(a.getType()), bt = cast<RankedTensorType>(b.getType());
  auto type = RankedTensorType::get(broadcastShape(ctx, at.getShape(), bt.getShape()), at.getElementType());
  return {broadcastToShape(ctx, a, type), broadcastToShape(ctx, b, type)};
}

Value mlc::onnx_import::splatLike(NodeContext &ctx, Value like, double value) {
  return makeSplatLike(ctx.b, ctx.loc, like, value);
}

Value mlc::onnx_import::maximum(NodeContext &ctx, Value a, Value b) {
  return ctx.b.create<WhereGtOp>(ctx.loc, b, a, b, a);
}

Value mlc::onnx_import::minimum(NodeContext &ctx, Value a, Value b) {
  return ctx.b.create<WhereGtOp>(ctx.loc, a, b, b, a);
}
