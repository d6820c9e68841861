// ONNX Gather of float tensors -> mlc.gather (embedding lookups; integer Gathers of shape
// subgraphs are folded at import, ShapeFolding.cpp).
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

void importGather(NodeContext &ctx) {
  ctx.expect({"axis"}, 2, 2);
  Value data = ctx.input(0);
  auto dataType = ctx.inputType(0);
  int64_t axis = normalizeAxis(ctx, ctx.intAttr("axis", 0), dataType.getRank());
  Value indices = ctx.indexInput(1);
  auto indexType = cast<RankedTensorType>(indices.getType());
  SmallVector<int64_t> shape(dataType.getShape().take_front(axis));
  llvm::append_range(shape, indexType.getShape());
  llvm::append_range(shape, dataType.getShape().drop_front(axis + 1));
  auto resultType = RankedTensorType::get(shape, dataType.getElementType());
  ctx.setOutput(0, ctx.b.create<GatherOp>(ctx.loc, resultType, data, indices, axis));
}

} // namespace

void mlc::onnx_import::registerGatherOps(llvm::StringMap<OpConverter> &table) {
  table["Gather"] = importGather;
}
