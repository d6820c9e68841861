// ONNX BatchNormalization, LayerNormalization and InstanceNormalization, decomposed into reductions and elementwise ops
// (so their gradients come from the core VJP rules).
//
// BatchNormalization imports for inference (running statistics) and for training mode (batch
// statistics, running-statistic outputs as ONNX defines them: biased variance) in a whole-graph
// import. In a trained model (mlc compile) its running statistics are buffers (mlc.buffer): the
// train step normalizes with batch statistics and replaces them with their blend, @eval_step
// normalizes with them (mlc.phase_select picks the phase).
#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"
#include "frontends/onnx/NodeImporter.h"

using namespace mlir;
using namespace mlc;
using namespace mlc::onnx_import;

namespace {

struct Moments {
  Value centered;  // x - mean
  Value mean, var; // reduced over `dims`, kept as size 1 (biased variance)
};

/// x - mean, the mean and the (biased) variance of `x` over `dims`.
Moments moments(NodeContext &ctx, Value x, ArrayRef<int64_t> dims) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t count = 1;
  for (int64_t d : dims)
    count *= type.getDimSize(d);
  auto mean = [&](Value v) {
    Value sum = reduceSum(ctx.b, ctx.loc, v, dims, /*keepDims=*/true);
    return ctx.b.create<DivOp>(ctx.loc, sum, splatLike(ctx, sum, double(count))).getResult();
  };
  Value m = mean(x);
  Value centered = ctx.b.create<SubOp>(ctx.loc, x, broadcastToShape(ctx, m, type));
  return {centered, m, mean(ctx.b.create<MulOp>(ctx.loc, centered, centered))};
}

/// sqrt(var + eps).
Value deviation(NodeContext &ctx, Value var, double epsilon) {
  return ctx.b.create<SqrtOp>(ctx.loc, ctx.b.create<AddOp>(ctx.loc, var, splatLike(ctx, var, epsilon)));
}

/// centered / sqrt(var + eps), with var broadcast to centered.
Value normalize(NodeContext &ctx, Value centered, Value var, double epsilon) {
  auto type = cast<RankedTensorType>(centered.getType());
  return ctx.b.create<DivOp>(ctx.loc, centered, broadcastToShape(ctx, deviation(ctx, var, epsilon), type));
}

/// A per-channel vector [C] as [C, 1, ..., 1] (rank - 1 dimensions), so it broadcasts over NC...
Value perChannel(NodeContext &ctx, Value v, int64_t rank) {
  auto t = cast<RankedTensorType>(v.getType());
  SmallVector<int64_t> shape{t.getDimSize(0)};
  shape.append(rank - 2, 1);
  return reshapeTo(ctx.b, ctx.loc, v, RankedTensorType::get(shape, t.getElementType()));
}

Value affine(NodeContext &ctx, Value y, Value scale, Value bias) {
  auto type = cast<RankedTensorType>(y.getType());
  y = ctx.b.create<MulOp>(ctx.loc, y, broadcastToShape(ctx, scale, type));
  return bias ? ctx.b.create<AddOp>(ctx.loc, y, broadcastToShape(ctx, bias, type)).getResult() : y;
}

