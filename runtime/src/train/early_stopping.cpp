// Early-stopping bookkeeping; the weights of the best epoch are kept by the trainer (--keep-best).
#include "train/early_stopping.h"

#include <cmath>

namespace mlc {

bool metric_maximized(const std::string& metric) {
  for (const char* suffix : {"loss", "mse", "rmse", "mae"}) {
    const std::string s = suffix;
    if (metric.size() >= s.size() && metric.compare(metric.size() - s.size(), s.size(), s) == 0) return false;
  }
  return true;
}

EarlyStopping::EarlyStopping(std::string metric, std::uint64_t patience, double min_delta)
    : metric_(std::move(metric)), maximize_(metric_maximized(metric_)), patience_(patience), min_delta_(min_delta) {}

bool EarlyStopping::update(double value, std::uint64_t epoch) {
  const bool improved = !std::isnan(value) && (best_epoch_ == 0 || (maximize_ ? value - min_delta_ > best_
                                                                                : value + min_delta_ < best_));
  if (improved) {
    best_ = value;
    best_epoch_ = epoch;
    bad_epochs_ = 0;
  } else {
    ++bad_epochs_;
  }
  return improved;
}

void EarlyStopping::save(KeyValues& kv) const {
  kv.set_double("early_stopping.best", best_);
  kv.set_u64("early_stopping.best_epoch", best_epoch_);
  kv.set_u64("early_stopping.bad_epochs", bad_epochs_);
}

void EarlyStopping::load(const KeyValues& kv) {
  best_ = kv.get_double("early_stopping.best");
  best_epoch_ = kv.get_u64("early_stopping.best_epoch");
  bad_epochs_ = kv.get_u64("early_stopping.bad_epochs");
}

}  // namespace mlc
