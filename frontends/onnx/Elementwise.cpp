// ONNX elementwise ops: Add/Sub/Mul/Div (numpy broadcasting), Relu, Sigmoid, Tanh.
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

template <typename OpT>
void importBinary(NodeContext &ctx) {
  ctx.expect({}, 2, 2);
  auto [a, b] = broadcastPair(ctx, ctx.input(0), ctx.input(1));
  ctx.setOutput(0, ctx.b.create<OpT>(ctx.loc, a, b));
}

template <typename OpT>
void importUnary(NodeContext &ctx) {
  ctx.expect({}, 1, 1);
  ctx.setOutput(0, ctx.b.create<OpT>(ctx.loc, ctx.input(0)));
}

} // namespace

void mlc::onnx_import::registerElementwiseOps(llvm::StringMap<OpConverter> &table) {
  table["Add"] = importBinary<AddOp>;
  table["Sub"] = importBinary<SubOp>;
  table["Mul"] = importBinary<MulOp>;
  table["Div"] = importBinary<DivOp>;
  table["Relu"] = importUnary<ReluOp>;
  table["Sigmoid"] = importUnary<SigmoidOp>;
  table["Tanh"] = importUnary<TanhOp>;
}
