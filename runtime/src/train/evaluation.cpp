// Evaluation batches go through upload slot 0 after every training upload of every slot has finished.
#include "train/evaluation.h"

#include "data/batcher.h"
#include "eval/metrics.h"
#include "core/error.h"
#include "mlc_runtime.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mlc {

void for_each_eval_batch(const ModelMeta& meta, const Split& split, Memory& mem, StepBuffers& buf,
                         const std::function<void(const float*, std::size_t, std::size_t)>& rows) {
  const Staged& input = buf.input[0];
  const Staged& label = buf.label[0];
  // Every loader checks this; a batch of other rows would not fit the buffers.
  if (split.pixels != meta.sample_size() || split.label_values() * meta.batch * sizeof(float) > label.bytes) {
    throw Error("internal: a split of " + std::to_string(split.pixels) + " values per sample for a model taking " +
                std::to_string(meta.sample_size()));
  }
  // No training upload may still read slot 0's host buffers or write its device buffers.
  for (int slot = 0; slot < static_cast<int>(buf.input.size()); ++slot) mem.begin_refill(slot);
  for (std::size_t first = 0; first < split.count; first += meta.batch) {
    std::size_t valid = fill_eval_batch(split, first, meta.batch, input.host_as<void>(), label.host_as<void>());
    mem.upload(input);  // synchronous; labels stay on the host: only the metrics read them
    mlc_eval_step(buf.eval_args.data());
    mem.download(buf.output);
    rows(buf.output.host_as<float>(), first, valid);
  }
}

void class_scores(const ModelMeta& meta, const float* row, double* scores) {
  const std::size_t classes = meta.classes();
  if (meta.class_labels) {
    softmax_row(row, classes, scores);
  } else if (meta.output_size() == 1) {
    const double x = row[0];
    const double p = meta.loss == LossKind::BceLogits ? 1 / (1 + std::exp(-x)) : x;
    scores[0] = 1 - p;
    scores[1] = p;
  } else {
    for (std::size_t c = 0; c < classes; ++c) scores[c] = row[c];
  }
}

SplitMetrics evaluate_split(const ModelMeta& meta, const Split& split, Memory& mem, StepBuffers& buf,
                            const LossParams& params) {
  const std::size_t outputs = meta.output_size(), classes = meta.classes();
  const bool classification = split.classification();
  LossAccumulator loss(meta);
  ClassificationMetrics cls(classification ? classes : 1);
  RegressionMetrics reg(classification ? 1 : outputs);
  std::vector<double> scores(classes);
  for_each_eval_batch(meta, split, mem, buf, [&](const float* out, std::size_t first, std::size_t valid) {
    for (std::size_t r = 0; r < valid; ++r) {
      const std::size_t s = first + r;
      const float* row = out + r * outputs;
      if (meta.class_labels) {
        const std::int32_t y = split.labels[s];
        loss.add(class_sample_loss(meta.loss, row, outputs, y, params),
                 params.class_weights.empty() ? 1.0 : params.class_weights[y]);
      } else {
        loss.add(target_sample_loss(meta.loss, row, split.target(s), outputs, params));
      }
      if (classification) {
        class_scores(meta, row, scores.data());
        cls.add(scores.data(), split.labels[s]);
      } else {
        reg.add(row, split.target(s));
      }
    }
  });
  SplitMetrics m{loss.value(), std::nullopt, std::nullopt};
  if (classification) m.classification = cls.report();
  else m.regression = reg.report();
  return m;
}

double SplitMetrics::accuracy() const {
  return classification ? classification->accuracy : std::numeric_limits<double>::quiet_NaN();
}

std::vector<std::pair<std::string, double>> SplitMetrics::named(const std::string& prefix) const {
  std::vector<std::pair<std::string, double>> out = {{prefix + "loss", loss}};
  if (classification) {
    for (auto& m : classification->scalars(prefix)) out.push_back(std::move(m));
  } else if (regression) {
    out.insert(out.end(), {{prefix + "mse", regression->mse},
                           {prefix + "rmse", regression->rmse},
                           {prefix + "mae", regression->mae},
                           {prefix + "r2", regression->r2}});
  }
  return out;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::vector<std::string> split_metric_names(const ModelMeta& meta, bool classification) {
  if (!classification) return {"loss", "mse", "rmse", "mae", "r2"};
  const std::size_t classes = meta.classes();
  ClassificationReport shape;
  shape.classes = classes;
  shape.top_k = std::min<std::size_t>(5, classes);
  shape.precision.assign(classes, 0);
  shape.recall.assign(classes, 0);
  shape.f1.assign(classes, 0);
  std::vector<std::string> names = {"loss"};
  for (const auto& [name, value] : shape.scalars("")) names.push_back(name);
  return names;
}

// --metrics: the names printed per split; every one must be known.
std::vector<std::string> printed_metrics(const std::string& list, const std::vector<std::string>& known) {
  std::vector<std::string> out;
  std::size_t start = 0;
  const bool regression = std::find(known.begin(), known.end(), "accuracy") == known.end();
  const std::string text = list.empty() ? (regression ? "loss,r2" : "loss,accuracy") : list;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    const std::string name = text.substr(start, comma - start);
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      throw Error("--metrics: unknown metric '" + name + "' (known: " + join_names(known) + ")");
    }
    out.push_back(name);
    start = comma + 1;
  }
  return out;
}

}  // namespace mlc
