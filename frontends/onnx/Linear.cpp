// ONNX Gemm and MatMul -> mlc.matmul (+ scaling and a broadcast bias).
#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

Value matmul(NodeContext &ctx, Value a, Value b, bool ta, bool tb) {
  auto at = cast<RankedTensorType>(a.getType()), bt = cast<RankedTensorType>(b.getType());
  if (at.getRank() != 2 || bt.getRank() != 2)
    ctx.fail("only 2-D operands are supported, got ranks " + std::to_string(at.getRank()) + " and " +
             std::to_string(bt.getRank()));
  int64_t m = ta ? at.getDimSize(1) : at.getDimSize(0);
  int64_t ka = ta ? at.getDimSize(0) : at.getDimSize(1);
  int64_t kb = tb ? bt.getDimSize(1) : bt.getDimSize(0);
  int64_t n = tb ? bt.getDimSize(0) : bt.getDimSize(1);
  if (ka != kb)
    ctx.fail("inner dimensions differ: " + std::to_string(ka) + " vs " + std::to_string(kb));
  auto type = RankedTensorType::get({m, n}, at.getElementType());
  OpBuilder &bld = ctx.b;
  return bld.create<MatmulOp>(ctx.loc, type, a, b, ta ? bld.getUnitAttr() : UnitAttr(),
                              tb ? bld.getUnitAttr() : UnitAttr());
}

Value scale(NodeContext &ctx, Value v, float factor) {
  if (factor == 1.0f)
    return v;
  return ctx.b.create<MulOp>(ctx.loc, v, makeSplatLike(ctx.b, ctx.loc, v, factor));
}

// Y = alpha * op(A) op(B) + beta * C, with C broadcast to [M, N].
void importGemm(NodeContext &ctx) {
  ctx.expect({"alpha", "beta", "transA", "transB"}, 2, 3);
  Value y = matmul(ctx, ctx.input(0), ctx.input(1), ctx.intAttr("transA", 0), ctx.intAttr("transB", 0));
  y = scale(ctx, y, ctx.floatAttr("alpha", 1.0f));
  if (ctx.numInputs() == 3) {
    Value c = broadcastToShape(ctx, ctx.input(2), cast<RankedTensorType>(y.getType()));
    y = ctx.b.create<AddOp>(ctx.loc, y, scale(ctx, c, ctx.floatAttr("beta", 1.0f)));
  }
  ctx.setOutput(0, y);
}

void importMatMul(NodeContext &ctx) {
  ctx.expect({}, 2, 2);
  ctx.setOutput(0, matmul(ctx, ctx.input(0), ctx.input(1), false, false));
}

} // namespace

void mlc::onnx_import::registerLinearOps(llvm::StringMap<OpConverter> &table) {
  table["Gemm"] = importGemm;
  table["MatMul"] = importMatMul;
}
