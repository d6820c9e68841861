// The training loop. Its state between steps is the cursor (epoch, batch), the schedule, early stopping
// and the model's buffers; a checkpoint saves exactly that, so a resumed run repeats no step and skips none.
#include "train/training_loop.h"
#include "train/step_profiler.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "core/error.h"
#include "core/memory.h"
#include "data/batch_prefetcher.h"
#include "data/batcher.h"
#include "data/dataset.h"
#include "mlc_runtime.h"
#include "state/checkpoint_dir.h"
#include "state/onnx_export.h"
#include "report/html_report.h"
#include "eval/classification_metrics.h"
#include "train/early_stopping.h"
#include "train/evaluation.h"
#include "train/hypers.h"
#include "train/class_weights.h"
#include "train/data_sources.h"
#include "train/divergence_guard.h"
#include "train/json_log.h"
#include "train/lr_schedule.h"
#include "train/model_state.h"
#include "train/progress.h"
#include "train/signals.h"
#include "train/step_buffers.h"

// Weak so the runtime needs no OpenMP headers or library: it resolves only when the model links libomp.
extern "C" void omp_set_num_threads(int) __attribute__((weak));
// The ONNX export template (mlc_runtime.h); weak: hand-written models need not define it.
extern "C" const std::uint8_t mlc_export_onnx[] __attribute__((weak));
extern "C" const std::uint64_t mlc_export_onnx_size __attribute__((weak));

