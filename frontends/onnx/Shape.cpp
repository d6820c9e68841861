// ONNX Flatten, Reshape, Squeeze, Unsqueeze, Identity -> mlc.reshape (or nothing); Transpose; Cast.
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

Value reshape(NodeContext &ctx, Value v, ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(shape, cast<RankedTensorType>(v.getType()).getElementType());
  if (type == v.getType())
    return v;
  return ctx.b.create<ReshapeOp>(ctx.loc, type, v);
}

void importFlatten(NodeContext &ctx) {
  ctx.expect({"axis"}, 1, 1);
  auto type = ctx.inputType(0);
  int64_t rank = type.getRank();
  int64_t axis = ctx.intAttr("axis", 1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis > rank)
    ctx.fail("axis " + std::to_string(ctx.intAttr("axis", 1)) + " is out of range for rank " + std::to_string(rank));
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < rank; ++i)
    (i < axis ? outer : inner) *= type.getDimSize(i);
  ctx.setOutput(0, reshape(ctx, ctx.input(0), {outer, inner}));
}

// The target shape is a constant: 0 copies the input dimension, -1 is inferred.
void importReshape(NodeContext &ctx) {
  ctx.expect({"allowzero"}, 2, 2);
  if (ctx.intAttr("allowzero", 0) != 0)
    ctx.fail("allowzero=1 is not supported");
  auto type = ctx.inputType(0);
  const IntConstant &target = ctx.intInput(1);
  SmallVector<int64_t> shape;
  int64_t known = 1, inferred = -1;
  for (auto [i, value] : llvm::enumerate(target.values)) {
    int64_t d = value;
    if (d == 0) {
      if (static_cast<int64_t>(i) >= type.getRank())
        ctx.fail("shape entry 0 at position " + std::to_string(i) + " has no input dimension to copy");
      d = type.getDimSize(i);
    }
    if (d == -1) {
      if (inferred >= 0)
        ctx.fail("more than one -1 in the target shape");
      inferred = i;
    } else if (d < 0) {
      ctx.fail("invalid target dimension " + std::to_string(d));
    } else {
      known *= d;
    }
    shape.push_back(d);
  }
  if (inferred >= 0) {
    if (known == 0 || type.getNumElements() % known != 0)
      ctx.fail("cannot infer the -1 dimension");
    shape[inferred] = type.getNumElements() / known;
  }
  int64_t total = 1;
  for (int64_t d : shape)
    total *= d;
  if (total != type.getNumElements())
    ctx.fail("cannot reshape " + std::to_string(type.getNumElements()) + " elements to " +
             std::to_string(total));
  ctx.setOutput(0, reshape(ctx, ctx.input(0), shape));
}

/// Axes from the `axes` attribute (before opset 13) or the constant input 1 (from 13).
std::vector<int64_t> axesOperand(NodeContext &ctx) {
  if (ctx.opset < 13) {
    const onnx::AttributeProto *a = ctx.attr("axes");
    return a ? std::vector<int64_t>(a->ints().begin(), a->ints().end()) : std::vector<int64_t>{};
  }
  return ctx.hasInput(1) ? ctx.intInput(1).values : std::vector<int64_t>{};
}

// Without axes, every dimension of size 1 goes.
void importSqueeze(NodeContext &ctx) {
  ctx.expect(ctx.opset < 13 ? std::initializer_list<const char *>{"axes"} : std::initializer_list<const char *>{},
             1, ctx.opset < 13 ? 1 : 2);
  auto type = ctx.inputType(0);
  std::vector<int64_t> given = axesOperand(ctx);
  SmallVector<int64_t> axes;
  for (int64_t a : given) {
    int64_t axis = normalizeAxis(ctx, a, type.getRank());
    if (type.getDimSize(axis) != 1)
      ctx.fail("cannot squeeze dimension " + std::to_string(axis) + " of size " +
               std::to_string(type.getDimSize(axis)));
    axes.push_back(axis);
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    bool squeezed = given.empty() ? type.getDimSize(i) == 1 : llvm::is_contained(axes, i);
    if (!squeezed)
      shape.push_back(type.getDimSize(i));
  }
  ctx.setOutput(0, reshape(ctx, ctx.input(0), shape));
}

