// Holding out a seeded, stratified fraction of the training data: for validation (--val-split) or as
// the test set when only one file is given (--test-split).
#ifndef MLC_RUNTIME_DATA_VALIDATION_SPLIT_H
#define MLC_RUNTIME_DATA_VALIDATION_SPLIT_H

#include <cstdint>
#include <vector>

#include "data/dataset.h"

namespace mlc {

// The draws of the two hold-outs come from separate streams of the run's seed.
enum class HoldOut : std::uint64_t { Validation = 0x76616c2d73706c74ull, Test = 0x746573742d73706cull };

// Marks round(fraction * n_k) of the samples of every stratum k (equal `keys`; at least one of a
// stratum with two or more samples, never all of one) chosen by a shuffle seeded with (seed, which).
// The choice depends only on (seed, which, keys). `flag` names the option in the error for data too
// small to hold anything out.
std::vector<char> stratified_holdout(const std::vector<std::int32_t>& keys, double fraction, std::uint64_t seed,
                                     HoldOut which, const char* flag);

// Moves the held-out samples of `train` (stratified by class label; regression data is one stratum)
// into the returned split; both keep the file order of what they hold.
Split split_holdout(Split& train, double fraction, std::uint64_t seed, HoldOut which);

inline Split split_validation(Split& train, double fraction, std::uint64_t seed) {
  return split_holdout(train, fraction, seed, HoldOut::Validation);
}

}  // namespace mlc

#endif  // MLC_RUNTIME_DATA_VALIDATION_SPLIT_H
