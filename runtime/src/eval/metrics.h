// Evaluation losses computed from the eval step's output rows, as the compiled losses define them.
#ifndef MLC_RUNTIME_METRICS_H
#define MLC_RUNTIME_METRICS_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/model_meta.h"

namespace mlc {

// -log softmax(logits)[label], computed stably (max subtracted before exp).
double cross_entropy_row(const float* logits, std::size_t classes, std::int32_t label);
// Softmax of one row of logits into `out` (double; max subtracted first).
void softmax_row(const float* logits, std::size_t classes, double* out);
// Index of the largest value; the first one on ties.
std::size_t argmax_row(const float* row, std::size_t classes);

// The runtime scalars some losses read (the trainer's --delta and --label-smoothing).
struct LossParams {
  double delta = 1.0;            // huber's delta, smooth_l1's beta
  double label_smoothing = 0.0;  // cross_entropy
  // The loss's class weights (torch's `weight`), or empty: per class for cross_entropy and nll, the
  // weights of a 0 and a 1 target for a one-output bce, per output column for a multi-output one.
  std::vector<float> class_weights;
};

// One sample's loss for a class-label loss (cross_entropy, with label smoothing; nll of log-probs),
// weighted by the class weights (each class's smoothing share by its own weight).
double class_sample_loss(LossKind loss, const float* row, std::size_t classes, std::int32_t label,
                         const LossParams& params);
// The sum of one sample's per-element terms for a float-target loss (mse, l1, huber, smooth_l1,
// bce_logits, bce), `n` values of output and target; bce terms weighted by the class weights.
double target_sample_loss(LossKind loss, const float* output, const float* target, std::size_t n,
                          const LossParams& params);

// Sums per-sample losses and reports the value the compiled loss would have over a batch of them: with
// mean reduction the mean per term (per sample for class losses, per element for float targets; a
// weighted class loss divides by the samples' weights, `weight` their class's), with sum reduction
// the sum scaled to one batch of the model's size.
class LossAccumulator {
 public:
  explicit LossAccumulator(const ModelMeta& meta);
  void add(double sample_loss, double weight = 1.0) {
    sum_ += sample_loss;
    weight_sum_ += weight;
    ++count_;
  }
  std::size_t count() const { return count_; }
  double value() const;  // NaN when empty

 private:
  double terms_per_sample_, batch_;
  bool mean_, class_labels_;
  double sum_ = 0, weight_sum_ = 0;
  std::size_t count_ = 0;
};

}  // namespace mlc

#endif  // MLC_RUNTIME_METRICS_H