// Axes index the output, whose rank is the input's plus their count.
void importUnsqueeze(NodeContext &ctx) {
  ctx.expect(ctx.opset < 13 ? std::initializer_list<const char *>{"axes"} : std::initializer_list<const char *>{},
             1, ctx.opset < 13 ? 1 : 2);
  auto type = ctx.inputType(0);
  std::vector<int64_t> given = axesOperand(ctx);
  if (given.empty())
    ctx.fail("no axes to unsqueeze");
  int64_t rank = type.getRank() + given.size();
  SmallVector<int64_t> axes;
  for (int64_t a : given)
    axes.push_back(normalizeAxis(ctx, a, rank));
  SmallVector<int64_t> shape;
  int64_t next = 0;
  for (int64_t i = 0; i < rank; ++i)
    shape.push_back(llvm::is_contained(axes, i) ? 1 : type.getDimSize(next++));
  if (next != type.getRank())
    ctx.fail("repeated axis");
  ctx.setOutput(0, reshape(ctx, ctx.input(0), shape));
}

// Result dimension i is input dimension perm[i]; no perm reverses the dimensions.
void importTranspose(NodeContext &ctx) {
  ctx.expect({"perm"}, 1, 1);
  auto type = ctx.inputType(0);
  SmallVector<int64_t> perm;
  if (const onnx::AttributeProto *a = ctx.attr("perm"))
    perm.assign(a->ints().begin(), a->ints().end());
  else
    for (int64_t i = type.getRank() - 1; i >= 0; --i)
      perm.push_back(i);
  SmallVector<int64_t> sorted(perm);
  llvm::sort(sorted);
  if ((int64_t)perm.size() != type.getRank() ||
      llvm::any_of(llvm::enumerate(sorted), [](auto p) { return p.value() != (int64_t)p.index(); }))
    ctx.fail("perm is not a permutation of the input's " + std::to_string(type.getRank()) + " dimensions");
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(type.getDimSize(p));
  if (llvm::equal(perm, llvm::seq<int64_t>(0, type.getRank()))) {
    ctx.setOutput(0, ctx.input(0));
    return;
  }
  auto result = RankedTensorType::get(shape, type.getElementType());
  ctx.setOutput(0, ctx.b.create<TransposeOp>(ctx.loc, result, ctx.input(0), ctx.b.getDenseI64ArrayAttr(perm)));
}

void importIdentity(NodeContext &ctx) {
  ctx.expect({}, 1, 1);
  if (ctx.predicates && ctx.predicates->count(ctx.node.input(0))) { // a boolean value
    (*ctx.predicates)[ctx.node.output(0)] = ctx.predicates->lookup(ctx.node.input(0));
    return;
  }
  ctx.setOutput(0, ctx.input(0));
}

// Cast to float32 or float64, from either or from a runtime integer tensor; integer constants
// are cast when folded (ShapeFolding.cpp).
void importCast(NodeContext &ctx) {
  ctx.expect({"saturate", "to"}, 1, 1);
  int64_t to = ctx.intAttr("to", 0);
  Type element = to == onnx::TensorProto::FLOAT    ? Type(ctx.b.getF32Type())
                 : to == onnx::TensorProto::DOUBLE ? Type(ctx.b.getF64Type())
                                                   : Type();
  // Booleans (comparisons, constant masks) stay symbolic: to float they become a choice of 1 or 0.
  if (to == onnx::TensorProto::BOOL && ctx.predicates && ctx.predicates->count(ctx.node.input(0))) {
    (*ctx.predicates)[ctx.node.output(0)] = ctx.predicates->lookup(ctx.node.input(0));
    return;
  }
  if (ctx.predicates && importPredicateCast(ctx, element))
    return;
  if (!element)
    ctx.fail("Cast to " + onnx::TensorProto::DataType_Name(static_cast<onnx::TensorProto::DataType>(to)) +
             " is not supported (FLOAT and DOUBLE are)");
  Value x = ctx.anyInput(0);
  auto type = cast<RankedTensorType>(x.getType());
  auto result = RankedTensorType::get(type.getShape(), element);
  if (isa<IntegerType>(type.getElementType()))
    x = ctx.b.create<ToFloatOp>(ctx.loc, result, x);
  else if (type.getElementType() != element)
    x = ctx.b.create<ConvertFloatOp>(ctx.loc, result, x);
  ctx.setOutput(0, x);
}

} // namespace

void mlc::onnx_import::registerShapeOps(llvm::StringMap<OpConverter> &table) {
  table["Flatten"] = importFlatten;
  table["Reshape"] = importReshape;
  table["Identity"] = importIdentity;
  table["Cast"] = importCast;
  table["Squeeze"] = importSqueeze;
  table["Unsqueeze"] = importUnsqueeze;
  table["Transpose"] = importTranspose;
}
