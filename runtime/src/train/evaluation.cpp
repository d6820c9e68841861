// Evaluation batches go through upload slot 0 after every training upload of every slot has finished.
#include "train/evaluation.h"

#include "data/batcher.h"
#include "eval/metrics.h"
#include "mlc_runtime.h"

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

}  // namespace mlc
