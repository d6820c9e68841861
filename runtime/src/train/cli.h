// Command-line options of the trainer, their parser, and how a resumed run merges them with its checkpoint's.
#ifndef MLC_RUNTIME_CLI_H
#define MLC_RUNTIME_CLI_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mlc {

enum class Mode { Train, Evaluate, Predict };

// One option as given: --name or --name=value (a valued option given as "--name value" is normalized).
struct Flag {
  std::string name;
  std::optional<std::string> value;
  std::string text() const { return "--" + name + (value ? "=" + *value : ""); }
};

struct Options {
  bool help = false;
  Mode mode = Mode::Train;
  std::string data_dir;
  std::string train_path, test_path;  // --train/--test: .csv files or .npz/.npy archives (instead of --data)
  // --features: the .npz array of samples (empty: "x") or the CSV columns (empty: all but the target).
  std::string features;
  std::string target = "y";  // the .npz array or the CSV column(s) of the targets; "input": the samples
  std::optional<double> test_split;  // --test-split=F: hold out F of --train as the test set
  // Tabular data (CSV): how missing cells and unseen categories are handled, forced categorical columns.
  std::string missing = "error";  // error, drop, mean, median or constant
  double missing_constant = 0;    // --missing=constant:V
  bool unknown_zero = false;      // --unknown=zero
  std::vector<std::string> categorical;
  bool standardize = false;  // --standardize: zero mean, unit variance from the training split
  // Class imbalance: --class-weights ("auto" or "w0,w1,..."; empty: none) and --sampler=balanced.
  std::string class_weights;
  bool balanced_sampler = false;
  std::string augment;  // --augment: the transforms (augment/augment.h), empty for none
  std::size_t epochs = 1;
  // Unset optimizer options take the defaults for the model's optimizer (see hypers.h); being unset
  // is different from being given, because a given option must match a hyper of the model.
  std::optional<double> lr, momentum, lr_decay, alpha, beta1, beta2, epsilon, weight_decay;
  std::optional<double> delta, label_smoothing;  // the loss's runtime scalars
  std::optional<double> l1, clip_norm, clip_value;  // regularization (models compiled with --l1, --clip)
  std::uint64_t seed = 0;
  bool shuffle = true;
  std::optional<std::size_t> limit_train, limit_test;
  std::optional<int> threads;
  std::string log_path;
  std::string report_path;  // --report=FILE: an HTML report drawn from the log, rewritten each epoch
  bool profile = false;     // --profile: time each op of the step (train/step_profiler.h)
  std::size_t profile_ops = 10;  // --profile=N: how many of the slowest ops the report lists
  bool cuda_graph = false;  // --cuda-graph: replay captured train steps (trainers of target cuda only)

  // Checkpoints (docs/checkpoint.md). checkpoint_every 0: at the end of each epoch.
  std::string checkpoint_dir;
  std::size_t checkpoint_every = 0;
  std::size_t keep_checkpoints = 3;
  bool resume = false;
  std::string resume_path;  // --resume=PATH; empty with `resume`: the --checkpoint directory
  std::string init_from;    // --init-from=CKPT: start from a checkpoint's weights, a fresh run otherwise
  std::string save_weights; // --save-weights=FILE: the trained weights at the end, as a checkpoint
  std::string export_path;  // --export=FILE: the trained model as an ONNX inference model

  // Learning-rate schedule (train/lr_schedule.h).
  std::string lr_schedule = "constant";
  std::size_t lr_step = 0;                 // step: period in steps (required)
  double lr_gamma = 0.1;                   // step, multistep, exponential
  std::vector<std::size_t> lr_milestones;  // multistep
  double lr_min = 0;                       // cosine, cosine-restarts: floor; plateau: min_lr
  std::size_t lr_period = 0;               // cosine: T_max, cosine-restarts: T_0 (0: the run's steps)
  std::size_t lr_t_mult = 1;               // cosine-restarts
  std::size_t warmup_steps = 0;
  double warmup_start_factor = 1.0 / 3.0;  // torch.optim.lr_scheduler.LinearLR's default
  std::size_t plateau_patience = 10;
  double plateau_factor = 0.1;
  double plateau_threshold = 1e-4;
  std::string plateau_metric;              // empty: val_loss with validation data, else train_loss

  // Validation and early stopping.
  std::optional<double> val_split;
  std::string val_dir;
  std::string early_stopping;  // the monitored metric, e.g. val_loss
  std::size_t patience = 5;
  double min_delta = 0;

  // Divergence (besides a NaN or infinite loss or parameter): see train/divergence_guard.h.
  double max_loss = 0;             // 0: no bound
  double divergence_factor = 1e4;  // 0: off
  std::size_t divergence_window = 10;
  bool keep_best = false;
  bool test_every_epoch = false;
  std::string metrics;  // comma-separated names to print; empty: the defaults

  // Evaluation and prediction.
  std::string input_path, output_path;
  bool raw_outputs = false;  // --predict writes the model's outputs instead of probabilities

  // Every option as given on the command line, in order (what a checkpoint records, see below).
  std::vector<Flag> flags;
};

// The --help text, starting with a usage line for `program`.
std::string usage(const std::string& program);

// "a,b,c" into its names; an empty name is an error naming `flag`.
std::vector<std::string> split_names(const std::string& flag, const std::string& value);

// Splits argv into flags: --name=value, --name value, --name. Unknown names, a missing or unwanted
// value: mlc::Error with one line.
std::vector<Flag> tokenize_cli(int argc, char** argv);
// Checks every value and fills Options (later flags override earlier ones). Throws mlc::Error with
// one line naming the flag on malformed values and on missing or contradictory options.
Options apply_flags(const std::vector<Flag>& flags);
Options parse_cli(int argc, char** argv);

// The flags a checkpoint stores: those that describe the run (data, schedule, optimizer values,
// seed...), not where output goes or how this process runs (log, threads, resume, ...).
std::vector<Flag> run_flags(const std::vector<Flag>& flags);

// A resumed run's flags: the checkpoint's `stored` run flags, then the command line's. Flags that
// decide the data order (seed, shuffling, limits, validation split) cannot change on resume: giving
// one with another value is an mlc::Error naming both values.
std::vector<Flag> merge_resumed_flags(const std::vector<Flag>& stored, const std::vector<Flag>& given);

// The flags of an --evaluate or --predict run with a checkpoint of a run: the checkpoint's run flags
// (its data, seed, --test-split, --target, ...), then `given`, which override them; a data source
// given (--data, --train, --test, --test-split) replaces the stored one. So `--evaluate
// --resume=CKPT` alone scores the run's own test data, and --test-split the rows training held out.
std::vector<Flag> merge_checkpoint_flags(const std::vector<Flag>& stored, const std::vector<Flag>& given);

// "--a=1\n--b\n" and back; used for the checkpoint's flags section.
std::string flags_text(const std::vector<Flag>& flags);
std::vector<Flag> parse_flags_text(const std::string& text);

}  // namespace mlc

#endif  // MLC_RUNTIME_CLI_H
