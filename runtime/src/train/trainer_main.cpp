// The trainer's entry point: options, resuming (the checkpoint's flags merged in), and the chosen mode.
#include <cstdio>
#include <cstring>
#include <exception>
#include <new>
#include <optional>
#include <string>

#include "core/error.h"
#include "core/model_meta.h"
#include "mlc_runtime.h"
#include "state/checkpoint_dir.h"
#include "train/cli.h"
#include "train/inference.h"
#include "train/run_checkpoint.h"
#include "train/training_loop.h"

namespace mlc {
namespace {

std::string program_name(int argc, char** argv) {
  if (argc < 1 || argv[0] == nullptr || argv[0][0] == '\0') return "trainer";
  const char* slash = std::strrchr(argv[0], '/');
  return slash ? slash + 1 : argv[0];
}

int train(std::vector<Flag> given, Options options) {
  const ModelMeta meta = parse_model_meta(mlc_model_meta);
  if (options.mode == Mode::Evaluate || options.mode == Mode::Predict) {
    // A run's checkpoint brings its data flags (seed, --test-split, --target, ...): evaluation
    // scores the data that run held out unless told otherwise.
    if (std::optional<std::string> path = resolve_resume(options.resume_path)) {
      const RunCheckpoint ck = open_run_checkpoint(*path, meta, CheckpointUse::Weights);
      if (ck.has_run) options = apply_flags(merge_checkpoint_flags(ck.flags, given));
    }
    return options.mode == Mode::Evaluate ? run_evaluation(options, meta) : run_prediction(options, meta);
  }

  std::optional<RunCheckpoint> resume;
  if (options.resume) {
    const std::string where = options.resume_path.empty() ? options.checkpoint_dir : options.resume_path;
    if (std::optional<std::string> path = resolve_resume(where)) {
      resume = open_run_checkpoint(*path, meta, CheckpointUse::Resume);
      options = apply_flags(merge_resumed_flags(resume->flags, given));
    } else {
      std::printf("no checkpoint in %s: starting a new run\n", where.c_str());
    }
  }
  if (options.data_dir.empty() && options.train_path.empty()) {
    throw Error("--data=DIR (or --train=FILE --test=FILE) is required (see --help)");
  }
  return run_training(options, meta, resume ? &*resume : nullptr);
}

}  // namespace
}  // namespace mlc

extern "C" int mlc_trainer_main(int argc, char** argv) {
  try {
    std::vector<mlc::Flag> given = mlc::tokenize_cli(argc, argv);
    mlc::Options options = mlc::apply_flags(given);
    if (options.help) {
      std::fputs(mlc::usage(mlc::program_name(argc, argv)).c_str(), stdout);
      return 0;
    }
    return mlc::train(std::move(given), std::move(options));
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
