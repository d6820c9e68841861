// VJP rules of softmax, log-softmax and the fused softmax cross-entropy loss.
#include "dialects/Mlc/MlcBuilders.h"
#include "compiler/Autodiff/Rules/Rules.h"

using namespace mlir;
using namespace mlc;

namespace {

/// Sum over `axis`, kept as size 1 and broadcast back to the full shape.
static Value sumAlongAxis(OpBuilder &b, Location loc, Value v, int64_t axis) {
  auto type = cast<RankedTensorType>(v.getType());
  Value sum = reduceSum(b, loc, v, {axis}, /*keepDims=*/true);
  SmallVector<int64_t> dims;
  for (int64_t i = 0; i < type.getRank(); ++i)
    dims.push_back(i);
  return broadcastTo(b, loc, sum, type, dims);
}

// y = softmax(x): dx = y (dy - sum(dy y)).
struct SoftmaxVJP : VJPRule<SoftmaxVJP, SoftmaxOp> {
  static LogicalResult vjp(SoftmaxOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    Location loc = op.getLoc();
    Value y = op.getResult();
    Value dot = sumAlongAxis(b, loc, b.create<MulOp>(loc, dy, y), op.getAxis());
    g[0] = b.create<MulOp>(loc, y, b.create<SubOp>(loc, dy, dot));
    return success();
  }
};

// y = log_softmax(x): dx = dy - exp(y) sum(dy).
struct LogSoftmaxVJP : VJPRule<LogSoftmaxVJP, LogSoftmaxOp> {
  static LogicalResult vjp(LogSoftmaxOp op, OpBuilder &b, Value dy, ArrayRef<bool>,
                           SmallVectorImpl<Value> &g) {
    Location loc = op.getLoc();
    Value sum = sumAlongAxis(b, loc, dy, op.getAxis());
    Value p = b.create<ExpOp>(loc, op.getResult());
    g[0] = b.create<SubOp>(loc, dy, b.create<MulOp>(loc, p, sum));
    return success();
  }
};

// l = mean_n CE(logits_n, label_n): dlogits = (softmax(logits) - one_hot(labels)) dl / N.
struct SoftmaxCrossEntropyVJP : VJPRule<SoftmaxCrossEntropyVJP, SoftmaxCrossEntropyOp> {
  static LogicalResult vjp(SoftmaxCrossEntropyOp op, OpBuilder &b, Value dl, ArrayRef<bool> needed,
                           SmallVectorImpl<Value> &g) {
    if (!needed[0])
      return success();
    Location loc = op.getLoc();
    auto type = op.getLogits().getType();
    Value p = b.create<SoftmaxOp>(loc, op.getLogits(), b.getI64IntegerAttr(1));
    Value target = b.create<OneHotOp>(loc, type, op.getLabels());
    Value scale = b.create<DivOp>(loc, dl, makeSplatLike(b, loc, dl, type.getDimSize(0)));
    g[0] = b.create<MulOp>(loc, b.create<SubOp>(loc, p, target), broadcastTo(b, loc, scale, type, {}));
    return success();
  }
};

} // namespace

void mlc::registerSoftmaxVJPRules(MLIRContext *ctx) {
  SoftmaxOp::attachInterface<SoftmaxVJP>(*ctx);
  LogSoftmaxOp::attachInterface<LogSoftmaxVJP>(*ctx);
  SoftmaxCrossEntropyOp::attachInterface<SoftmaxCrossEntropyVJP>(*ctx);
}
