// Where a run's data comes from (--data=DIR of IDX files, --train/--test=FILE as CSV or NumPy,
// --test-split, --val-split, --val=DIR) and how it is fitted to the model (encoding, --standardize).
#ifndef MLC_RUNTIME_TRAIN_DATA_SOURCES_H
#define MLC_RUNTIME_TRAIN_DATA_SOURCES_H

#include "core/model_meta.h"
#include "data/dataset.h"
#include "train/cli.h"
#include "train/data_transform.h"

namespace mlc {

struct RunData {
  Split train, val, test;    // val is empty without --val-split or --val
  DataTransform transform;   // what training fitted (CSV encoding, standardization), for checkpoints
};

// The training, validation and test sets: targets fitted to the model's label, the test set held out
// of --train with --test-split, --limit-train/--limit-test applied before the validation split, CSV
// encodings fitted on the --train rows that are not --test-split rows, --standardize statistics on
// the final training split. Reports missing values.
RunData load_run_data(const Options& options, const ModelMeta& meta);

// The test set alone (--evaluate: --test=FILE, the --test-split part of --train, or the t10k-* files
// of --data), encoded and standardized with `transform` (the checkpoint's).
Split load_test_data(const Options& options, const ModelMeta& meta, const DataTransform& transform);

struct PredictionInput {
  Split samples;
  std::vector<std::size_t> rows;  // each sample's index among the input's rows (CSV rows may be dropped)
};

// --predict's --input: IDX images, .npz/.npy samples or CSV rows (target columns not needed), transformed
// with `transform` like the training data.
PredictionInput load_prediction_input(const Options& options, const ModelMeta& meta, const DataTransform& transform);

}  // namespace mlc

#endif  // MLC_RUNTIME_TRAIN_DATA_SOURCES_H
