// ONNX Gather of float tensors -> mlc.gather (embedding lookups; integer Gathers of shape
// subgraphs are folded at import, ShapeFolding.cpp).
#include "dialects/Mlc/MlcBuilders.h"
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

void importGather(NodeContext &ctx) {
  ctx.expect({"axis"}, 2, 2);
  int64_t axis = normalizeAxis(ctx, ctx.intAttr("axis", 0), ctx.inputType(0).getRank());
  ctx.setOutput(0, gather(ctx.b, ctx.loc, ctx.input(0), ctx.indexInput(1), axis));
}

} // namespace

void mlc::onnx_import::registerGatherOps(llvm::StringMap<OpConverter> &table) {
  table["Gather"] = importGather;
}