void importBatchNormalization(NodeContext &ctx) {
  ctx.expect({"epsilon", "momentum", "spatial", "training_mode", "is_test", "consumed_inputs"}, 5, 5);
  Value x = ctx.input(0);
  auto type = ctx.inputType(0);
  int64_t rank = type.getRank(), channels = rank >= 2 ? type.getDimSize(1) : 0;
  if (rank < 2)
    ctx.fail("the input needs a channel dimension, got rank " + std::to_string(rank));
  if (ctx.attr("spatial") && ctx.intAttr("spatial", 1) != 1)
    ctx.fail("spatial = 0 is not supported");
  for (size_t i = 1; i < 5; ++i) {
    auto t = ctx.inputType(i);
    if (t.getRank() != 1 || t.getDimSize(0) != channels)
      ctx.fail("input " + std::to_string(i) + " must have shape [" + std::to_string(channels) + "]");
  }
  size_t outputs = 0;
  for (const std::string &o : ctx.node.output())
    outputs += !o.empty();
  // A trained model always normalizes with the batch's statistics in its train step, whatever
  // the export's training_mode (PyTorch's eval-mode export says 0 for a model meant to train).
  // Before opset 14 the training form is the one with more than one output (Y, running mean and
  // variance, the batch's mean and variance: opsets 7 and 9), and PyTorch exports it so.
  bool training = ctx.inTrainingView() || (ctx.opset >= 14 ? ctx.intAttr("training_mode", 0) != 0 : outputs > 1);
  double epsilon = ctx.floatAttr("epsilon", 1e-5f), momentum = ctx.floatAttr("momentum", 0.9f);
  Value scale = perChannel(ctx, ctx.input(1), rank), bias = perChannel(ctx, ctx.input(2), rank);
  auto withRunningStatistics = [&] {
    Value centered = ctx.b.create<SubOp>(ctx.loc, x, broadcastToShape(ctx, perChannel(ctx, ctx.input(3), rank), type));
    return affine(ctx, normalize(ctx, centered, perChannel(ctx, ctx.input(4), rank), epsilon), scale, bias);
  };
  if (!training) {
    ctx.setOutput(0, withRunningStatistics());
    return;
  }
  SmallVector<int64_t> dims{0};
  for (int64_t d = 2; d < rank; ++d)
    dims.push_back(d);
  Moments m = moments(ctx, x, dims);
  Value y = affine(ctx, normalize(ctx, m.centered, m.var, epsilon), scale, bias);
  // running = input * momentum + batch * (1 - momentum), with the biased batch variance as ONNX
  // defines it (PyTorch blends in the unbiased one: n / (n - 1) times larger).
  auto channelType = ctx.inputType(3);
  SmallVector<Value> updated;
  for (size_t i : {1, 2}) {
    Value batch = reshapeTo(ctx.b, ctx.loc, i == 1 ? m.mean : m.var, channelType);
    Value running = ctx.input(2 + i);
    updated.push_back(ctx.b.create<AddOp>(
        ctx.loc, ctx.b.create<MulOp>(ctx.loc, running, splatLike(ctx, running, momentum)),
        ctx.b.create<MulOp>(ctx.loc, batch, splatLike(ctx, batch, 1.0 - momentum))));
    ctx.setOutput(i, updated.back());
    // Opsets 7 to 13: saved_mean and saved_var, the batch's statistics.
    if (ctx.opset < 14 && ctx.node.output_size() > 2 + static_cast<int>(i))
      ctx.setOutput(2 + i, batch);
  }
  if (!ctx.inTrainingView()) {
    ctx.setOutput(0, y);
    return;
  }
  // The running statistics are buffers: the train step replaces them, @eval_step reads them.
  ctx.updateBuffer(ctx.node.input(3), updated[0]);
  ctx.updateBuffer(ctx.node.input(4), updated[1]);
  ctx.setOutput(0, ctx.b.create<PhaseSelectOp>(ctx.loc, y, withRunningStatistics()));
}

// Normalizes over the dimensions from `axis` on; the optional Mean and InvStdDev outputs keep
// those dimensions as size 1.
void importLayerNormalization(NodeContext &ctx) {
  ctx.expect({"axis", "epsilon", "stash_type"}, 2, 3);
  Value x = ctx.input(0);
  auto type = ctx.inputType(0);
  int64_t rank = type.getRank();
  int64_t axis = normalizeAxis(ctx, ctx.intAttr("axis", -1), rank);
  SmallVector<int64_t> dims;
  for (int64_t d = axis; d < rank; ++d)
    dims.push_back(d);
  double epsilon = ctx.floatAttr("epsilon", 1e-5f);
  Moments m = moments(ctx, x, dims);
  Value y = normalize(ctx, m.centered, m.var, epsilon);
  ctx.setOutput(0, affine(ctx, y, ctx.input(1), ctx.hasInput(2) ? ctx.input(2) : Value()));
  if (ctx.node.output_size() > 1 && !ctx.node.output(1).empty())
    ctx.setOutput(1, m.mean);
  if (ctx.node.output_size() > 2 && !ctx.node.output(2).empty()) {
    Value sd = deviation(ctx, m.var, epsilon);
    ctx.setOutput(2, ctx.b.create<DivOp>(ctx.loc, splatLike(ctx, sd, 1.0), sd));
  }
}

// Each (sample, channel) normalized over its spatial dimensions, then a per-channel affine map.
void importInstanceNormalization(NodeContext &ctx) {
  ctx.expect({"epsilon"}, 3, 3);
  Value x = ctx.input(0);
  int64_t rank = ctx.inputType(0).getRank();
  if (rank < 3)
    ctx.fail("the input needs a spatial dimension, got rank " + std::to_string(rank));
  SmallVector<int64_t> dims;
  for (int64_t d = 2; d < rank; ++d)
    dims.push_back(d);
  Moments m = moments(ctx, x, dims);
  Value y = normalize(ctx, m.centered, m.var, ctx.floatAttr("epsilon", 1e-5f));
  ctx.setOutput(0, affine(ctx, y, perChannel(ctx, ctx.input(1), rank), perChannel(ctx, ctx.input(2), rank)));
}

} // namespace

void mlc::onnx_import::registerNormalizationOps(llvm::StringMap<OpConverter> &table) {
  table["BatchNormalization"] = importBatchNormalization;
  table["LayerNormalization"] = importLayerNormalization;
  table["InstanceNormalization"] = importInstanceNormalization;
}
