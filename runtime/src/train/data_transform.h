// What training derived from its data beyond the file format: the fitted CSV encoding, the
// --standardize statistics and the loss's class weights. Kept in every checkpoint so evaluation and
// prediction see what training saw.
#ifndef MLC_RUNTIME_TRAIN_DATA_TRANSFORM_H
#define MLC_RUNTIME_TRAIN_DATA_TRANSFORM_H

#include <optional>

#include "data/standardizer.h"
#include "data/tabular_encoding.h"
#include "state/checkpoint_file.h"

namespace mlc {

struct DataTransform {
  std::optional<TabularEncoding> table;      // training data from CSV
  std::optional<Standardizer> standardizer;  // --standardize
  std::vector<float> class_weights;          // --class-weights as resolved (auto: from the labels)

  // Sections "data/encoding" (text), "data/mean", "data/scale" and "data/class_weights" (floats),
  // each only when present.
  void write(CheckpointWriter& w) const;
  // Reads those sections; `sample_size` values per sample for the statistics, `classes` class weights.
  // Errors name the checkpoint.
  static DataTransform read(const Checkpoint& ck, std::size_t sample_size, std::size_t classes);
};

}  // namespace mlc

#endif  // MLC_RUNTIME_TRAIN_DATA_TRANSFORM_H
