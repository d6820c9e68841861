// Holding out a seeded, stratified fraction of the training split for validation (--val-split).
#ifndef MLC_RUNTIME_DATA_VALIDATION_SPLIT_H
#define MLC_RUNTIME_DATA_VALIDATION_SPLIT_H

#include <cstdint>

#include "data/dataset.h"

namespace mlc {

// Moves round(fraction * n_c) samples of every class c (at least one of a class with two or more
// samples) from `train` into the returned split, chosen by a shuffle seeded with `seed`; both keep
// the file order of what they hold. The choice depends only on (seed, labels), never on the batch.
Split split_validation(Split& train, double fraction, std::uint64_t seed);

}  // namespace mlc

#endif  // MLC_RUNTIME_DATA_VALIDATION_SPLIT_H
