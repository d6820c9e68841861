// The trainer's inference modes: --evaluate (test metrics of a checkpoint) and --predict (a CSV of predictions).
#ifndef MLC_RUNTIME_TRAIN_INFERENCE_H
#define MLC_RUNTIME_TRAIN_INFERENCE_H

#include "core/model_meta.h"
#include "train/cli.h"

namespace mlc {

int run_evaluation(const Options& options, const ModelMeta& meta);
int run_prediction(const Options& options, const ModelMeta& meta);

}  // namespace mlc

#endif  // MLC_RUNTIME_TRAIN_INFERENCE_H
