// Two-pass mean and variance in double precision, so large or offset columns keep their digits.
#include "data/standardizer.h"

#include <cmath>

#include "core/error.h"

namespace mlc {

Standardizer Standardizer::fit(const Split& train, const std::vector<bool>& numeric) {
  if (!train.tokens.empty()) throw Error("--standardize: the model's input is token ids, not values to scale");
  if (train.count == 0) throw Error("--standardize: the training set is empty");
  const std::size_t n = train.pixels, count = train.count;
  std::vector<double> mean(n, 0.0), var(n, 0.0);
  for (std::size_t s = 0; s < count; ++s) {
    const float* x = train.images.data() + s * n;
    for (std::size_t i = 0; i < n; ++i) mean[i] += x[i];
  }
  for (double& m : mean) m /= static_cast<double>(count);
  for (std::size_t s = 0; s < count; ++s) {
    const float* x = train.images.data() + s * n;
    for (std::size_t i = 0; i < n; ++i) var[i] += (x[i] - mean[i]) * (x[i] - mean[i]);
  }
  Standardizer st;
  st.mean.assign(n, 0.0f);
  st.scale.assign(n, 1.0f);
  for (std::size_t i = 0; i < n; ++i) {
    if (!numeric.empty() && !numeric[i]) continue;
    const double sd = std::sqrt(var[i] / static_cast<double>(count));
    st.mean[i] = static_cast<float>(mean[i]);
    if (sd > 0 && std::isfinite(static_cast<float>(sd))) st.scale[i] = static_cast<float>(sd);
  }
  return st;
}

void Standardizer::apply(Split& split) const {
  if (!split.tokens.empty()) throw Error("--standardize: the model's input is token ids, not values to scale");
  if (split.pixels != mean.size()) {
    throw Error("--standardize: the statistics are for " + std::to_string(mean.size()) + " values per sample, the data has " +
                std::to_string(split.pixels));
  }
  const std::size_t n = split.pixels;
  for (std::size_t s = 0; s < split.count; ++s) {
    float* x = split.images.data() + s * n;
    for (std::size_t i = 0; i < n; ++i) x[i] = (x[i] - mean[i]) / scale[i];
  }
}

}  // namespace mlc
