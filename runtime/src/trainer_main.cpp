// The training driver: metadata, buffers, epochs of mlc_train_step, evaluation with mlc_eval_step, reports.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <string>
#include <vector>

#include "aligned_buffer.h"
#include "batcher.h"
#include "cli.h"
#include "dataset.h"
#include "error.h"
#include "hypers.h"
#include "json_log.h"
#include "metrics.h"
#include "mlc_runtime.h"
#include "model_meta.h"
#include "progress.h"

// Weak so the runtime needs no OpenMP headers or library: it resolves only when the model links libomp.
extern "C" void omp_set_num_threads(int) __attribute__((weak));

namespace mlc {
namespace {

constexpr int kExitError = 1;
constexpr int kExitDiverged = 2;
// Each scalar hyper gets its own aligned slot, as the ABI promises for every argument.
constexpr std::size_t kFloatsPerSlot = MLC_BUFFER_ALIGNMENT / sizeof(float);

std::string program_name(int argc, char** argv) {
  if (argc < 1 || argv[0] == nullptr || argv[0][0] == '\0') return "trainer";
  const char* slash = std::strrchr(argv[0], '/');
  return slash ? slash + 1 : argv[0];
}

// printf spells NaN as "nan" or "-nan" depending on the sign bit; the message should not vary.
std::string loss_text(float loss) {
  if (std::isnan(loss)) return "nan";
  if (std::isinf(loss)) return loss > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", loss);
  return buf;
}

// Everything the step functions touch, allocated once so the step loop never allocates.
struct StepBuffers {
  std::vector<AlignedBuffer> params;
  std::vector<AlignedBuffer> state;  // slot-major
  AlignedBuffer input, label, output, hypers, loss, workspace;
  std::vector<void*> train_args, eval_args;

  StepBuffers(const ModelMeta& meta, const std::vector<float>& hyper_values) {
    for (const ParamMeta& p : meta.params) {
      params.emplace_back(p.elements() * sizeof(float));
      std::memcpy(params.back().data(), mlc_param_init + p.offset, p.elements() * sizeof(float));
    }
    for (std::size_t s = 0; s < meta.state_slots; ++s) {
      for (const ParamMeta& p : meta.params) state.emplace_back(p.elements() * sizeof(float));
    }
    input = AlignedBuffer(meta.input.elements() * sizeof(float));
    label = AlignedBuffer(meta.label.elements() * sizeof(std::int32_t));
    output = AlignedBuffer(meta.output.elements() * sizeof(float));
    hypers = AlignedBuffer(hyper_values.size() * MLC_BUFFER_ALIGNMENT);
    for (std::size_t i = 0; i < hyper_values.size(); ++i) hyper(i) = hyper_values[i];
    loss = AlignedBuffer(sizeof(float));
    // The two steps never run concurrently, so one scratch area of the larger size serves both.
    workspace = AlignedBuffer(std::max(meta.workspace_train, meta.workspace_eval));

    for (AlignedBuffer& b : params) train_args.push_back(b.data());
    for (AlignedBuffer& b : state) train_args.push_back(b.data());
    train_args.push_back(input.data());
    train_args.push_back(label.data());
    for (std::size_t i = 0; i < hyper_values.size(); ++i) train_args.push_back(&hyper(i));
    train_args.push_back(loss.data());
    train_args.push_back(workspace.data());

    for (AlignedBuffer& b : params) eval_args.push_back(b.data());
    eval_args.push_back(input.data());
    eval_args.push_back(output.data());
    eval_args.push_back(workspace.data());
  }

