// Each loss written with the elementwise and reduction ops that autodiff already differentiates, in the
// same numerically stable forms torch.nn uses (log-sum-exp for logits, clamped logs for probabilities).
#include "compiler/Graph/LossBuilders.h"

#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcOps.h"

using namespace mlir;

namespace mlc {
namespace {

struct Ops {
  OpBuilder &b;
  Location loc;

  Value splat(Value like, double v) { return makeSplatLike(b, loc, like, v); }
  Value add(Value x, Value y) { return b.create<AddOp>(loc, x, y); }
  Value sub(Value x, Value y) { return b.create<SubOp>(loc, x, y); }
  Value mul(Value x, Value y) { return b.create<MulOp>(loc, x, y); }
  Value div(Value x, Value y) { return b.create<DivOp>(loc, x, y); }
  Value neg(Value x) { return b.create<NegOp>(loc, x); }
  Value exp(Value x) { return b.create<ExpOp>(loc, x); }
  Value log(Value x) { return b.create<LogOp>(loc, x); }
  Value relu(Value x) { return b.create<ReluOp>(loc, x); }
  // x > y ? t : f
  Value whereGt(Value x, Value y, Value t, Value f) { return b.create<WhereGtOp>(loc, x, y, t, f); }
  Value abs(Value x) { return whereGt(x, splat(x, 0.0), x, neg(x)); }
  // A runtime scalar as a tensor of `like`'s type.
  Value spread(Value scalar, Value like) {
    return broadcastTo(b, loc, scalar, cast<RankedTensorType>(like.getType()), {});
  }
  Value sumAll(Value x) {
    SmallVector<int64_t> all;
    for (int64_t i = 0; i < cast<RankedTensorType>(x.getType()).getRank(); ++i)
      all.push_back(i);
    return reduceSum(b, loc, x, all, /*keepDims=*/false);
  }
};

// The per-element term of a loss whose target has the output's shape.
Value elementwiseTerm(Ops &o, StringRef loss, Value x, Value y, const llvm::StringMap<Value> &hypers) {
  if (loss == "mse") {
    Value d = o.sub(x, y);
    return o.mul(d, d);
  }
  if (loss == "l1")
    return o.abs(o.sub(x, y));
  if (loss == "huber" || loss == "smooth_l1") {
    // huber: |d| < delta ? d^2/2 : delta (|d| - delta/2); smooth_l1 is huber / beta (torch's forms).
    Value d = o.sub(x, y);
    Value a = o.abs(d);
    Value delta = o.spread(hypers.lookup("delta"), x);
    Value half = o.splat(x, 0.5);
    Value quadratic = o.mul(half, o.mul(d, d));
    Value linear = o.sub(a, o.mul(half, delta));
    if (loss == "huber")
      return o.whereGt(delta, a, quadratic, o.mul(delta, linear));
    return o.whereGt(delta, a, o.div(quadratic, delta), linear);
  }
  if (loss == "bce_logits") {
    // max(x, 0) - x y + log(1 + exp(-|x|)): no overflow for any logit.
    Value softplus = o.log(o.add(o.splat(x, 1.0), o.exp(o.neg(o.abs(x)))));
    return o.add(o.sub(o.relu(x), o.mul(x, y)), softplus);
  }
  // bce on probabilities: -(y log p + (1 - y) log(1 - p)) with each log clamped at -100 as torch does.
  Value floor = o.splat(x, -100.0);
  auto clampedLog = [&](Value v) {
    Value l = o.log(v);
    return o.whereGt(l, floor, l, floor);
  };
  Value one = o.splat(x, 1.0);
  return o.neg(o.add(o.mul(y, clampedLog(x)), o.mul(o.sub(one, y), clampedLog(o.sub(one, x)))));
}

} // namespace

bool takesClassLabels(StringRef loss) { return loss == "cross_entropy" || loss == "nll"; }

int64_t classWeightCount(StringRef loss, RankedTensorType output) {
  if (takesClassLabels(loss))
    return output.getRank() == 2 ? output.getDimSize(1) : 0;
  if (loss != "bce_logits" && loss != "bce")
    return 0;
  const int64_t perSample = output.getNumElements() / output.getDimSize(0);
  if (perSample == 1)
    return 2;
  return output.getRank() == 2 ? perSample : 0;
}

SmallVector<StringRef> lossHypers(const LossSpec &spec) {
  SmallVector<StringRef> names;
  if (spec.name == "huber" || spec.name == "smooth_l1")
    names.push_back("delta");
  if (spec.labelSmoothing && spec.name == "cross_entropy")
    names.push_back("label_smoothing");
  return names;
}

RankedTensorType labelType(const LossSpec &spec, RankedTensorType output) {
  if (takesClassLabels(spec.name))
    return RankedTensorType::get({output.getDimSize(0)}, IntegerType::get(output.getContext(), 32));
  return output;
}

Value buildLoss(OpBuilder &b, Location loc, const LossSpec &spec, Value output, Value label,
                const llvm::StringMap<Value> &hypers, Value classWeights) {
  Ops o{b, loc};
  auto type = cast<RankedTensorType>(output.getType());
  const bool mean = spec.reduction == "mean";
  // The class weights broadcast along the batch: [N, C] for a [N, C] output.
  auto perColumn = [&](Value like) {
    return broadcastTo(b, loc, classWeights, cast<RankedTensorType>(like.getType()), {1});
  };
  if (takesClassLabels(spec.name)) {
    const double samples = static_cast<double>(type.getDimSize(0));
    if (spec.name == "cross_entropy" && !spec.labelSmoothing && !classWeights) {
      // The fused op is the mean over samples; its gradient is the stable softmax - one_hot.
      auto scalar = RankedTensorType::get({}, type.getElementType());
      Value ce = b.create<SoftmaxCrossEntropyOp>(loc, scalar, output, label);
      return mean ? ce : o.mul(ce, o.splat(ce, samples));
    }
    Value target = b.create<OneHotOp>(loc, type, label);
    Value logProbs = output;  // nll: the output already holds log-probabilities
    if (spec.name == "cross_entropy")
      logProbs = b.create<LogSoftmaxOp>(loc, output, b.getI64IntegerAttr(1));
    if (spec.name == "cross_entropy" && spec.labelSmoothing) {
      // Smoothed targets (1 - e) one_hot + e / C, against log_softmax (torch's label_smoothing).
      Value eps = o.spread(hypers.lookup("label_smoothing"), output);
      Value keep = o.sub(o.splat(output, 1.0), eps);
      Value spreadShare = o.div(eps, o.splat(output, static_cast<double>(type.getDimSize(1))));
      target = o.add(o.mul(keep, target), spreadShare);
    }
    if (!classWeights) {
      Value total = o.neg(o.sumAll(o.mul(target, logProbs)));
      return mean ? o.div(total, o.splat(total, samples)) : total;
    }
    // torch: sum_i [(1 - e) w_yi (-log p_i,yi) + e/C sum_c w_c (-log p_i,c)] / sum_i w_yi: the
    // (smoothed) target scaled per class, the mean over the samples' own weights.
    Value w = perColumn(output);
    Value total = o.neg(o.sumAll(o.mul(o.mul(target, w), logProbs)));
    if (!mean)
      return total;
    Value oneHot = b.create<OneHotOp>(loc, type, label);
    return o.div(total, o.sumAll(o.mul(oneHot, w)));
  }
  Value term = elementwiseTerm(o, spec.name, output, label, hypers);
  if (classWeights) {
    if (type.getNumElements() == type.getDimSize(0)) {
      // One output: the weight of the 0/1 target, w0 + (w1 - w0) y.
      auto scalar = RankedTensorType::get({}, type.getElementType());
      auto element = [&](int64_t k) {
        Value one = b.create<SliceOp>(loc, RankedTensorType::get({1}, type.getElementType()), classWeights,
                                      b.getDenseI64ArrayAttr({k}), b.getDenseI64ArrayAttr({1}));
        return reshapeTo(b, loc, one, scalar);
      };
      Value w0 = element(0), w1 = element(1);
      term = o.mul(o.add(o.spread(w0, label), o.mul(label, o.spread(o.sub(w1, w0), label))), term);
    } else {
      term = o.mul(perColumn(term), term);
    }
  }
  Value total = o.sumAll(term);
  return mean ? o.div(total, o.splat(total, static_cast<double>(type.getNumElements()))) : total;
}

} // namespace mlc
