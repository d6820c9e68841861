// Option parsing with strict value checks: a typo in a number must stop the run, not train with garbage.
#include "train/cli.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "core/error.h"

namespace mlc {
namespace {

enum class Arity { None, Required, Optional };
enum : unsigned { kRun = 1, kPinned = 2 };  // kRun: stored in checkpoints; kPinned: fixed on resume

struct FlagSpec {
  const char* name;
  Arity arity;
  unsigned props;
  const char* arg;   // the value's name in the help text ("--epochs=N")
  const char* help;  // lines after the first start with '\n'
};

// One table for parsing, the help text and what a checkpoint keeps, so they cannot drift apart.
const FlagSpec kFlags[] = {
    {"data", Arity::Required, kRun, "DIR",
     "directory with train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,\n"
     "t10k-labels-idx1-ubyte (each raw or .gz)"},
    {"train", Arity::Required, kRun, "FILE",
     "training data instead of --data: a CSV file with a header (.csv), or a NumPy\n"
     ".npz archive with the --features and --target arrays"},
    {"test", Arity::Required, kRun, "FILE", "test data for --train, in the same form"},
    {"test-split", Arity::Required, kRun | kPinned, "F",
     "without --test: hold out a seeded fraction F of --train as the test set\n(stratified by class)"},
    {"features", Arity::Required, kRun | kPinned, "NAMES",
     "the .npz array of samples (default x), or the CSV columns (default: all but\nthe target)"},
    {"target", Arity::Required, kRun | kPinned, "NAMES",
     "the .npz array of targets or the CSV column(s) (default y); 'input': the\n"
     "samples themselves (autoencoders, with --data too)"},
    {"categorical", Arity::Required, kRun | kPinned, "COLS",
     "CSV columns one-hot encoded even if they hold numbers (text columns always are)"},
    {"missing", Arity::Required, kRun | kPinned, "POLICY",
     "CSV cells that are empty, NA or NaN: error (default), drop (the row), mean,\n"
     "median (of the training column) or constant:V"},
    {"unknown", Arity::Required, kRun, "POLICY",
     "a CSV category not seen in training: error (default) or zero (all-zero code)"},
    {"standardize", Arity::None, kRun | kPinned, nullptr,
     "scale every numeric input to zero mean and unit variance (training-split\n"
     "statistics, kept in checkpoints and used for evaluation and prediction)"},
    {"class-weights", Arity::Required, kRun, "auto|W,...",
     "weigh the loss per class (models compiled with --class-weights): auto =\n"
     "n / (classes * n_c) from the training labels, or one weight per class"},
    {"sampler", Arity::Required, kRun | kPinned, "NAME",
     "shuffle (default) or balanced: each epoch draws as many samples as the\n"
     "training set, every class equally likely (seeded, with replacement)"},
    {"augment", Arity::Required, kRun | kPinned, "LIST",
     "augment training images (Halide, seeded per sample): crop:P, flip, vflip,\n"
     "rotate:D, translate:F, shear:D, zoom:F, brightness:F, contrast:F, cutout:S"},
    {"epochs", Arity::Required, kRun, "N", "passes over the training set (default 1)"},
    {"lr", Arity::Required, kRun, "X", "base learning rate (default 0.001 for adam and adamw, else 0.01)"},
    {"momentum", Arity::Required, kRun, "X", "momentum and nesterov: momentum factor (default 0.9)"},
    {"lr-decay", Arity::Required, kRun, "X", "adagrad: learning-rate decay per step (default 0)"},
    {"alpha", Arity::Required, kRun, "X", "rmsprop: smoothing constant (default 0.99)"},
    {"beta1", Arity::Required, kRun, "X", "adam, adamw: beta1 (default 0.9)"},
    {"beta2", Arity::Required, kRun, "X", "adam, adamw: beta2 (default 0.999)"},
    {"epsilon", Arity::Required, kRun, "X",
     "adagrad, rmsprop, adam, adamw: epsilon (default 1e-10 for adagrad, else 1e-8)"},
    {"weight-decay", Arity::Required, kRun, "X",
     "weight decay (default 0.01 for adamw, else 0; only for adamw and models\ncompiled with --weight-decay) on "
     "the weights, not biases or normalization\nparameters (models compiled with --decay-all: on every parameter)"},
    {"delta", Arity::Required, kRun, "X", "huber: delta; smooth_l1: beta (default 1)"},
    {"l1", Arity::Required, kRun, "X", "L1 penalty X * sum |w| on the weights (models compiled with --l1)"},
    {"clip-norm", Arity::Required, kRun, "C",
     "scale the gradients to a global L2 norm of at most C (models compiled with\n--clip; 0: off)"},
    {"clip-value", Arity::Required, kRun, "C", "clamp every gradient value to [-C, C] (--clip models; 0: off)"},
    {"label-smoothing", Arity::Required, kRun, "E",
     "cross_entropy compiled with --label-smoothing: the smoothing in [0, 1] (default 0)"},
    {"seed", Arity::Required, kRun | kPinned, "S", "seed of the shuffling, the validation split and dropout (default 0)"},
    {"no-shuffle", Arity::None, kRun | kPinned, nullptr, "train in file order"},
    {"limit-train", Arity::Required, kRun | kPinned, "N", "use only the first N training images"},
    {"limit-test", Arity::Required, kRun, "N", "use only the first N test images"},
    {"lr-schedule", Arity::Required, kRun, "NAME",
     "constant (default), step, multistep, exponential, cosine, cosine-restarts,\n"
     "onecycle or plateau: torch.optim.lr_scheduler's, stepped once per training step"},
    {"lr-step", Arity::Required, kRun, "N", "step: decay every N steps"},
    {"lr-gamma", Arity::Required, kRun, "G", "step, multistep, exponential: decay factor (default 0.1)"},
    {"lr-milestones", Arity::Required, kRun, "A,B,...", "multistep: the steps at which the rate decays"},
    {"lr-min", Arity::Required, kRun, "X", "cosine, cosine-restarts: the floor; plateau: the minimum (default 0)"},
    {"lr-period", Arity::Required, kRun, "N",
     "cosine: steps to the floor (default: the run's steps after warm-up);\ncosine-restarts: the first period"},
    {"lr-t-mult", Arity::Required, kRun, "N", "cosine-restarts: period growth factor (default 1)"},
    {"warmup-steps", Arity::Required, kRun, "N", "linear warm-up over the first N steps, then the schedule"},
    {"warmup-start-factor", Arity::Required, kRun, "F", "the warm-up's first factor of the rate (default 1/3)"},
    {"plateau-patience", Arity::Required, kRun, "N", "plateau: epochs without improvement before decaying (10)"},
    {"plateau-factor", Arity::Required, kRun, "F", "plateau: decay factor (default 0.1)"},
    {"plateau-threshold", Arity::Required, kRun, "X", "plateau: relative improvement that counts (default 1e-4)"},
    {"plateau-metric", Arity::Required, kRun, "NAME", "plateau: metric watched (default val_loss, or train_loss)"},
    {"val-split", Arity::Required, kRun | kPinned, "F",
     "hold out a seeded fraction F of the training set for validation each epoch"},
    {"val", Arity::Required, kRun | kPinned, "DIR", "validation data: the t10k-* files of DIR"},
    {"early-stopping", Arity::Required, kRun, "METRIC",
     "stop when METRIC (val_loss, val_accuracy, ...) stops improving"},
    {"patience", Arity::Required, kRun, "N", "early stopping: epochs without improvement (default 5)"},
    {"min-delta", Arity::Required, kRun, "D", "early stopping: smallest change that counts (default 0)"},
    {"max-loss", Arity::Required, kRun, "X", "stop (exit 2) when a step's loss exceeds X (default: no bound)"},
    {"divergence-factor", Arity::Required, kRun, "F",
     "stop (exit 2) when a step's loss exceeds F times the largest loss of the run's\nfirst --divergence-window steps (default 1e4; 0: off)"},
    {"divergence-window", Arity::Required, kRun, "N", "the steps that set --divergence-factor's baseline (default 10)"},
    {"keep-best", Arity::None, kRun, nullptr, "end with the weights of the best epoch of the monitored metric"},
    {"test-every-epoch", Arity::None, kRun, nullptr, "with validation data, evaluate the test set every epoch too"},
    {"metrics", Arity::Required, kRun, "LIST", "metrics printed per epoch (all go to the log); see docs"},
    {"checkpoint", Arity::Required, 0, "DIR",
     "write checkpoints to DIR (atomically; at the end of each epoch unless\n--checkpoint-every)"},
    {"checkpoint-every", Arity::Required, kRun, "N", "write a checkpoint every N steps (and at the end)"},
    {"keep-checkpoints", Arity::Required, kRun, "K", "keep the newest K checkpoints (default 3)"},
    {"resume", Arity::Optional, 0, "PATH",
     "continue from a checkpoint file or the newest in a directory (default: the\n"
     "--checkpoint directory); an empty or missing directory starts a new run"},
    {"init-from", Arity::Required, 0, "CKPT", "start a new run from a checkpoint's weights (fine-tuning)"},
    {"save-weights", Arity::Required, 0, "FILE", "write the trained weights as a checkpoint at the end"},
    {"export", Arity::Required, 0, "FILE",
     "write the trained model as an ONNX inference model (its graph with the trained\n"
     "weights; batch norm on running statistics, dropout removed)"},
    {"evaluate", Arity::None, 0, nullptr, "with --resume=CKPT: print the test metrics of a checkpoint"},
    {"predict", Arity::None, 0, nullptr, "with --resume=CKPT --input=FILE --output=FILE: write predictions"},
    {"input", Arity::Required, 0, "FILE", "--predict: the samples (IDX images, .npz/.npy or .csv)"},
    {"output", Arity::Required, 0, "FILE",
     "--predict: CSV with index, class and the class probabilities (or the\noutputs of a regression model)"},
    {"raw-outputs", Arity::None, 0, nullptr, "--predict: write the model's outputs (logits) instead of probabilities"},
    {"threads", Arity::Required, 0, "N", "OpenMP threads for the model's kernels"},
    {"log", Arity::Required, 0, "FILE", "write JSON lines: one per step and one per epoch"},
    {"profile", Arity::Optional, 0, "N",
     "time every op of the training step (CPU trainers) and print, after training,\n"
     "the time per step and GFLOP/s of each op group and of the N slowest ops\n"
     "(default 10)"},
    {"report", Arity::Required, 0, "FILE",
     "write a self-contained HTML report (curves, metrics, confusion matrix,\n"
     "configuration), updated after every epoch; needs --log"},
    {"cuda-graph", Arity::None, 0, nullptr,
     "capture the train step as CUDA graphs and replay them (less launch\n"
     "overhead; only for trainers compiled with --target=cuda)"},
    {"help", Arity::None, 0, nullptr, "print this help"},
};

const FlagSpec* find_flag(const std::string& name) {
  for (const FlagSpec& f : kFlags) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

[[noreturn]] void bad_value(const std::string& name, const std::string& value, const char* expected) {
  throw Error("--" + name + "=" + value + ": expected " + expected);
}

std::uint64_t parse_unsigned(const std::string& name, const std::string& value, std::uint64_t min,
                             std::uint64_t max, const char* expected) {
  // strtoull would accept "-1" (wrapping it) and leading spaces; only plain digits are a count.
  if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos) bad_value(name, value, expected);
  errno = 0;
  unsigned long long v = std::strtoull(value.c_str(), nullptr, 10);
  if (errno == ERANGE || v < min || v > max) bad_value(name, value, expected);
  return v;
}

double parse_double(const std::string& name, const std::string& value, double min, bool min_inclusive, double max,
                    bool max_inclusive, const char* expected) {
  char* end = nullptr;
  errno = 0;
  double v = value.empty() || std::isspace(static_cast<unsigned char>(value[0])) ? NAN : std::strtod(value.c_str(), &end);
  if (value.empty() || end != value.c_str() + value.size() || errno == ERANGE || !std::isfinite(static_cast<float>(v)) ||
      (min_inclusive ? v < min : v <= min) || (max_inclusive ? v > max : v >= max)) {
    bad_value(name, value, expected);
  }
  return v;  // the model takes float hypers; the isfinite check above keeps the value in float range
}

std::vector<std::size_t> parse_milestones(const std::string& name, const std::string& value) {
  const char* expected = "increasing positive step counts separated by commas";
  std::vector<std::size_t> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = value.find(',', start);
    const std::string item = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty()) bad_value(name, value, expected);
    out.push_back(parse_unsigned(name, item, 1, std::numeric_limits<std::uint32_t>::max(), expected));
    if (out.size() > 1 && out.back() <= out[out.size() - 2]) bad_value(name, value, expected);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

bool known_schedule(const std::string& s) {
  for (const char* k : {"constant", "step", "multistep", "exponential", "cosine", "cosine-restarts", "onecycle", "plateau"}) {
    if (s == k) return true;
  }
  return false;
}

}  // namespace

std::string usage(const std::string& program) {
  std::string out = "usage: " + program + " --data=DIR [options]\n" +
                    "       " + program + " --evaluate --resume=CKPT --data=DIR\n" +
                    "       " + program + " --predict --resume=CKPT --input=FILE --output=FILE\n"
                    "Trains the compiled model on an MNIST-layout IDX directory and evaluates it after every epoch.\n\n";
  for (const FlagSpec& f : kFlags) {
    std::string head = std::string("  --") + f.name;
    if (f.arity == Arity::Required) head += std::string("=") + f.arg;
    if (f.arity == Arity::Optional) head += std::string("[=") + f.arg + "]";
    if (head.size() < 24) head.resize(24, ' ');
    else head += "\n" + std::string(24, ' ');
    out += head;
    for (const char* p = f.help; *p; ++p) {
      out += *p;
      if (*p == '\n') out += std::string(24, ' ');
    }
    out += "\n";
  }
  out += "\nExit status: 0 on success, 1 on bad usage, data or checkpoint, 2 if training diverges (NaN/Inf\n"
         "loss or parameters), 130 or 143 after SIGINT or SIGTERM (the step finished, a checkpoint written).\n";
  return out;
}

std::vector<Flag> tokenize_cli(int argc, char** argv) {
  std::vector<Flag> flags;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h") arg = "--help";
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) throw Error("unexpected argument '" + arg + "' (see --help)");
    Flag flag{arg.substr(2), std::nullopt};
    if (std::size_t eq = flag.name.find('='); eq != std::string::npos) {
      flag.value = flag.name.substr(eq + 1);
      flag.name.resize(eq);
    }
    const FlagSpec* spec = find_flag(flag.name);
    if (!spec) throw Error("unknown option '--" + flag.name + "' (see --help)");
    if (spec->arity == Arity::None && flag.value) throw Error("--" + flag.name + " takes no value");
    if (spec->arity == Arity::Required && !flag.value) {
      if (i + 1 >= argc) throw Error("--" + flag.name + " needs a value");
      flag.value = argv[++i];
    }
    flags.push_back(std::move(flag));
  }
  return flags;
}

