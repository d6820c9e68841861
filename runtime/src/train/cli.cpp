// Option parsing with strict value checks: a typo in a number must stop the run, not train with garbage.
#include "train/cli.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "core/error.h"

namespace mlc {
namespace {

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

}  // namespace

std::string usage(const std::string& program) {
  return "usage: " + program + " --data=DIR [options]\n"
         "Trains the compiled model on an MNIST-layout IDX directory and evaluates it after every epoch.\n"
         "\n"
         "  --data=DIR           directory with train-images-idx3-ubyte, train-labels-idx1-ubyte,\n"
         "                       t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte (each raw or .gz)\n"
         "  --epochs=N           passes over the training set (default 1)\n"
         "  --lr=X               learning rate (default 0.001 for adam and adamw, else 0.01)\n"
         "  --momentum=X         momentum and nesterov: momentum factor (default 0.9)\n"
         "  --lr-decay=X         adagrad: learning-rate decay per step (default 0)\n"
         "  --alpha=X            rmsprop: smoothing constant (default 0.99)\n"
         "  --beta1=X            adam, adamw: beta1 (default 0.9)\n"
         "  --beta2=X            adam, adamw: beta2 (default 0.999)\n"
         "  --epsilon=X          adagrad, rmsprop, adam, adamw: epsilon (default 1e-10 for adagrad,\n"
         "                       else 1e-8)\n"
         "  --weight-decay=X     weight decay (default 0.01 for adamw, else 0; only for adamw and\n"
         "                       models compiled with --weight-decay)\n"
         "  --seed=S             seed of the shuffling and of dropout masks (default 0)\n"
         "  --no-shuffle         train in file order\n"
         "  --limit-train=N      use only the first N training images\n"
         "  --limit-test=N       use only the first N test images\n"
         "  --threads=N          OpenMP threads for the model's kernels\n"
         "  --log=FILE           write JSON lines: one per step and one per epoch\n"
         "  --cuda-graph         capture the train step as CUDA graphs and replay them (less launch\n"
         "                       overhead; only for trainers compiled with --target=cuda)\n"
         "  --help               print this help\n"
         "\n"
         "Exit status: 0 on success, 1 on bad usage or data, 2 if training diverges (NaN/Inf loss).\n";
}

Options parse_cli(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-h") arg = "--help";
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) throw Error("unexpected argument '" + arg + "' (see --help)");
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (std::size_t eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name.resize(eq);
    }

    if (name == "help" || name == "no-shuffle" || name == "cuda-graph") {
      if (inline_value) throw Error("--" + name + " takes no value");
      if (name == "help") o.help = true;
      else if (name == "cuda-graph") o.cuda_graph = true;
      else o.shuffle = false;
      continue;
    }
    static const char* const kValued[] = {"data",     "epochs",   "lr",           "momentum", "lr-decay",
                                          "alpha",    "beta1",    "beta2",        "epsilon",  "weight-decay",
                                          "seed",     "limit-train", "limit-test", "threads",  "log"};
    bool known = false;
    for (const char* k : kValued) known = known || name == k;
    if (!known) throw Error("unknown option '--" + name + "' (see --help)");
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else {
      if (i + 1 >= argc) throw Error("--" + name + " needs a value");
      value = argv[++i];
    }

    const double inf = std::numeric_limits<double>::infinity();
    const std::uint64_t kMaxCount = std::numeric_limits<std::size_t>::max();
    if (name == "data") {
      if (value.empty()) throw Error("--data needs a directory");
      o.data_dir = value;
    } else if (name == "log") {
      if (value.empty()) throw Error("--log needs a file name");
      o.log_path = value;
    } else if (name == "epochs") {
      o.epochs = parse_unsigned(name, value, 1, 1000000, "a positive integer");
    } else if (name == "seed") {
      o.seed = parse_unsigned(name, value, 0, std::numeric_limits<std::uint64_t>::max(), "a non-negative integer");
    } else if (name == "limit-train") {
      o.limit_train = parse_unsigned(name, value, 1, kMaxCount, "a positive integer");
    } else if (name == "limit-test") {
      o.limit_test = parse_unsigned(name, value, 1, kMaxCount, "a positive integer");
    } else if (name == "threads") {
      o.threads = static_cast<int>(parse_unsigned(name, value, 1, 4096, "a positive integer"));
    } else if (name == "lr") {
      o.lr = parse_double(name, value, 0, false, inf, false, "a positive number");
    } else if (name == "momentum") {
      o.momentum = parse_double(name, value, 0, true, 1, false, "a number in [0, 1)");
    } else if (name == "lr-decay") {
      o.lr_decay = parse_double(name, value, 0, true, inf, false, "a non-negative number");
    } else if (name == "alpha") {
      o.alpha = parse_double(name, value, 0, true, 1, false, "a number in [0, 1)");
    } else if (name == "beta1") {
      o.beta1 = parse_double(name, value, 0, true, 1, false, "a number in [0, 1)");
    } else if (name == "beta2") {
      o.beta2 = parse_double(name, value, 0, true, 1, false, "a number in [0, 1)");
    } else if (name == "epsilon") {
      o.epsilon = parse_double(name, value, 0, true, inf, false, "a non-negative number");
    } else if (name == "weight-decay") {
      o.weight_decay = parse_double(name, value, 0, true, inf, false, "a non-negative number");
    }
  }
  if (!o.help && o.data_dir.empty()) throw Error("--data=DIR is required (see --help)");
  return o;
}

}  // namespace mlc
