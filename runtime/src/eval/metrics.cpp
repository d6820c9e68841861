// Per-row loss and accuracy in double precision, so summing ten thousand rows loses nothing visible.
#include "eval/metrics.h"

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

double mse_row(const float* output, std::size_t classes, std::int32_t label) {
  double sum = 0;
  for (std::size_t c = 0; c < classes; ++c) {
    double d = output[c] - (static_cast<std::int32_t>(c) == label ? 1.0 : 0.0);
    sum += d * d;
  }
  return sum / static_cast<double>(classes);
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

void MetricAccumulator::add_batch(const float* output, const std::int32_t* labels, std::size_t valid_rows) {
  for (std::size_t r = 0; r < valid_rows; ++r) {
    const float* row = output + r * classes_;
    loss_sum_ += loss_ == LossKind::Mse ? mse_row(row, classes_, labels[r]) : cross_entropy_row(row, classes_, labels[r]);
    if (argmax_row(row, classes_) == static_cast<std::size_t>(labels[r])) ++correct_;
  }
  count_ += valid_rows;
}

double MetricAccumulator::mean_loss() const {
  return count_ ? loss_sum_ / static_cast<double>(count_) : std::numeric_limits<double>::quiet_NaN();
}

double MetricAccumulator::accuracy() const {
  return count_ ? static_cast<double>(correct_) / static_cast<double>(count_) : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace mlc
