// The divergence guard: an absolute loss bound and a growth factor over the run's first steps.
#include "train/divergence_guard.h"

#include <algorithm>
#include <cstdio>

namespace mlc {
namespace {

std::string text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

std::optional<std::string> DivergenceGuard::check(double loss) {
  if (limits_.max_loss > 0 && loss > limits_.max_loss) {
    return "loss " + text(loss) + " is above --max-loss=" + text(limits_.max_loss);
  }
  // Against the largest loss so far, frozen after the first `window` steps: an explosion within
  // the first steps is caught as well as a late one.
  if (seen_ > 0 && limits_.factor > 0 && baseline_ > 0 && loss > limits_.factor * baseline_) {
    const std::size_t steps = std::min(seen_, limits_.window);
    return "loss " + text(loss) + " is more than " + text(limits_.factor) + " times the largest of the first " +
           (steps == 1 ? std::string("step") : std::to_string(steps) + " steps") + " (" + text(baseline_) +
           "; --divergence-factor)";
  }
  if (seen_ < limits_.window) {
    baseline_ = std::max(baseline_, loss);
    ++seen_;
  }
  return std::nullopt;
}

}  // namespace mlc
