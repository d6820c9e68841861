// ONNX Softmax and LogSoftmax -> mlc.softmax / mlc.log_softmax.
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

// Opset 13 made the default axis -1 and the op per-axis; before, the input was coerced to 2-D at
// `axis` (default 1). Both agree for 2-D inputs with the last axis, the only case accepted when
// they would differ.
template <typename OpT>
void importSoftmax(NodeContext &ctx) {
  ctx.expect({"axis"}, 1, 1);
  auto type = ctx.inputType(0);
  int64_t axis = normalizeAxis(ctx, ctx.intAttr("axis", -1), type.getRank());
  if (ctx.attr("axis") == nullptr && type.getRank() != 2)
    ctx.fail("set the axis attribute explicitly for inputs of rank other than 2");
  ctx.setOutput(0, ctx.b.create<OpT>(ctx.loc, ctx.input(0), ctx.b.getI64IntegerAttr(axis)));
}

} // namespace

void mlc::onnx_import::registerSoftmaxOps(llvm::StringMap<OpConverter> &table) {
  table["Softmax"] = importSoftmax<SoftmaxOp>;
  table["LogSoftmax"] = importSoftmax<LogSoftmaxOp>;
}
