// Command-line options of the trainer and their parser.
#ifndef MLC_RUNTIME_CLI_H
#define MLC_RUNTIME_CLI_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace mlc {

struct Options {
  bool help = false;
  std::string data_dir;
  std::size_t epochs = 1;
  // Unset optimizer options take the defaults for the model's optimizer (see hypers.h); being unset
  // is different from being given, because a given option must match a hyper of the model.
  std::optional<double> lr, momentum, lr_decay, alpha, beta1, beta2, epsilon, weight_decay;
  std::uint64_t seed = 0;
  bool shuffle = true;
  std::optional<std::size_t> limit_train, limit_test;
  std::optional<int> threads;
  std::string log_path;
  bool cuda_graph = false;  // --cuda-graph: replay captured train steps (trainers of target cuda only)
};

// The --help text, starting with a usage line for `program`.
std::string usage(const std::string& program);

// Accepts --name=value and --name value. Throws mlc::Error with a one-line message on unknown options,
// missing or malformed values, and a missing --data (unless --help is given).
Options parse_cli(int argc, char** argv);

}  // namespace mlc

#endif  // MLC_RUNTIME_CLI_H