Options apply_flags(const std::vector<Flag>& flags) {
  Options o;
  o.flags = flags;
  const double inf = std::numeric_limits<double>::infinity();
  const std::uint64_t kMaxCount = std::numeric_limits<std::size_t>::max();
  bool evaluate = false, predict = false;
  for (const Flag& flag : flags) {
    const std::string& name = flag.name;
    const std::string value = flag.value.value_or("");
    auto nonempty = [&](const char* what) {
      if (value.empty()) throw Error("--" + name + " needs " + what);
      return value;
    };
    auto count = [&](std::uint64_t min) {
      return static_cast<std::size_t>(parse_unsigned(name, value, min, kMaxCount,
                                                     min ? "a positive integer" : "a non-negative integer"));
    };
    if (name == "help") o.help = true;
    else if (name == "cuda-graph") o.cuda_graph = true;
    else if (name == "profile") {
      o.profile = true;
      if (flag.value) o.profile_ops = count(1);
    }
    else if (name == "no-shuffle") o.shuffle = false;
    else if (name == "keep-best") o.keep_best = true;
    else if (name == "test-every-epoch") o.test_every_epoch = true;
    else if (name == "raw-outputs") o.raw_outputs = true;
    else if (name == "evaluate") evaluate = true;
    else if (name == "predict") predict = true;
    else if (name == "resume") {
      o.resume = true;
      if (flag.value) o.resume_path = nonempty("a checkpoint file or directory");
    }
    else if (name == "data") o.data_dir = nonempty("a directory");
    else if (name == "train") o.train_path = nonempty("a file");
    else if (name == "test") o.test_path = nonempty("a file");
    else if (name == "features") o.features = nonempty("an array or column names");
    else if (name == "target") o.target = nonempty("an array or column names, or 'input'");
    else if (name == "categorical") o.categorical = split_names(name, value);
    else if (name == "standardize") o.standardize = true;
    else if (name == "augment") o.augment = nonempty("a list of transforms");
    else if (name == "class-weights") {
      if (value != "auto") {
        for (const std::string& w : split_names(name, value)) {
          char* end = nullptr;
          const double v = std::strtod(w.c_str(), &end);
          if (end != w.c_str() + w.size() || !(static_cast<float>(v) > 0) || !std::isfinite(static_cast<float>(v))) {
            bad_value(name, value, "auto or positive numbers W,...");
          }
        }
      }
      o.class_weights = value;
    }
    else if (name == "sampler") {
      if (value != "shuffle" && value != "balanced") bad_value(name, value, "shuffle or balanced");
      o.balanced_sampler = value == "balanced";
    }
    else if (name == "test-split") o.test_split = parse_double(name, value, 0, false, 1, false, "a fraction in (0, 1)");
    else if (name == "unknown") {
      if (value != "error" && value != "zero") bad_value(name, value, "error or zero");
      o.unknown_zero = value == "zero";
    }
    else if (name == "missing") {
      const bool constant = value.rfind("constant:", 0) == 0;
      if (constant) {
        o.missing_constant = parse_double(name, value.substr(9), -inf, false, inf, false, "constant:V with V a number");
        o.missing = "constant";
      } else if (value == "error" || value == "drop" || value == "mean" || value == "median") {
        o.missing = value;
      } else {
        bad_value(name, value, "error, drop, mean, median or constant:V");
      }
    }
    else if (name == "log") o.log_path = nonempty("a file name");
    else if (name == "report") o.report_path = nonempty("a file name");
    else if (name == "checkpoint") o.checkpoint_dir = nonempty("a directory");
    else if (name == "init-from") o.init_from = nonempty("a checkpoint file or directory");
    else if (name == "save-weights") o.save_weights = nonempty("a file name");
    else if (name == "export") o.export_path = nonempty("a file name");
    else if (name == "input") o.input_path = nonempty("a file name");
    else if (name == "output") o.output_path = nonempty("a file name");
    else if (name == "val") o.val_dir = nonempty("a directory");
    else if (name == "metrics") o.metrics = nonempty("a list of metric names");
    else if (name == "early-stopping") o.early_stopping = nonempty("a metric name");
    else if (name == "plateau-metric") o.plateau_metric = nonempty("a metric name");
    else if (name == "epochs") o.epochs = parse_unsigned(name, value, 1, 1000000, "a positive integer");
    else if (name == "seed") o.seed = parse_unsigned(name, value, 0, std::numeric_limits<std::uint64_t>::max(), "a non-negative integer");
    else if (name == "limit-train") o.limit_train = count(1);
    else if (name == "limit-test") o.limit_test = count(1);
    else if (name == "threads") o.threads = static_cast<int>(parse_unsigned(name, value, 1, 4096, "a positive integer"));
    else if (name == "checkpoint-every") o.checkpoint_every = count(1);
    else if (name == "keep-checkpoints") o.keep_checkpoints = count(1);
    else if (name == "lr") o.lr = parse_double(name, value, 0, false, inf, false, "a positive number");
    else if (name == "momentum") o.momentum = parse_double(name, value, 0, true, 1, false, "a number in [0, 1)");
    else if (name == "lr-decay") o.lr_decay = parse_double(name, value, 0, true, inf, false, "a non-negative number");
    else if (name == "alpha") o.alpha = parse_double(name, value, 0, true, 1, false, "a number in [0, 1)");
    else if (name == "beta1") o.beta1 = parse_double(name, value, 0, true, 1, false, "a number in [0, 1)");
    else if (name == "beta2") o.beta2 = parse_double(name, value, 0, true, 1, false, "a number in [0, 1)");
    else if (name == "epsilon") o.epsilon = parse_double(name, value, 0, true, inf, false, "a non-negative number");
    else if (name == "delta") o.delta = parse_double(name, value, 0, false, inf, false, "a positive number");
    else if (name == "label-smoothing") o.label_smoothing = parse_double(name, value, 0, true, 1, true, "a number in [0, 1]");
    else if (name == "l1") o.l1 = parse_double(name, value, 0, true, inf, false, "a non-negative number");
    else if (name == "clip-norm") o.clip_norm = parse_double(name, value, 0, true, inf, false, "a non-negative number");
    else if (name == "clip-value") o.clip_value = parse_double(name, value, 0, true, inf, false, "a non-negative number");
    else if (name == "weight-decay") o.weight_decay = parse_double(name, value, 0, true, inf, false, "a non-negative number");
    else if (name == "lr-schedule") {
      if (!known_schedule(value)) {
        bad_value(name, value, "constant, step, multistep, exponential, cosine, cosine-restarts, onecycle or plateau");
      }
      o.lr_schedule = value;
    }
    else if (name == "lr-step") o.lr_step = count(1);
    else if (name == "lr-gamma") o.lr_gamma = parse_double(name, value, 0, false, inf, false, "a positive number");
    else if (name == "lr-milestones") o.lr_milestones = parse_milestones(name, value);
    else if (name == "lr-min") o.lr_min = parse_double(name, value, 0, true, inf, false, "a non-negative number");
    else if (name == "lr-period") o.lr_period = count(1);
    else if (name == "lr-t-mult") o.lr_t_mult = count(1);
    else if (name == "warmup-steps") o.warmup_steps = count(0);
    else if (name == "warmup-start-factor") o.warmup_start_factor = parse_double(name, value, 0, false, 1, true, "a number in (0, 1]");
    else if (name == "plateau-patience") o.plateau_patience = count(0);
    else if (name == "plateau-factor") o.plateau_factor = parse_double(name, value, 0, false, 1, false, "a number in (0, 1)");
    else if (name == "plateau-threshold") o.plateau_threshold = parse_double(name, value, 0, true, inf, false, "a non-negative number");
    else if (name == "val-split") o.val_split = parse_double(name, value, 0, false, 1, false, "a fraction in (0, 1)");
    else if (name == "patience") o.patience = count(0);
    else if (name == "min-delta") o.min_delta = parse_double(name, value, 0, true, inf, false, "a non-negative number");
    else if (name == "max-loss") o.max_loss = parse_double(name, value, 0, false, inf, false, "a positive number");
    else if (name == "divergence-factor") {
      o.divergence_factor = parse_double(name, value, 0, true, inf, false, "a non-negative number");
      if (o.divergence_factor > 0 && o.divergence_factor <= 1) bad_value(name, value, "0 (off) or a factor above 1");
    }
    else if (name == "divergence-window") o.divergence_window = count(1);
  }
  if (o.help) return o;
  if (evaluate && predict) throw Error("--evaluate and --predict cannot be combined");
  if (evaluate) o.mode = Mode::Evaluate;
  if (predict) o.mode = Mode::Predict;
  if (o.mode != Mode::Train && (!o.resume || o.resume_path.empty())) {
    throw Error(std::string(evaluate ? "--evaluate" : "--predict") + " needs --resume=CKPT (the weights to use)");
  }
  if (o.mode == Mode::Predict && (o.input_path.empty() || o.output_path.empty())) {
    throw Error("--predict needs --input=FILE and --output=FILE");
  }
  if (o.mode != Mode::Predict && !o.input_path.empty()) throw Error("--input is only for --predict");
  if (o.mode != Mode::Predict && !o.output_path.empty()) throw Error("--output is only for --predict");
  if (o.mode != Mode::Predict && o.raw_outputs) throw Error("--raw-outputs is only for --predict");
  if (o.mode != Mode::Train && !o.export_path.empty()) throw Error("--export is for training runs (give --resume to export a checkpoint's run)");
  if (!o.data_dir.empty() && (!o.train_path.empty() || !o.test_path.empty())) {
    throw Error("--data and --train/--test cannot be combined");
  }
  if (o.test_split && !o.test_path.empty()) throw Error("--test-split and --test cannot be combined");
  if (o.test_split && o.train_path.empty()) throw Error("--test-split needs --train=FILE (the file to split)");
  if (!o.train_path.empty() && o.test_path.empty() && !o.test_split && o.mode == Mode::Train) {
    throw Error("--train needs --test=FILE or --test-split=F");
  }
  if (o.mode == Mode::Train && !o.test_path.empty() && o.train_path.empty() && !o.resume) throw Error("--test needs --train=FILE");
  if (o.mode != Mode::Predict && o.data_dir.empty() && o.test_path.empty() && !o.test_split && !o.resume) {
    throw Error("--data=DIR (or --train=FILE --test=FILE) is required (see --help)");
  }
  if (o.resume && o.resume_path.empty() && o.checkpoint_dir.empty()) {
    throw Error("--resume without a path needs --checkpoint=DIR (or give --resume=PATH)");
  }
  if (!o.report_path.empty() && o.log_path.empty()) throw Error("--report needs --log=FILE (the report is drawn from it)");
  if (!o.report_path.empty() && o.mode != Mode::Train) throw Error("--report is for training runs");
  if (o.resume && !o.init_from.empty()) throw Error("--resume and --init-from cannot be combined");
  if (o.val_split && !o.val_dir.empty()) throw Error("--val-split and --val cannot be combined");
  if (o.balanced_sampler && !o.shuffle) throw Error("--sampler=balanced and --no-shuffle cannot be combined");
  if (o.keep_best && o.early_stopping.empty()) throw Error("--keep-best needs --early-stopping=METRIC");
  if (o.lr_schedule == "step" && o.lr_step == 0) throw Error("--lr-schedule=step needs --lr-step=N");
  if (o.lr_schedule == "multistep" && o.lr_milestones.empty()) {
    throw Error("--lr-schedule=multistep needs --lr-milestones=A,B,...");
  }
  return o;
}

