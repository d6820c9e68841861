// Test-set metrics computed from the eval step's output rows: accuracy and the model's loss.
#ifndef MLC_RUNTIME_METRICS_H
#define MLC_RUNTIME_METRICS_H

#include <cstddef>
#include <cstdint>

#include "core/model_meta.h"

namespace mlc {

// -log softmax(logits)[label], computed stably (max subtracted before exp).
double cross_entropy_row(const float* logits, std::size_t classes, std::int32_t label);
// mean over classes of (output - one_hot(label))^2: a batch mean of these equals the compiled mse loss.
double mse_row(const float* output, std::size_t classes, std::int32_t label);
// Softmax of one row of logits into `out` (double; max subtracted first).
void softmax_row(const float* logits, std::size_t classes, double* out);
// Index of the largest value; the first one on ties.
std::size_t argmax_row(const float* row, std::size_t classes);

class MetricAccumulator {
 public:
  MetricAccumulator(LossKind loss, std::size_t classes) : loss_(loss), classes_(classes) {}

  // Adds the first `valid_rows` rows of a [batch, classes] output; later rows are padding.
  void add_batch(const float* output, const std::int32_t* labels, std::size_t valid_rows);

  std::size_t count() const { return count_; }
  double mean_loss() const;  // NaN when empty
  double accuracy() const;   // NaN when empty

 private:
  LossKind loss_;
  std::size_t classes_;
  double loss_sum_ = 0;
  std::size_t correct_ = 0;
  std::size_t count_ = 0;
};

}  // namespace mlc

#endif  // MLC_RUNTIME_METRICS_H
