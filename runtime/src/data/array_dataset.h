// Training data from NumPy arrays (--train=FILE.npz --test=FILE.npz): features and targets.
#ifndef MLC_RUNTIME_DATA_ARRAY_DATASET_H
#define MLC_RUNTIME_DATA_ARRAY_DATASET_H

#include <cstddef>
#include <string>

#include "data/dataset.h"

namespace mlc {

struct ArrayNames {
  std::string features = "x";  // --features: the array of samples, [n, ...] (empty: "x")
  std::string target = "y";    // --target: the array of targets, [n, ...]; "input": the features
};

// Loads a split from a .npz archive for `meta`'s model: the features array's samples must hold the
// model's input values each (any trailing shape; converted to float32, or int32 token ids for a token
// model, which needs an integer array). The target array holds one integer class index in
// [0, meta.classes()) per sample, or float targets of the output's size per sample (any dtype; for a
// one-output regression model a single integer is a value, for bce losses 0/1 values also give class
// labels for the metrics). Then fit_targets. Errors name the file, the array and the problem.
Split load_array_split(const std::string& path, const ModelMeta& meta, const ArrayNames& names);

// The samples alone (prediction input): the `features` array of an .npz archive (empty: "x"), or the
// one array of a .npy file.
Split load_array_samples(const std::string& path, const ModelMeta& meta, const std::string& features);

}  // namespace mlc

#endif  // MLC_RUNTIME_DATA_ARRAY_DATASET_H