std::vector<std::string> split_names(const std::string& flag, const std::string& value) {
  std::vector<std::string> names;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = value.find(',', start);
    names.push_back(value.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (names.back().empty()) throw Error("--" + flag + "=" + value + ": empty name in the list");
    if (comma == std::string::npos) return names;
    start = comma + 1;
  }
}

Options parse_cli(int argc, char** argv) { return apply_flags(tokenize_cli(argc, argv)); }

std::vector<Flag> run_flags(const std::vector<Flag>& flags) {
  std::vector<Flag> out;
  for (const Flag& f : flags) {
    const FlagSpec* spec = find_flag(f.name);
    if (spec && (spec->props & kRun)) out.push_back(f);
  }
  return out;
}

std::vector<Flag> merge_resumed_flags(const std::vector<Flag>& stored, const std::vector<Flag>& given) {
  // The effective value of a flag in a list: the last one given (or nullopt if absent; "" if valueless).
  auto last = [](const std::vector<Flag>& list, const std::string& name) -> std::optional<std::string> {
    std::optional<std::string> v;
    for (const Flag& f : list) {
      if (f.name == name) v = f.value.value_or("");
    }
    return v;
  };
  for (const Flag& f : given) {
    const FlagSpec* spec = find_flag(f.name);
    if (!spec || !(spec->props & kPinned)) continue;
    std::optional<std::string> before = last(stored, f.name);
    std::optional<std::string> now = last(given, f.name);
    if (before != now) {
      throw Error("--" + f.name + (now && !now->empty() ? "=" + *now : "") + " differs from the checkpoint's run (" +
                  (before ? "--" + f.name + (before->empty() ? "" : "=" + *before) : "not given") +
                  "); it decides the data order and cannot change on resume");
    }
  }
  std::vector<Flag> merged = stored;
  merged.insert(merged.end(), given.begin(), given.end());
  return merged;
}

std::vector<Flag> merge_checkpoint_flags(const std::vector<Flag>& stored, const std::vector<Flag>& given) {
  auto is_source = [](const Flag& f) { return f.name == "data" || f.name == "train" || f.name == "test" || f.name == "test-split"; };
  const bool new_source = std::any_of(given.begin(), given.end(), is_source);
  std::vector<Flag> merged;
  for (const Flag& f : stored) {
    if (!(new_source && is_source(f))) merged.push_back(f);
  }
  merged.insert(merged.end(), given.begin(), given.end());
  return merged;
}

std::string flags_text(const std::vector<Flag>& flags) {
  std::string out;
  for (const Flag& f : flags) out += f.text() + "\n";
  return out;
}

std::vector<Flag> parse_flags_text(const std::string& text) {
  std::vector<std::string> args = {"trainer"};
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    if (nl > start) args.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  // Stored flags always carry their value after '=', so tokenizing cannot consume a neighbour.
  return tokenize_cli(static_cast<int>(argv.size()), argv.data());
}

}  // namespace mlc