namespace mlc {
namespace {

// printf spells NaN as "nan" or "-nan" depending on the sign bit; the message should not vary.
std::string number_text(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

// Where the next training step starts: epoch (1-based) and batch within it, with the loss sum of the
// epoch's earlier steps (for its train_loss).
struct Cursor {
  std::uint64_t step = 0;  // steps done
  std::uint64_t epoch = 1;
  std::uint64_t batch = 0;
  double loss_sum = 0;
  bool stopped_early = false;
};

// A run that has to stop: diverged (exit 2) or signalled (130/143). Carried out of the loop by value.
struct Stop {
  int status;
  std::string message;  // one line for stderr
};

std::optional<std::string> find_metric_problem(const std::string& metric, bool have_val, bool test_each_epoch,
                                               const std::vector<std::string>& known) {
  if (metric == "train_loss") return std::nullopt;
  const bool val = metric.rfind("val_", 0) == 0, test = metric.rfind("test_", 0) == 0;
  const std::string base = metric.substr(val ? 4 : test ? 5 : 0);
  if ((!val && !test) || std::find(known.begin(), known.end(), base) == known.end()) {
    return "unknown metric '" + metric + "' (train_loss, or val_ or test_ followed by one of: " + join_names(known) + ")";
  }
  if (val && !have_val) return "'" + metric + "' needs validation data (--val-split=F or --val=DIR)";
  if (test && !test_each_epoch) return "'" + metric + "' is only computed each epoch without validation data or with --test-every-epoch";
  return std::nullopt;
}

// Adds a split's metrics to an epoch's results: the printed ones in --metrics order, the rest as details.
void add_split_metrics(EpochResult& r, const SplitMetrics& m, const std::string& prefix,
                       const std::vector<std::string>& printed) {
  const auto all = m.named(prefix);
  for (const std::string& name : printed) {
    for (const auto& kv : all) {
      if (kv.first == prefix + name) r.metrics.push_back(kv);
    }
  }
  for (const auto& kv : all) {
    if (std::find(printed.begin(), printed.end(), kv.first.substr(prefix.size())) == printed.end()) r.details.push_back(kv);
  }
}

bool onnx_export_available() { return &mlc_export_onnx_size != nullptr && mlc_export_onnx_size >= 8; }

}  // namespace

int run_training(const Options& options, const ModelMeta& meta, const RunCheckpoint* resume) {
  HyperValues hypers = resolve_hypers(meta, options);
  if (options.cuda_graph && meta.target != Target::Cuda) {
    throw Error("--cuda-graph needs a trainer compiled with --target=cuda (this one runs on the CPU)");
  }
  if (options.profile && meta.profile_ops.empty()) {
    throw Error(meta.target == Target::Cuda ? "--profile times the ops of CPU trainers; this one runs on cuda"
                                            : "--profile: this trainer's step has no profiled ops (compile it again "
                                              "with this mlc)");
  }
  std::optional<StepProfiler> profiler;
  if (options.profile) profiler.emplace(meta.profile_ops);
  if (options.threads) {
    if (omp_set_num_threads) {
      omp_set_num_threads(*options.threads);
    } else {
      std::fprintf(stderr, "warning: --threads ignored: the model is not linked with OpenMP\n");
    }
  }
  const bool have_val = options.val_split.has_value() || !options.val_dir.empty();
  const bool test_each_epoch = !have_val || options.test_every_epoch;
  if (!options.checkpoint_dir.empty()) {
    ensure_directory(options.checkpoint_dir);
    // A new run into a directory of another run's checkpoints would prune its own files by step
    // (keep the newest K) and a later --resume would pick the other run's.
    const std::vector<std::string> existing = list_checkpoints(options.checkpoint_dir);
    if (!resume && !existing.empty()) {
      throw Error(options.checkpoint_dir + ": holds checkpoints of another run (newest " + existing.back() +
                  "); --resume continues it, or give an empty directory");
    }
  }
  if (!options.export_path.empty() && !onnx_export_available()) {
    throw Error("--export: this trainer was not compiled from an ONNX model (nothing to export into)");
  }

  // Opened before the (slow) data load so a bad path fails fast. A resumed run continues its own log.
  std::unique_ptr<JsonLog> log;
  if (options.log_path.empty()) {
    log = std::make_unique<JsonLog>();
  } else if (resume && resume->run.has("log_path") && resume->run.get("log_path") == options.log_path) {
    log = std::make_unique<JsonLog>(options.log_path, resume->run.get_u64("log_bytes"));
  } else {
    log = std::make_unique<JsonLog>(options.log_path);
  }
  // For target cuda this loads the driver and opens the device, failing before the data load too.
  std::unique_ptr<Memory> mem = make_memory(meta.target);

  std::printf("model: %zu params in %zu tensors, batch %zu, optimizer %s%s%s%s, loss %s\n", meta.param_count(),
              meta.params.size(), meta.batch, optimizer_name(meta.optimizer), hypers.describe.empty() ? "" : " (",
              hypers.describe.c_str(), hypers.describe.empty() ? "" : ")", loss_name(meta.loss));
  const std::string device = mem->description();
  if (!device.empty()) std::printf("device: %s\n", device.c_str());
  std::fflush(stdout);

  // Checked before the (slow) data load, like the other flags.
  std::optional<Augmenter> augmenter;
  if (!options.augment.empty()) {
    if (options.target == "input") {
      throw Error("--augment with --target=input: the target (the unaugmented sample) would differ from the input");
    }
    augmenter.emplace(parse_augment(options.augment), image_shape_of(meta), meta.batch, options.seed);
  }
  RunData data = load_run_data(options, meta);
  const Split& val = data.val;
  data.transform.class_weights = resolve_class_weights(options.class_weights, meta, data.train);
  hypers.loss.class_weights = data.transform.class_weights;
  if (!options.class_weights.empty()) {
    std::printf("class weights: %s\n", describe_class_weights(data.transform.class_weights).c_str());
  }

  // The metrics depend on the data: class labels get classification metrics, float targets regression ones.
  const std::vector<std::string> known = split_metric_names(meta, data.train.classification());
  const std::vector<std::string> printed = printed_metrics(options.metrics, known);
  const std::string plateau_metric =
      !options.plateau_metric.empty() ? options.plateau_metric : (have_val ? "val_loss" : "train_loss");
  // A metric given without the plateau schedule is still checked: a misspelt name must not pass
  // unnoticed until the schedule is switched on.
  if (options.lr_schedule == "plateau" || !options.plateau_metric.empty()) {
    if (auto problem = find_metric_problem(plateau_metric, have_val, test_each_epoch, known)) {
      throw Error("--plateau-metric: " + *problem);
    }
  }
  std::optional<EarlyStopping> early;
  DivergenceGuard divergence({options.max_loss, options.divergence_factor, options.divergence_window});
  if (!options.early_stopping.empty()) {
    if (auto problem = find_metric_problem(options.early_stopping, have_val, test_each_epoch, known)) {
      throw Error("--early-stopping: " + *problem);
    }
    early.emplace(options.early_stopping, options.patience, options.min_delta);
  }
  if (data.train.count < meta.batch) {
    throw Error("the training set has " + std::to_string(data.train.count) + " samples, fewer than one batch of " +
                std::to_string(meta.batch));
  }
  if (data.test.count == 0) throw Error("the test set is empty");

  Batcher batcher(data.train, meta.batch, options.shuffle, options.seed, options.balanced_sampler);
  if (augmenter) {
    batcher.set_augmenter(&*augmenter);
    std::printf("augment: %s\n", parse_augment(options.augment).describe().c_str());
  }
  const std::size_t steps = batcher.batches_per_epoch();
  std::printf("data: %zu train samples (%zu steps per epoch, %zu dropped), ", data.train.count, steps,
              data.train.count - steps * meta.batch);
  if (have_val) std::printf("%zu validation samples, ", val.count);
  std::printf("%zu test samples\n", data.test.count);
  std::fflush(stdout);

  LrSchedule schedule(schedule_config(options, hypers.base_lr, options.epochs * steps, steps,
                                      metric_maximized(plateau_metric)));
  StepBuffers buf(*mem, meta, hypers.values, data.transform.class_weights);

  Cursor cursor;
  std::optional<HostModelState> best;  // --keep-best: the weights of the best epoch so far
  if (resume) {
    const KeyValues& run = resume->run;
    if (run.get_u64("batch_size") != meta.batch) {
      throw Error("checkpoint " + resume->file.path + " was trained with batch " + run.get("batch_size") +
                  ", this trainer's is " + std::to_string(meta.batch));
    }
    if (run.get_u64("steps_per_epoch") != steps) {
      throw Error("checkpoint " + resume->file.path + " had " + run.get("steps_per_epoch") +
                  " steps per epoch, this run has " + std::to_string(steps) + " (the training data differs)");
    }
    upload_state(*mem, meta, buf, read_state(resume->file, meta, "", true));
    cursor.step = run.get_u64("step");
    cursor.epoch = run.get_u64("epoch");
    cursor.batch = run.get_u64("batch");
    cursor.loss_sum = run.get_double("epoch_loss_sum");
    cursor.stopped_early = run.get_bool("stopped_early");
    if (cursor.batch >= steps || cursor.epoch == 0) throw Error("checkpoint " + resume->file.path + ": bad data cursor");
    schedule.load(run);
    if (early && run.has("early_stopping.best_epoch")) early->load(run);
    if (run.get_bool("has_best")) best = read_state(resume->file, meta, "best/", false);
    std::printf("resumed from %s: step %llu (epoch %llu, batch %llu)\n", resume->file.path.c_str(),
                static_cast<unsigned long long>(cursor.step), static_cast<unsigned long long>(cursor.epoch),
                static_cast<unsigned long long>(cursor.batch));
  } else if (!options.init_from.empty()) {
    std::optional<std::string> path = resolve_resume(options.init_from);
    if (!path) throw Error("--init-from=" + options.init_from + ": no checkpoint there");
    RunCheckpoint init = open_run_checkpoint(*path, meta, CheckpointUse::Weights);
    upload_state(*mem, meta, buf, read_state(init.file, meta, "", false));
    std::printf("initialized from %s (weights only)\n", path->c_str());
  }
  std::fflush(stdout);

  // Writes the state after `cursor` into the checkpoint directory; throws Stop if the state is not finite.
  auto save_checkpoint = [&](const Cursor& at) -> std::string {
    HostModelState state = download_state(*mem, meta, buf, true);
    std::string bad = first_non_finite(meta, state);
    if (!bad.empty()) {
      throw Stop{kExitDiverged, "training diverged at step " + std::to_string(at.step) + ": " + bad +
                                    " is not finite (the last good checkpoint is kept)"};
    }
    if (options.checkpoint_dir.empty()) return "";
    KeyValues run;
    run.set_u64("step", at.step);
    run.set_u64("epoch", at.epoch);
    run.set_u64("batch", at.batch);
    run.set_double("epoch_loss_sum", at.loss_sum);
    run.set_bool("stopped_early", at.stopped_early);
    run.set_u64("batch_size", meta.batch);
    run.set_u64("steps_per_epoch", steps);
    run.set_u64("seed", options.seed);
    if (log->enabled()) {
      run.set("log_path", options.log_path);
      run.set_u64("log_bytes", log->flush());
    }
    schedule.save(run);
    if (early) early->save(run);
    run.set_bool("has_best", best.has_value());
    return write_checkpoint_atomically(options.checkpoint_dir, at.step, options.keep_checkpoints,
                                       [&](const std::string& tmp) {
                                         write_run_checkpoint(tmp, meta, state, best ? &*best : nullptr, &run,
                                                              run_flags(options.flags), data.transform);
                                       });
  };
  auto signalled = [&](int sig, const Cursor& at) {
    std::string where = save_checkpoint(at);
    return Stop{signal_exit_status(sig), std::string("stopped by ") + signal_name(sig) + " after step " +
                                             std::to_string(at.step) +
                                             (where.empty() ? " (no --checkpoint: nothing saved)" : "; checkpoint " + where)};
  };

  const float* const loss_out = buf.loss.host_as<float>();
  // Batch b uses upload slot b % slots. With one slot (host memory) a batch is filled and uploaded just
  // before its step; with two (cuda) batch b+1 is filled and its copy enqueued on the copy stream before
  // step b is called, so the copy runs while step b computes, and the compute stream waits for batch b's
  // copy (an event) before step b.
  const std::size_t slots = buf.input.size();
  // With --augment the next batch is prepared (copied, augmented) on a worker thread while the
  // current step runs; stage() then only copies it in.
  std::optional<BatchPrefetcher> prefetcher;
  if (augmenter) prefetcher.emplace(batcher, buf.input[0].bytes, buf.label[0].bytes);
  auto stage = [&](std::size_t b) {
    const int slot = static_cast<int>(b % slots);
    mem->begin_refill(slot);  // its previous copies have read the pinned buffers
    if (prefetcher) prefetcher->fill(b, buf.input[slot].host_as<void>(), buf.label[slot].host_as<void>(), b + 1, steps);
    else batcher.fill(b, buf.input[slot].host_as<void>(), buf.label[slot].host_as<void>());
    mem->upload_async(buf.input[slot], slot);
    mem->upload_async(buf.label[slot], slot);
    mem->end_refill(slot);
  };
  // --cuda-graph: per slot, the first step after the first of this process is captured into a graph,
  // which then replaces train_step for that slot (mlc_runtime.h). Hypers stay a synchronous copy before
  // each step (their address is fixed, so the graph reads the new values); evaluation is never captured.
  const bool graphs = options.cuda_graph && mem->supports_graphs();
  bool modules_loaded = false;

  Progress progress;
  // --report: redrawn from the log (which a resumed run continues) whenever the log has news.
  ReportInfo report_info;
  report_info.title = "mlc training run";
  report_info.config = {{"model", std::to_string(meta.param_count()) + " parameters in " + std::to_string(meta.params.size()) +
                                      " tensors, batch " + std::to_string(meta.batch)},
                        {"optimizer", std::string(optimizer_name(meta.optimizer)) + " (" + hypers.describe + ")"},
                        {"loss", loss_name(meta.loss)},
                        {"data", std::to_string(data.train.count) + " train, " + std::to_string(val.count) +
                                     " validation, " + std::to_string(data.test.count) + " test samples; " +
                                     std::to_string(steps) + " steps per epoch"}};
  if (!device.empty()) report_info.config.push_back({"device", device});
  for (const Flag& f : options.flags) report_info.config.push_back({"flag", f.text()});
  auto update_report = [&](const std::string& status) {
    if (options.report_path.empty()) return;
    log->flush();
    report_info.status = status;
    write_text_atomically(options.report_path, render_html_report(read_run_log(options.log_path), report_info));
  };
  update_report("running: epoch " + std::to_string(cursor.epoch) + " of " + std::to_string(options.epochs));
  std::optional<SplitMetrics> last_test;
  bool test_current = false;  // whether last_test is of the final weights
  if (resume && (cursor.stopped_early || cursor.epoch > options.epochs)) {
    std::printf("the checkpoint's run %s; nothing left to train\n",
                cursor.stopped_early ? "stopped early" : ("finished epoch " + std::to_string(cursor.epoch - 1)).c_str());
  }
  install_stop_handlers();
  try {
    for (std::uint64_t epoch = cursor.epoch; epoch <= options.epochs && !cursor.stopped_early; ++epoch) {
      progress.begin_epoch(epoch, options.epochs, steps);
      const auto start = std::chrono::steady_clock::now();
      batcher.start_epoch(epoch - 1);
      const std::size_t first = epoch == cursor.epoch ? cursor.batch : 0;
      double loss_sum = epoch == cursor.epoch ? cursor.loss_sum : 0.0;
      const std::size_t ahead = slots - 1;  // batches staged ahead of the step being run
      for (std::size_t b = first; b < first + ahead && b < steps; ++b) stage(b);
      for (std::size_t b = first; b < steps; ++b) {
        const int slot = static_cast<int>(b % slots);
        mem->wait_uploads(slot);
        if (b + ahead < steps) stage(b + ahead);
        const double lr = schedule.lr(cursor.step);
        if (hypers.lr_index >= 0) buf.hyper(static_cast<std::size_t>(hypers.lr_index)) = static_cast<float>(lr);
        double momentum = NAN;  // logged only when the schedule cycles it
        if (auto m = schedule.momentum(cursor.step); m && hypers.momentum_index >= 0) {
          momentum = *m;
          buf.hyper(static_cast<std::size_t>(hypers.momentum_index)) = static_cast<float>(momentum);
        }
        ++cursor.step;
        if (hypers.step_index >= 0) buf.hyper(static_cast<std::size_t>(hypers.step_index)) = static_cast<float>(cursor.step);
        mem->upload(buf.hypers);
        if (profiler) {
          profiler->step_begin();
          mlc_train_step(buf.train_args[slot].data());
          profiler->step_end();
        } else if (!graphs) {
          mlc_train_step(buf.train_args[slot].data());
        } else if (mem->has_graph(slot)) {
          mem->launch_graph(slot);  // the slot's captured step, after the waits wait_uploads enqueued
        } else if (!modules_loaded) {
          mlc_train_step(buf.train_args[slot].data());  // warm-up: loads the modules (never captured)
        } else {
          mem->begin_capture();
          mlc_train_step(buf.train_args[slot].data());  // recorded, not run
          mem->end_capture(slot);                       // instantiates the graph and runs it once
        }
        modules_loaded = true;
        mem->download(buf.loss);
        const float loss = *loss_out;
        if (!std::isfinite(loss)) {
          progress.clear();
          throw Stop{kExitDiverged, "training diverged at step " + std::to_string(cursor.step) + " (loss = " +
                                        number_text(loss) + ")"};
        }
        if (std::optional<std::string> why = divergence.check(loss)) {
          progress.clear();
          throw Stop{kExitDiverged, "training diverged at step " + std::to_string(cursor.step) + ": " + *why +
                                        " (the last good checkpoint is kept)"};
        }
        loss_sum += loss;
        log->step(cursor.step, epoch, loss, lr, momentum);
        progress.step(b + 1, loss);
        if (b + 1 < steps) {
          const int sig = pending_stop_signal();
          const bool periodic = options.checkpoint_every && !options.checkpoint_dir.empty() &&
                                cursor.step % options.checkpoint_every == 0;
          if (sig || periodic) {
            Cursor at{cursor.step, epoch, b + 1, loss_sum, false};
            if (sig) {
              progress.clear();
              throw signalled(sig, at);
            }
            save_checkpoint(at);
          }
        }
      }
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

      EpochResult r{epoch, options.epochs, {{"train_loss", loss_sum / static_cast<double>(steps)}}, {}, seconds};
      if (have_val) add_split_metrics(r, evaluate_split(meta, val, *mem, buf, hypers.loss), "val_", printed);
      if (test_each_epoch) {
        SplitMetrics m = evaluate_split(meta, data.test, *mem, buf, hypers.loss);
        add_split_metrics(r, m, "test_", printed);
        last_test = m;
        test_current = true;
      }
      schedule.end_epoch(r.get(plateau_metric));
      bool stop_early = false;
      if (early) {
        if (early->update(r.get(early->metric()), epoch) && options.keep_best) {
          best = download_state(*mem, meta, buf, false);
        }
        stop_early = early->should_stop();
      }
      progress.end_epoch(r);
      log->epoch(r);
      update_report(epoch < options.epochs && !stop_early
                        ? "running: epoch " + std::to_string(epoch) + " of " + std::to_string(options.epochs) + " done"
                        : "training done, evaluating the test set");
      // The early-stopping event goes into the log before the checkpoint records the log's length,
      // so a run resumed from that checkpoint keeps it.
      if (stop_early) {
        log->event("early_stopping", {{"epoch", static_cast<double>(epoch)},
                                      {"best_epoch", static_cast<double>(early->best_epoch())},
                                      {"best", early->best()}});
      }
      cursor = Cursor{cursor.step, epoch + 1, 0, 0.0, stop_early};
      if (!options.checkpoint_dir.empty()) save_checkpoint(cursor);
      if (const int sig = pending_stop_signal()) throw signalled(sig, cursor);
      if (stop_early) {
        std::printf("early stopping after epoch %llu: %s has not improved for %llu epochs (best %s at epoch %llu)\n",
                    static_cast<unsigned long long>(epoch), early->metric().c_str(),
                    static_cast<unsigned long long>(options.patience ? options.patience : 1),
                    number_text(early->best()).c_str(), static_cast<unsigned long long>(early->best_epoch()));
      }
    }
  } catch (Stop& stop) {
    remove_stop_handlers();
    progress.clear();
    std::fflush(stdout);
    std::fprintf(stderr, "%s%s\n", stop.status == kExitDiverged ? "error: " : "", stop.message.c_str());
    update_report(stop.message);
    log->close();
    return stop.status;
  }
  remove_stop_handlers();

  if (options.keep_best && best) {
    upload_state(*mem, meta, buf, *best);
    test_current = false;
    std::printf("restored the weights of epoch %llu (%s %s)\n", static_cast<unsigned long long>(early->best_epoch()),
                early->metric().c_str(), number_text(early->best()).c_str());
  }
  if (!test_current) {
    last_test = evaluate_split(meta, data.test, *mem, buf, hypers.loss);
  }
  log->event("final", last_test->named("test_"));
  if (last_test->classification) log->confusion("test", last_test->classification->confusion);
  const std::string headline = last_test->classification ? "accuracy " + number_text(last_test->accuracy())
                                                          : "r2 " + number_text(last_test->regression->r2);
  update_report("finished: test " + headline);
  if (!options.export_path.empty()) {
    HostModelState weights = download_state(*mem, meta, buf, false);
    std::vector<ExportTensor> tensors;
    for (std::size_t i = 0; i < meta.params.size(); ++i) tensors.push_back({meta.params[i].name, meta.params[i].model_dims(), weights.params[i].data()});
    for (std::size_t i = 0; i < meta.buffers.size(); ++i) tensors.push_back({meta.buffers[i].name, meta.buffers[i].dims, weights.buffers[i].data()});
    write_onnx_export(options.export_path, mlc_export_onnx, static_cast<std::size_t>(mlc_export_onnx_size), tensors);
    std::printf("ONNX inference model written to %s\n", options.export_path.c_str());
  }
  if (!options.save_weights.empty()) {
    HostModelState weights = download_state(*mem, meta, buf, false);
    const std::string tmp = options.save_weights + ".tmp";
    try {
      write_run_checkpoint(tmp, meta, weights, nullptr, nullptr, {}, data.transform);
    } catch (...) {
      std::remove(tmp.c_str());
      throw;
    }
    if (std::rename(tmp.c_str(), options.save_weights.c_str()) != 0) {
      std::remove(tmp.c_str());
      throw Error(options.save_weights + ": cannot write the weights: " + std::strerror(errno));
    }
    std::printf("weights written to %s\n", options.save_weights.c_str());
  }
  if (profiler) std::fputs(profiler->report(options.profile_ops).c_str(), stdout);
  if (last_test->classification) {
    std::printf("final test_accuracy %.4f\n", last_test->accuracy());
  } else {
    std::printf("final test_loss %.6g test_mse %.6g test_r2 %.4f\n", last_test->loss, last_test->regression->mse,
                last_test->regression->r2);
  }
  std::fflush(stdout);
  log->close();
  return kExitOk;
}

}  // namespace mlc
