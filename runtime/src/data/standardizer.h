// --standardize: each input value shifted and scaled to zero mean and unit variance over the training split.
#ifndef MLC_RUNTIME_DATA_STANDARDIZER_H
#define MLC_RUNTIME_DATA_STANDARDIZER_H

#include <vector>

#include "data/dataset.h"

namespace mlc {

struct Standardizer {
  std::vector<float> mean, scale;  // per value of a sample: x' = (x - mean) / scale

  // Statistics of `train` per value position (population standard deviation, as scikit-learn's
  // StandardScaler; a constant value keeps scale 1). Positions where `numeric` is false (one-hot
  // codes) stay as they are; an empty `numeric` standardizes every position.
  static Standardizer fit(const Split& train, const std::vector<bool>& numeric);
  // Applies the statistics to a split's samples (and to its targets when the target is the input).
  void apply(Split& split) const;
};

}  // namespace mlc

#endif  // MLC_RUNTIME_DATA_STANDARDIZER_H
