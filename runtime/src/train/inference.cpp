// Inference from checkpoint weights through the eval step, batched with the partial last batch padded.
#include "train/inference.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>

#include "core/error.h"
#include "core/memory.h"
#include "train/data_sources.h"
#include "train/hypers.h"
#include "data/dataset.h"
#include "eval/metrics.h"
#include "state/checkpoint_dir.h"
#include "train/evaluation.h"
#include "train/model_state.h"
#include "train/run_checkpoint.h"
#include "train/step_buffers.h"
#include "train/training_loop.h"

namespace mlc {
namespace {

struct LoadedModel {
  std::unique_ptr<Memory> mem;
  std::unique_ptr<StepBuffers> buf;
  std::string checkpoint;
  DataTransform transform;
};

// The eval step's buffers with the weights of --resume's checkpoint (file or newest in a directory).
LoadedModel load_model(const Options& options, const ModelMeta& meta) {
  std::optional<std::string> path = resolve_resume(options.resume_path);
  if (!path) throw Error("--resume=" + options.resume_path + ": no checkpoint there");
  RunCheckpoint ck = open_run_checkpoint(*path, meta, CheckpointUse::Weights);
  LoadedModel m;
  m.mem = make_memory(meta.target);
  m.buf = std::make_unique<StepBuffers>(*m.mem, meta, std::vector<float>(meta.hypers.size(), 0.0f));
  upload_state(*m.mem, meta, *m.buf, read_state(ck.file, meta, "", false));
  m.checkpoint = *path;
  m.transform = ck.transform;
  return m;
}

// A CSV field, quoted when it holds a comma, quote or line break.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string q = "\"";
  for (char c : text) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

}  // namespace

int run_evaluation(const Options& options, const ModelMeta& meta) {
  const HyperValues hypers = resolve_hypers(meta, options);
  LoadedModel m = load_model(options, meta);
  Split test = load_test_data(options, meta, m.transform);
  LossParams loss = hypers.loss;
  loss.class_weights = m.transform.class_weights;  // the test loss weighs classes as training did
  if (options.limit_test) test.truncate(*options.limit_test);
  if (test.count == 0) throw Error("the test set is empty");
  const std::vector<std::string> printed =
      printed_metrics(options.metrics, split_metric_names(meta, test.classification()));
  SplitMetrics r = evaluate_split(meta, test, *m.mem, *m.buf, loss);
  std::string line = "checkpoint " + m.checkpoint + " on " + std::to_string(test.count) + " test samples:";
  for (const std::string& name : printed) {
    for (const auto& [k, v] : r.named("test_")) {
      char num[32];
      std::snprintf(num, sizeof num, "%.4f", v);
      if (k == "test_" + name) line += "  " + k + " " + num;
    }
  }
  std::printf("%s\n", line.c_str());
  return kExitOk;
}

int run_prediction(const Options& options, const ModelMeta& meta) {
  if (options.output_path == options.input_path) throw Error("--output would overwrite --input " + options.input_path);
  LoadedModel m = load_model(options, meta);
  const PredictionInput input = load_prediction_input(options, meta, m.transform);
  if (input.samples.count == 0) throw Error(options.input_path + ": holds no samples");

  const std::string tmp = options.output_path + ".tmp";
  std::FILE* out = std::fopen(tmp.c_str(), "w");
  if (!out) throw Error(options.output_path + ": cannot write predictions: " + std::strerror(errno));
  // Classifiers (class-label losses, one-output binary losses) write the class and its probabilities
  // (or --raw-outputs); any other model writes its outputs. A CSV-trained classifier names its classes.
  const std::size_t outputs = meta.output_size(), classes = meta.classes();
  const bool classifier = meta.class_labels || (is_binary_loss(meta.loss) && outputs == 1);
  const bool probabilities = classifier && !options.raw_outputs;
  static const std::vector<std::string> none;
  const std::vector<std::string>& names = m.transform.table ? m.transform.table->class_names() : none;
  std::fprintf(out, classifier ? "index,class" : "index");
  const std::size_t columns = probabilities ? classes : outputs;
  for (std::size_t c = 0; c < columns; ++c) {
    if (probabilities && c < names.size()) std::fprintf(out, ",%s", csv_field("p_" + names[c]).c_str());
    else std::fprintf(out, probabilities ? ",p%zu" : ",out%zu", c);
  }
  std::fprintf(out, "\n");
  std::size_t index = 0;
  std::vector<double> scores(classes);
  // A failure on the way (a device error) must not leave the half-written temporary behind.
  try {
    for_each_eval_batch(meta, input.samples, *m.mem, *m.buf, [&](const float* output, std::size_t, std::size_t valid) {
      for (std::size_t r = 0; r < valid; ++r, ++index) {
        const float* o = output + r * outputs;
        std::fprintf(out, "%zu", input.rows[index]);
        if (classifier) {
          class_scores(meta, o, scores.data());
          std::size_t best = 0;
          for (std::size_t c = 1; c < classes; ++c) best = scores[c] > scores[best] ? c : best;
          if (best < names.size()) std::fprintf(out, ",%s", csv_field(names[best]).c_str());
          else std::fprintf(out, ",%zu", best);
        }
        for (std::size_t c = 0; c < columns; ++c) std::fprintf(out, ",%.9g", probabilities ? scores[c] : double(o[c]));
        std::fprintf(out, "\n");
      }
    });
  } catch (...) {
    std::fclose(out);
    std::remove(tmp.c_str());
    throw;
  }
  const bool failed = std::ferror(out) != 0;
  if ((std::fclose(out) != 0) || failed || std::rename(tmp.c_str(), options.output_path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw Error(options.output_path + ": error writing predictions");
  }
  std::printf("predictions for %zu samples written to %s\n", input.samples.count, options.output_path.c_str());
  return kExitOk;
}

}  // namespace mlc