  float& hyper(std::size_t i) { return hypers.as<float>()[i * kFloatsPerSlot]; }
};

struct TestMetrics {
  double loss;
  double accuracy;
};

TestMetrics evaluate(const ModelMeta& meta, const Split& test, StepBuffers& buf) {
  MetricAccumulator acc(meta.loss, meta.classes());
  for (std::size_t first = 0; first < test.count; first += meta.batch) {
    std::size_t valid = fill_eval_batch(test, first, meta.batch, buf.input.as<float>(), buf.label.as<std::int32_t>());
    mlc_eval_step(buf.eval_args.data());
    acc.add_batch(buf.output.as<float>(), buf.label.as<std::int32_t>(), valid);
  }
  return {acc.mean_loss(), acc.accuracy()};
}

int train(const Options& options) {
  const ModelMeta meta = parse_model_meta(mlc_model_meta);
  HyperValues hypers = resolve_hypers(meta, options);

  if (options.threads) {
    if (omp_set_num_threads) {
      omp_set_num_threads(*options.threads);
    } else {
      std::fprintf(stderr, "warning: --threads ignored: the model is not linked with OpenMP\n");
    }
  }
  // Opened before the (slow) data load so a bad path fails fast.
  JsonLog log = options.log_path.empty() ? JsonLog() : JsonLog(options.log_path);

  std::printf("model: %zu params in %zu tensors, batch %zu, optimizer %s%s%s%s, loss %s\n", meta.param_count(),
              meta.params.size(), meta.batch, optimizer_name(meta.optimizer), hypers.describe.empty() ? "" : " (",
              hypers.describe.c_str(), hypers.describe.empty() ? "" : ")", loss_name(meta.loss));
  std::fflush(stdout);

  Dataset data = load_dataset(options.data_dir, meta.sample_size(), meta.classes());
  if (options.limit_train) data.train.truncate(*options.limit_train);
  if (options.limit_test) data.test.truncate(*options.limit_test);
  if (data.train.count < meta.batch) {
    throw Error("the training set has " + std::to_string(data.train.count) +
                " images, fewer than one batch of " + std::to_string(meta.batch));
  }
  if (data.test.count == 0) throw Error("the test set is empty");

  Batcher batcher(data.train, meta.batch, options.shuffle, options.seed);
  const std::size_t steps = batcher.batches_per_epoch();
  std::printf("data: %zu train images (%zu steps per epoch, %zu dropped), %zu test images\n", data.train.count, steps,
              data.train.count - steps * meta.batch, data.test.count);
  std::fflush(stdout);

  StepBuffers buf(meta, hypers.values);
  float* const input = buf.input.as<float>();
  std::int32_t* const label = buf.label.as<std::int32_t>();
  const float* const loss_out = buf.loss.as<float>();

  Progress progress;
  std::size_t global_step = 0;
  double accuracy = 0;
  for (std::size_t epoch = 1; epoch <= options.epochs; ++epoch) {
    progress.begin_epoch(epoch, options.epochs, steps);
    const auto start = std::chrono::steady_clock::now();
    batcher.start_epoch(epoch - 1);
    double loss_sum = 0;
    for (std::size_t b = 0; b < steps; ++b) {
      batcher.fill(b, input, label);
      ++global_step;
      if (hypers.step_index >= 0) buf.hyper(static_cast<std::size_t>(hypers.step_index)) = static_cast<float>(global_step);
      mlc_train_step(buf.train_args.data());
      const float loss = *loss_out;
      if (!std::isfinite(loss)) {
        progress.clear();
        std::fprintf(stderr, "error: training diverged at step %zu (loss = %s)\n", global_step, loss_text(loss).c_str());
        log.close();
        return kExitDiverged;
      }
      loss_sum += loss;
      log.step(global_step, epoch, loss);
      progress.step(b + 1, loss);
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    TestMetrics test = evaluate(meta, data.test, buf);
    accuracy = test.accuracy;
    EpochResult r{epoch, options.epochs, loss_sum / static_cast<double>(steps), test.loss, test.accuracy, seconds};
    progress.end_epoch(r);
    log.epoch(r);
  }
  std::printf("final test_accuracy %.4f\n", accuracy);
  std::fflush(stdout);
  log.close();
  return 0;
}

}  // namespace
}  // namespace mlc

extern "C" int mlc_trainer_main(int argc, char** argv) {
  try {
    mlc::Options options = mlc::parse_cli(argc, argv);
    if (options.help) {
      std::fputs(mlc::usage(mlc::program_name(argc, argv)).c_str(), stdout);
      return 0;
    }
    return mlc::train(options);
  } catch (const mlc::Error& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "error: %s\n", e.what());
  } catch (const std::bad_alloc&) {
    std::fflush(stdout);
    std::fprintf(stderr, "error: out of memory\n");
  } catch (const std::exception& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "error: internal: %s\n", e.what());
  }
  return mlc::kExitError;
}
