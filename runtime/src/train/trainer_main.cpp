// The training driver: metadata, buffers, epochs of mlc_train_step, evaluation with mlc_eval_step, reports.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "data/batcher.h"
#include "train/cli.h"
#include "data/dataset.h"
#include "core/error.h"
#include "train/hypers.h"
#include "train/json_log.h"
#include "core/memory.h"
#include "eval/metrics.h"
#include "mlc_runtime.h"
#include "core/model_meta.h"
#include "train/progress.h"

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

// Everything the step functions touch, allocated once so the step loop never allocates. Every pointer in
// the args arrays is a step buffer from `mem` (device memory for target cuda); the runtime fills and reads
// the host side of the Staged ones. The batch (input, label) has one pair per upload slot of `mem` (two
// for cuda: double buffering), and train_args one array per slot; evaluation uses slot 0.
struct StepBuffers {
  std::vector<void*> params;
  std::vector<void*> state;  // slot-major
  std::vector<void*> buffers;
  std::vector<Staged> input, label;  // per upload slot
  Staged output, hypers, loss;
  void* workspace = nullptr;
  std::vector<std::vector<void*>> train_args;  // per upload slot
  std::vector<void*> eval_args;

  StepBuffers(Memory& mem, const ModelMeta& meta, const std::vector<float>& hyper_values) {
    // Parameters and buffers start from their values in mlc_param_init.
    auto initialized = [&](const ParamMeta& p) {
      void* device = mem.alloc(p.elements() * sizeof(float));
      mem.copy_to_device(device, mlc_param_init + p.offset, p.elements() * sizeof(float));
      return device;
    };
    for (const ParamMeta& p : meta.params) params.push_back(initialized(p));
    for (std::size_t s = 0; s < meta.state_slots; ++s) {
      for (const ParamMeta& p : meta.params) state.push_back(mem.alloc(p.elements() * sizeof(float)));
    }
    for (const ParamMeta& b : meta.buffers) buffers.push_back(initialized(b));
    const int slots = std::max(1, mem.upload_slots());
    for (int i = 0; i < slots; ++i) {
      input.push_back(mem.alloc_staged(meta.input.elements() * sizeof(float)));
      label.push_back(mem.alloc_staged(meta.label.elements() * sizeof(std::int32_t)));
    }
    output = mem.alloc_staged(meta.output.elements() * sizeof(float));
    // One buffer for all hypers (one copy per step), each in its own aligned slot as the ABI promises.
    hypers = mem.alloc_staged(hyper_values.size() * MLC_BUFFER_ALIGNMENT);
    for (std::size_t i = 0; i < hyper_values.size(); ++i) hyper(i) = hyper_values[i];
    mem.upload(hypers);
    loss = mem.alloc_staged(sizeof(float));
    // The two steps never run concurrently, so one scratch area of the larger size serves both.
    workspace = mem.alloc(std::max(meta.workspace_train, meta.workspace_eval));

    for (int slot = 0; slot < slots; ++slot) {
      std::vector<void*> args = params;
      args.insert(args.end(), state.begin(), state.end());
      args.insert(args.end(), buffers.begin(), buffers.end());
      args.push_back(input[slot].device);
      args.push_back(label[slot].device);
      for (std::size_t i = 0; i < hyper_values.size(); ++i) {
        args.push_back(static_cast<char*>(hypers.device) + i * MLC_BUFFER_ALIGNMENT);
      }
      args.push_back(loss.device);
      args.push_back(workspace);
      train_args.push_back(std::move(args));
    }

    eval_args = params;
    eval_args.insert(eval_args.end(), buffers.begin(), buffers.end());
    eval_args.push_back(input[0].device);
    eval_args.push_back(output.device);
    eval_args.push_back(workspace);
    mem.synchronize();
  }

  float& hyper(std::size_t i) { return hypers.host_as<float>()[i * kFloatsPerSlot]; }
};

struct TestMetrics {
  double loss;
  double accuracy;
};

TestMetrics evaluate(const ModelMeta& meta, const Split& test, Memory& mem, StepBuffers& buf) {
  MetricAccumulator acc(meta.loss, meta.classes());
  const Staged& input = buf.input[0];
  const Staged& label = buf.label[0];
  // No training upload may still read slot 0's host buffers or write its device buffers.
  for (int slot = 0; slot < static_cast<int>(buf.input.size()); ++slot) mem.begin_refill(slot);
  for (std::size_t first = 0; first < test.count; first += meta.batch) {
    std::size_t valid = fill_eval_batch(test, first, meta.batch, input.host_as<void>(), label.host_as<std::int32_t>());
    mem.upload(input);  // synchronous; labels stay on the host: only the metrics read them
    mlc_eval_step(buf.eval_args.data());
    mem.download(buf.output);
    acc.add_batch(buf.output.host_as<float>(), label.host_as<std::int32_t>(), valid);
  }
  return {acc.mean_loss(), acc.accuracy()};
}

