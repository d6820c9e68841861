// What turns raw data into model inputs beyond the file format: the fitted CSV encoding and the
// --standardize statistics. Kept in every checkpoint so evaluation and prediction see what training saw.
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

  // Sections "data/encoding" (text) and "data/mean", "data/scale" (floats), each only when present.
  void write(CheckpointWriter& w) const;
  // Reads those sections; `sample_size` values per sample for the statistics. Errors name the checkpoint.
  static DataTransform read(const Checkpoint& ck, std::size_t sample_size);
};

}  // namespace mlc

#endif  // MLC_RUNTIME_TRAIN_DATA_TRANSFORM_H
