// ONNX Expand and Tile of float tensors -> mlc.broadcast (Tile: then mlc.reshape). Their gradients
// are the broadcast's: sums over the copies.
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

/// Input 1: a constant 1-D integer list (a shape, or repeats).
std::vector<int64_t> constantList(NodeContext &ctx, const char *what) {
  if (!ctx.isIntInput(1))
    ctx.fail(std::string(what) + " must be a constant");
  const IntConstant &c = ctx.intInput(1);
  if (c.shape.size() != 1)
    ctx.fail(std::string(what) + " must be a 1-D list");
  return c.values;
}

// Expand: numpy broadcasting of the input against the shape (either side may hold the 1s).
void importExpand(NodeContext &ctx) {
  ctx.expect({}, 2, 2);
  auto type = ctx.inputType(0);
  std::vector<int64_t> shape = constantList(ctx, "shape");
  for (int64_t s : shape)
    if (s < 1)
      ctx.fail("shape entry " + std::to_string(s) + " is not positive");
  SmallVector<int64_t> out = broadcastShape(ctx, type.getShape(), shape);
  ctx.setOutput(0, broadcastToShape(ctx, ctx.input(0), RankedTensorType::get(out, type.getElementType())));
}

// Tile: x [d0, d1, ...] broadcast to [r0, d0, r1, d1, ...] (only the repeated axes gain a copy
// dimension), then reshaped to [r0 d0, r1 d1, ...].
void importTile(NodeContext &ctx) {
  ctx.expect({}, 2, 2);
  auto type = ctx.inputType(0);
  std::vector<int64_t> repeats = constantList(ctx, "repeats");
  if (static_cast<int64_t>(repeats.size()) != type.getRank())
    ctx.fail("repeats has " + std::to_string(repeats.size()) + " entries for a rank-" +
             std::to_string(type.getRank()) + " input");
  SmallVector<int64_t> expanded, inputDims, tiled;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    int64_t r = repeats[i], d = type.getDimSize(i), n;
    if (r < 1)
      ctx.fail("repeats entry " + std::to_string(r) + " is not positive (empty tensors are not supported)");
    if (__builtin_mul_overflow(r, d, &n))
      ctx.fail("repeating axis " + std::to_string(i) + " " + std::to_string(r) + " times overflows int64");
    if (r > 1)
      expanded.push_back(r);
    inputDims.push_back(expanded.size());
    expanded.push_back(d);
    tiled.push_back(n);
  }
  Value x = ctx.input(0);
  if (expanded.size() == static_cast<size_t>(type.getRank())) { // nothing repeated
    ctx.setOutput(0, x);
    return;
  }
  Type element = type.getElementType();
  Value copies = ctx.b.create<BroadcastOp>(ctx.loc, RankedTensorType::get(expanded, element), x,
                                           ctx.b.getDenseI64ArrayAttr(inputDims));
  ctx.setOutput(0, ctx.b.create<ReshapeOp>(ctx.loc, RankedTensorType::get(tiled, element), copies));
}

} // namespace

void mlc::onnx_import::registerReplicateOps(llvm::StringMap<OpConverter> &table) {
  table["Expand"] = importExpand;
  table["Tile"] = importTile;
}
