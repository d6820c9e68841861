// Per-sample losses in double precision, so summing ten thousand samples loses nothing visible; each
// follows the formula of the compiler's loss builder (and torch.nn's loss of the same name).
#include "eval/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlc {

double cross_entropy_row(const float* logits, std::size_t classes, std::int32_t label) {
  double max = logits[0];
  for (std::size_t c = 1; c < classes; ++c) max = std::fmax(max, logits[c]);
  double sum = 0;
  for (std::size_t c = 0; c < classes; ++c) sum += std::exp(logits[c] - max);
  return std::log(sum) + max - logits[label];
}

void softmax_row(const float* logits, std::size_t classes, double* out) {
  double max = logits[0];
  for (std::size_t c = 1; c < classes; ++c) max = std::fmax(max, logits[c]);
  double sum = 0;
  for (std::size_t c = 0; c < classes; ++c) sum += (out[c] = std::exp(logits[c] - max));
  for (std::size_t c = 0; c < classes; ++c) out[c] /= sum;
}

std::size_t argmax_row(const float* row, std::size_t classes) {
  std::size_t best = 0;
  for (std::size_t c = 1; c < classes; ++c) {
    if (row[c] > row[best]) best = c;
  }
  return best;
}

double class_sample_loss(LossKind loss, const float* row, std::size_t classes, std::int32_t label,
                         const LossParams& params) {
  const std::vector<float>& w = params.class_weights;
  auto weight = [&](std::size_t c) { return w.empty() ? 1.0 : static_cast<double>(w[c]); };
  if (loss == LossKind::Nll) return -weight(label) * static_cast<double>(row[label]);
  const double nll = cross_entropy_row(row, classes, label);
  if (params.label_smoothing == 0) return weight(label) * nll;
  // (1 - e) w_y nll + e mean_c(w_c (-log p_c)), -log p_c = logsumexp - x_c.
  const double lse = nll + row[label];
  double mean_neg_log = 0;
  for (std::size_t c = 0; c < classes; ++c) mean_neg_log += weight(c) * (lse - row[c]);
  mean_neg_log /= static_cast<double>(classes);
  return (1 - params.label_smoothing) * weight(label) * nll + params.label_smoothing * mean_neg_log;
}

namespace {

double term(LossKind loss, double x, double y, const LossParams& params) {
  const double d = x - y, a = std::fabs(d), delta = params.delta;
  switch (loss) {
    case LossKind::Mse: return d * d;
    case LossKind::L1: return a;
    case LossKind::Huber: return a < delta ? 0.5 * d * d : delta * (a - 0.5 * delta);
    case LossKind::SmoothL1: return a < delta ? 0.5 * d * d / delta : a - 0.5 * delta;
    case LossKind::BceLogits: return std::max(x, 0.0) - x * y + std::log1p(std::exp(-std::fabs(x)));
    case LossKind::Bce: {
      const double log_p = std::max(std::log(x), -100.0), log_q = std::max(std::log(1 - x), -100.0);
      return -(y * log_p + (1 - y) * log_q);
    }
    default: return std::numeric_limits<double>::quiet_NaN();  // class losses never get here
  }
}

}  // namespace

double target_sample_loss(LossKind loss, const float* output, const float* target, std::size_t n,
                          const LossParams& params) {
  const std::vector<float>& w = params.class_weights;
  double sum = 0;
  for (std::size_t i = 0; i < n; ++i) {
    double t = term(loss, output[i], target[i], params);
    // One output: the weight of its 0/1 target (w0 + (w1 - w0) y, as the compiled loss); else per column.
    if (!w.empty()) t *= n == 1 ? w[0] + (w[1] - w[0]) * static_cast<double>(target[i]) : w[i];
    sum += t;
  }
  return sum;
}

LossAccumulator::LossAccumulator(const ModelMeta& meta)
    : terms_per_sample_(meta.class_labels ? 1.0 : static_cast<double>(meta.output_size())),
      batch_(static_cast<double>(meta.batch)),
      mean_(meta.reduction == Reduction::Mean),
      class_labels_(meta.class_labels) {}

double LossAccumulator::value() const {
  if (count_ == 0) return std::numeric_limits<double>::quiet_NaN();
  const double per_sample = sum_ / static_cast<double>(count_);
  if (mean_ && class_labels_) return sum_ / weight_sum_;
  return mean_ ? per_sample / terms_per_sample_ : per_sample * batch_;
}

}  // namespace mlc