int train(const Options& options) {
  const ModelMeta meta = parse_model_meta(mlc_model_meta);
  HyperValues hypers = resolve_hypers(meta, options);
  if (options.cuda_graph && meta.target != Target::Cuda) {
    throw Error("--cuda-graph needs a trainer compiled with --target=cuda (this one runs on the CPU)");
  }

  if (options.threads) {
    if (omp_set_num_threads) {
      omp_set_num_threads(*options.threads);
    } else {
      std::fprintf(stderr, "warning: --threads ignored: the model is not linked with OpenMP\n");
    }
  }
  // Opened before the (slow) data load so a bad path fails fast.
  JsonLog log = options.log_path.empty() ? JsonLog() : JsonLog(options.log_path);
  // For target cuda this loads the driver and opens the device, failing before the data load too.
  std::unique_ptr<Memory> mem = make_memory(meta.target);

  std::printf("model: %zu params in %zu tensors, batch %zu, optimizer %s%s%s%s, loss %s\n", meta.param_count(),
              meta.params.size(), meta.batch, optimizer_name(meta.optimizer), hypers.describe.empty() ? "" : " (",
              hypers.describe.c_str(), hypers.describe.empty() ? "" : ")", loss_name(meta.loss));
  const std::string device = mem->description();
  if (!device.empty()) std::printf("device: %s\n", device.c_str());
  std::fflush(stdout);

  Dataset data = load_dataset(options.data_dir, meta.sample_size(), meta.classes(), meta.token_input);
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

  StepBuffers buf(*mem, meta, hypers.values);
  const float* const loss_out = buf.loss.host_as<float>();
  // Batch b uses upload slot b % slots. With one slot (host memory) a batch is filled and uploaded just
  // before its step; with two (cuda) batch b+1 is filled and its copy enqueued on the copy stream before
  // step b is called, so the copy runs while step b computes, and the compute stream waits for batch b's
  // copy (an event) before step b.
  const std::size_t slots = buf.input.size();
  auto stage = [&](std::size_t b) {
    const int slot = static_cast<int>(b % slots);
    mem->begin_refill(slot);  // its previous copies have read the pinned buffers
    batcher.fill(b, buf.input[slot].host_as<void>(), buf.label[slot].host_as<std::int32_t>());
    mem->upload_async(buf.input[slot], slot);
    mem->upload_async(buf.label[slot], slot);
    mem->end_refill(slot);
  };

  // --cuda-graph: per slot, the first step after the first of all is captured into a graph, which then
  // replaces train_step for that slot (mlc_runtime.h). Hypers stay a synchronous copy before each step
  // (their address is fixed, so the graph reads the new values); evaluation is never captured.
  const bool graphs = options.cuda_graph && mem->supports_graphs();

  Progress progress;
  std::size_t global_step = 0;
  double accuracy = 0;
  for (std::size_t epoch = 1; epoch <= options.epochs; ++epoch) {
    progress.begin_epoch(epoch, options.epochs, steps);
    const auto start = std::chrono::steady_clock::now();
    batcher.start_epoch(epoch - 1);
    double loss_sum = 0;
    const std::size_t ahead = slots - 1;  // batches staged ahead of the step being run
    for (std::size_t b = 0; b < ahead && b < steps; ++b) stage(b);
    for (std::size_t b = 0; b < steps; ++b) {
      const int slot = static_cast<int>(b % slots);
      mem->wait_uploads(slot);
      if (b + ahead < steps) stage(b + ahead);
      ++global_step;
      if (hypers.step_index >= 0) {
        buf.hyper(static_cast<std::size_t>(hypers.step_index)) = static_cast<float>(global_step);
        mem->upload(buf.hypers);
      }
      if (!graphs) {
        mlc_train_step(buf.train_args[slot].data());
      } else if (mem->has_graph(slot)) {
        mem->launch_graph(slot);  // the slot's captured step, after the waits wait_uploads enqueued
      } else if (global_step == 1) {
        mlc_train_step(buf.train_args[slot].data());  // warm-up: loads the modules (never captured)
      } else {
        mem->begin_capture();
        mlc_train_step(buf.train_args[slot].data());  // recorded, not run
        mem->end_capture(slot);                       // instantiates the graph and runs it once
      }
      mem->download(buf.loss);
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

    TestMetrics test = evaluate(meta, data.test, *mem, buf);
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
