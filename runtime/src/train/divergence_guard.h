// Stops a run whose loss explodes without becoming NaN: above an absolute bound, or grown by a factor.
#ifndef MLC_RUNTIME_TRAIN_DIVERGENCE_GUARD_H
#define MLC_RUNTIME_TRAIN_DIVERGENCE_GUARD_H

#include <cstddef>
#include <optional>
#include <string>

namespace mlc {

struct DivergenceLimits {
  double max_loss = 0;     // a loss above it diverges (0: no bound)
  double factor = 1e4;     // a loss above factor x the baseline diverges (0: off)
  std::size_t window = 10; // the baseline: the largest loss so far, frozen after `window` steps
};

// Fed every step's (finite) loss; says why the run diverged, if it did. A well-behaved run starts at
// its largest losses, so a loss 10^4 times the first steps' largest is a run gone wrong at any scale.
class DivergenceGuard {
 public:
  explicit DivergenceGuard(DivergenceLimits limits) : limits_(limits) {}
  std::optional<std::string> check(double loss);

 private:
  DivergenceLimits limits_;
  std::size_t seen_ = 0;
  double baseline_ = 0;
};

}  // namespace mlc

#endif  // MLC_RUNTIME_TRAIN_DIVERGENCE_GUARD_H
