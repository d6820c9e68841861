// Training data from NumPy arrays (--train=FILE.npz --test=FILE.npz): features and class targets.
#ifndef MLC_RUNTIME_DATA_ARRAY_DATASET_H
#define MLC_RUNTIME_DATA_ARRAY_DATASET_H

#include <cstddef>
#include <string>

#include "data/dataset.h"

namespace mlc {

struct ArrayNames {
  std::string features = "x";  // --features: the array of samples, [n, ...]
  std::string target = "y";    // --target: the array of class indices, [n] or [n, 1]
};

// Loads a split from a .npz archive: the features array's samples must hold `pixels` values each
// (any trailing shape; values taken as they are, converted to float32, or as int32 token ids for a
// token model, which needs an integer array), the target array one integer class index in
// [0, classes) per sample. Errors name the file, the array and the problem.
Split load_array_split(const std::string& path, std::size_t pixels, std::size_t classes, bool tokens,
                       const ArrayNames& names);

}  // namespace mlc

#endif  // MLC_RUNTIME_DATA_ARRAY_DATASET_H
