// Running the eval step over a whole split in batches (the partial last batch padded) and scoring it.
#ifndef MLC_RUNTIME_TRAIN_EVALUATION_H
#define MLC_RUNTIME_TRAIN_EVALUATION_H

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "eval/classification_metrics.h"
#include "core/memory.h"
#include "core/model_meta.h"
#include "data/dataset.h"
#include "train/step_buffers.h"

namespace mlc {

struct SplitMetrics {
  double loss;
  double accuracy;
  ClassificationReport classification;

  // "<prefix>loss", then every classification metric ("<prefix>accuracy", "<prefix>f1_macro", ...).
  std::vector<std::pair<std::string, double>> named(const std::string& prefix) const;
};

// Calls `rows(output, labels, valid)` for each batch: the eval step's output rows, the batch's labels,
// and how many leading rows are real samples (the rest is zero padding).
void for_each_eval_batch(const ModelMeta& meta, const Split& split, Memory& mem, StepBuffers& buf,
                         const std::function<void(const float*, const std::int32_t*, std::size_t)>& rows);

// The names a split's evaluation reports, without the split prefix: "loss", "accuracy", "f1_macro", ...
std::vector<std::string> split_metric_names(std::size_t classes);
// "a, b, c", for messages.
std::string join_names(const std::vector<std::string>& names);
// --metrics: the names printed per split ("loss,accuracy" when empty); throws mlc::Error on an
// unknown name, listing the known ones.
std::vector<std::string> printed_metrics(const std::string& list, const std::vector<std::string>& known);

SplitMetrics evaluate_split(const ModelMeta& meta, const Split& split, Memory& mem, StepBuffers& buf);

}  // namespace mlc

#endif  // MLC_RUNTIME_TRAIN_EVALUATION_H
