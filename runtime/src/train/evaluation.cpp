// Evaluation batches go through upload slot 0 after every training upload of every slot has finished.
#include "train/evaluation.h"

#include "data/batcher.h"
#include "eval/metrics.h"
#include "core/error.h"
#include "mlc_runtime.h"

#include <algorithm>

namespace mlc {

void for_each_eval_batch(const ModelMeta& meta, const Split& split, Memory& mem, StepBuffers& buf,
                         const std::function<void(const float*, const std::int32_t*, std::size_t)>& rows) {
  const Staged& input = buf.input[0];
  const Staged& label = buf.label[0];
  // No training upload may still read slot 0's host buffers or write its device buffers.
  for (int slot = 0; slot < static_cast<int>(buf.input.size()); ++slot) mem.begin_refill(slot);
  for (std::size_t first = 0; first < split.count; first += meta.batch) {
    std::size_t valid = fill_eval_batch(split, first, meta.batch, input.host_as<void>(), label.host_as<std::int32_t>());
    mem.upload(input);  // synchronous; labels stay on the host: only the metrics read them
    mlc_eval_step(buf.eval_args.data());
    mem.download(buf.output);
    rows(buf.output.host_as<float>(), label.host_as<std::int32_t>(), valid);
  }
}

SplitMetrics evaluate_split(const ModelMeta& meta, const Split& split, Memory& mem, StepBuffers& buf) {
  const std::size_t classes = meta.classes();
  MetricAccumulator acc(meta.loss, classes);
  ClassificationMetrics cls(classes);
  std::vector<double> scores(classes);
  for_each_eval_batch(meta, split, mem, buf, [&](const float* out, const std::int32_t* labels, std::size_t valid) {
    acc.add_batch(out, labels, valid);
    for (std::size_t r = 0; r < valid; ++r) {
      softmax_row(out + r * classes, classes, scores.data());
      cls.add(scores.data(), labels[r]);
    }
  });
  return {acc.mean_loss(), acc.accuracy(), cls.report()};
}

std::vector<std::pair<std::string, double>> SplitMetrics::named(const std::string& prefix) const {
  std::vector<std::pair<std::string, double>> out = {{prefix + "loss", loss}};
  for (auto& m : classification.scalars(prefix)) out.push_back(std::move(m));
  return out;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// The names a split's evaluation reports, without the split prefix: "loss", "accuracy", "f1_macro", ...
std::vector<std::string> split_metric_names(std::size_t classes) {
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
  const std::string text = list.empty() ? "loss,accuracy" : list;
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
