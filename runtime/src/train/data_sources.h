// Where a run's data comes from: --data=DIR (IDX), --train/--test=FILE.npz, --val=DIR, fitted to the model.
#ifndef MLC_RUNTIME_TRAIN_DATA_SOURCES_H
#define MLC_RUNTIME_TRAIN_DATA_SOURCES_H

#include "core/model_meta.h"
#include "data/dataset.h"
#include "train/cli.h"

namespace mlc {

// The training and test sets (fit_targets applied; --target=input honoured).
Dataset load_run_data(const Options& options, const ModelMeta& meta);
// The test set alone (--evaluate): --test=FILE or the t10k-* files of --data.
Split load_test_data(const Options& options, const ModelMeta& meta);
// --val=DIR: the t10k-* files of that directory.
Split load_validation_dir(const Options& options, const ModelMeta& meta);

}  // namespace mlc

#endif  // MLC_RUNTIME_TRAIN_DATA_SOURCES_H
