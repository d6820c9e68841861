// A training run's checkpoint: model state, optional best weights, run state and flags (docs/checkpoint.md).
#ifndef MLC_RUNTIME_TRAIN_RUN_CHECKPOINT_H
#define MLC_RUNTIME_TRAIN_RUN_CHECKPOINT_H

#include <string>
#include <vector>

#include "core/model_meta.h"
#include "state/checkpoint_file.h"
#include "state/key_values.h"
#include "train/cli.h"
#include "train/data_transform.h"
#include "train/model_state.h"

namespace mlc {

struct RunCheckpoint {
  Checkpoint file;
  bool has_run = false;  // false for weights-only files (--save-weights)
  KeyValues run;
  std::vector<Flag> flags;
  DataTransform transform;  // the data encoding and standardization training used
};

// Writes a checkpoint file. `run` and `flags` may be empty (weights only); `best` may be null. The data
// transform goes with the weights, so evaluation and prediction prepare data as training did.
void write_run_checkpoint(const std::string& path, const ModelMeta& meta, const HostModelState& state,
                          const HostModelState* best, const KeyValues* run, const std::vector<Flag>& flags,
                          const DataTransform& transform);

enum class CheckpointUse {
  Resume,   // the same model and optimizer (fingerprint), with a run state
  Weights,  // only the parameters and buffers are read (fine-tuning, evaluation, prediction): each
            // must exist with this model's size; the optimizer may differ
};

// Reads a checkpoint and checks that it fits this trainer for `use`; the errors are one line naming the
// checkpoint and the first difference.
RunCheckpoint open_run_checkpoint(const std::string& path, const ModelMeta& meta, CheckpointUse use);

}  // namespace mlc

#endif  // MLC_RUNTIME_TRAIN_RUN_CHECKPOINT_H
