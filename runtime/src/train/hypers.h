// Maps the model's hyperparameter names to values from the command line or the optimizer's defaults.
#ifndef MLC_RUNTIME_HYPERS_H
#define MLC_RUNTIME_HYPERS_H

#include <string>
#include <vector>

#include "train/cli.h"
#include "core/model_meta.h"
#include "eval/metrics.h"

namespace mlc {

struct HyperValues {
  // One value per entry of meta.hypers, in that order; `step` holds 1 here and the trainer
  // overwrites it before every step; `seed` is --seed modulo 2^24.
  std::vector<float> values;
  int step_index = -1;  // position of `step` in values, or -1
  int lr_index = -1;    // position of `lr` (set per step by the schedule), or -1
  // Position of the momentum-like hyper a one-cycle schedule cycles (momentum, or adam's beta1), or -1.
  int momentum_index = -1;
  double base_lr = 0;   // --lr or the optimizer's default, in double for the schedule
  // "lr 0.01, beta1 0.9" for the summary line; excludes step.
  std::string describe;
  LossParams loss;  // the loss's scalars, for evaluation losses
};

// Throws mlc::Error if an optimizer or loss option is given that the model has no hyperparameter for
// (it would silently do nothing otherwise).
HyperValues resolve_hypers(const ModelMeta& meta, const Options& options);

}  // namespace mlc

#endif  // MLC_RUNTIME_HYPERS_H
