// Running the eval step over a whole split in batches (the partial last batch padded) and scoring it.
#ifndef MLC_RUNTIME_TRAIN_EVALUATION_H
#define MLC_RUNTIME_TRAIN_EVALUATION_H

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/memory.h"
#include "core/model_meta.h"
#include "data/dataset.h"
#include "eval/classification_metrics.h"
#include "eval/metrics.h"
#include "train/step_buffers.h"

namespace mlc {

// A split's loss and either classification metrics (class-labelled data) or regression metrics.
struct SplitMetrics {
  double loss;
  std::optional<ClassificationReport> classification;
  std::optional<RegressionReport> regression;

  // Accuracy for classification, NaN otherwise.
  double accuracy() const;
  // "<prefix>loss", then every classification metric ("<prefix>accuracy", "<prefix>f1_macro", ...) or
  // regression metric ("<prefix>mse", "<prefix>rmse", "<prefix>mae", "<prefix>r2").
  std::vector<std::pair<std::string, double>> named(const std::string& prefix) const;
};

// Calls `rows(output, first, valid)` for each batch: the eval step's output rows for samples first,
// first+1, ... of the split, of which the leading `valid` are real (the rest is zero padding).
void for_each_eval_batch(const ModelMeta& meta, const Split& split, Memory& mem, StepBuffers& buf,
                         const std::function<void(const float*, std::size_t, std::size_t)>& rows);

// The class scores of one output row for classification metrics: softmax of logits (cross_entropy,
// nll's log-probabilities), [1 - p, p] for one binary output (p the sigmoid of bce_logits' logit),
// else the outputs themselves (one-hot targets). `scores` holds meta.classes() values.
void class_scores(const ModelMeta& meta, const float* row, double* scores);

// The names a split's evaluation reports, without the split prefix: "loss", "accuracy", "f1_macro", ...
// for classification, "loss", "mse", "rmse", "mae", "r2" for regression.
std::vector<std::string> split_metric_names(const ModelMeta& meta, bool classification);
// "a, b, c", for messages.
std::string join_names(const std::vector<std::string>& names);
// --metrics: the names printed per split ("loss,accuracy" or "loss,r2" when empty); throws mlc::Error
// on an unknown name, listing the known ones.
std::vector<std::string> printed_metrics(const std::string& list, const std::vector<std::string>& known);

SplitMetrics evaluate_split(const ModelMeta& meta, const Split& split, Memory& mem, StepBuffers& buf,
                            const LossParams& params);

}  // namespace mlc

#endif  // MLC_RUNTIME_TRAIN_EVALUATION_H
