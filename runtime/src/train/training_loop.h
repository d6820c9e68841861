// The training run: epochs of train steps with schedules, validation, early stopping, checkpoints, signals.
#ifndef MLC_RUNTIME_TRAIN_TRAINING_LOOP_H
#define MLC_RUNTIME_TRAIN_TRAINING_LOOP_H

#include "core/model_meta.h"
#include "train/cli.h"
#include "train/run_checkpoint.h"

namespace mlc {

// Exit statuses of the trainer (mlc_runtime.h).
constexpr int kExitOk = 0;
constexpr int kExitError = 1;
constexpr int kExitDiverged = 2;

// Trains from scratch, from --init-from weights, or from `resume` (a checkpoint of this model whose
// flags were merged into `options`). Returns the exit status; throws mlc::Error for bad input.
int run_training(const Options& options, const ModelMeta& meta, const RunCheckpoint* resume);

}  // namespace mlc

#endif  // MLC_RUNTIME_TRAIN_TRAINING_LOOP_H
