// Early stopping on a monitored metric (Keras' EarlyStopping semantics: patience, min_delta, best epoch).
#ifndef MLC_RUNTIME_TRAIN_EARLY_STOPPING_H
#define MLC_RUNTIME_TRAIN_EARLY_STOPPING_H

#include <cstdint>
#include <string>

#include "state/key_values.h"

namespace mlc {

// Whether larger values of a metric are better: losses and errors are minimized, the rest maximized.
bool metric_maximized(const std::string& metric);

class EarlyStopping {
 public:
  EarlyStopping(std::string metric, std::uint64_t patience, double min_delta);

  const std::string& metric() const { return metric_; }
  // Records an epoch's value; returns true if it is the new best (improved by more than min_delta).
  // A NaN never improves.
  bool update(double value, std::uint64_t epoch);
  // After `patience` epochs in a row without improvement (0 counts as 1).
  bool should_stop() const { return bad_epochs_ >= (patience_ ? patience_ : 1); }
  bool has_best() const { return best_epoch_ != 0; }
  double best() const { return best_; }
  std::uint64_t best_epoch() const { return best_epoch_; }

  void save(KeyValues& kv) const;
  void load(const KeyValues& kv);

 private:
  std::string metric_;
  bool maximize_;
  std::uint64_t patience_;
  double min_delta_;
  double best_ = 0;
  std::uint64_t best_epoch_ = 0;  // 0: none yet
  std::uint64_t bad_epochs_ = 0;
};

}  // namespace mlc

#endif  // MLC_RUNTIME_TRAIN_EARLY_STOPPING_H
