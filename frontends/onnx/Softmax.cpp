// ONNX Softmax and LogSoftmax -> mlc.softmax / mlc.log_softmax.
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

// Opset 13 made Softmax and LogSoftmax per-axis (default -1). Before, the input was coerced to 2-D
// [prod(dims before axis), prod(dims from axis)] (default axis 1) and normalized over the second
// dimension, i.e. over every dimension from `axis` on: imported as reshape, op, reshape.
template <typename OpT>
void importSoftmax(NodeContext &ctx) {
  ctx.expect({"axis"}, 1, 1);
  auto type = ctx.inputType(0);
  int64_t rank = type.getRank();
  bool coerced = ctx.opset < 13;
  int64_t axis = normalizeAxis(ctx, ctx.intAttr("axis", coerced ? 1 : -1), rank);
  OpBuilder &b = ctx.b;
  if (!coerced || axis == rank - 1) {
    ctx.setOutput(0, b.create<OpT>(ctx.loc, ctx.input(0), b.getI64IntegerAttr(axis)));
    return;
  }
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < rank; ++i)
    (i < axis ? outer : inner) *= type.getDimSize(i);
  auto flatType = RankedTensorType::get({outer, inner}, type.getElementType());
  Value flat = b.create<ReshapeOp>(ctx.loc, flatType, ctx.input(0));
  Value normalized = b.create<OpT>(ctx.loc, flat, b.getI64IntegerAttr(1));
  ctx.setOutput(0, b.create<ReshapeOp>(ctx.loc, type, normalized));
}

} // namespace

void mlc::onnx_import::registerSoftmaxOps(llvm::StringMap<OpConverter> &table) {
  table["Softmax"] = importSoftmax<SoftmaxOp>;
  table["LogSoftmax"] = importSoftmax<LogSoftmaxOp>;
}
