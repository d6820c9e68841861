// ONNX Flatten, Reshape and Identity -> mlc.reshape (or nothing).
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

void importIdentity(NodeContext &ctx) {
  ctx.expect({}, 1, 1);
  ctx.setOutput(0, ctx.input(0));
}

} // namespace

void mlc::onnx_import::registerShapeOps(llvm::StringMap<OpConverter> &table) {
  table["Flatten"] = importFlatten;
  table["Reshape"] = importReshape;
  table["Identity"] = importIdentity;
}
