// Every buffer the step functions touch, allocated once so the step loop never allocates.
#ifndef MLC_RUNTIME_TRAIN_STEP_BUFFERS_H
#define MLC_RUNTIME_TRAIN_STEP_BUFFERS_H

#include <vector>

#include "core/memory.h"
#include "core/model_meta.h"

namespace mlc {

// Every pointer in the args arrays is a step buffer from `mem` (device memory for target cuda); the
// runtime fills and reads the host side of the Staged ones. The batch (input, label) has one pair per
// upload slot of `mem` (two for cuda: double buffering), and train_args one array per slot;
// evaluation uses slot 0.
struct StepBuffers {
  std::vector<void*> params;
  std::vector<void*> state;  // slot-major
  std::vector<void*> buffers;
  std::vector<Staged> input, label;  // per upload slot
  Staged output, hypers, loss;
  void* class_weights = nullptr;  // meta.class_weights floats, or null
  void* workspace = nullptr;
  std::vector<std::vector<void*>> train_args;  // per upload slot
  std::vector<void*> eval_args;

  // Parameters and buffers start from mlc_param_init, optimizer state at zero; the class weights (if
  // the loss takes them) from `class_weights` (empty: all 1).
  StepBuffers(Memory& mem, const ModelMeta& meta, const std::vector<float>& hyper_values,
              const std::vector<float>& class_weights = {});

  float& hyper(std::size_t i);
};

}  // namespace mlc

#endif  // MLC_RUNTIME_TRAIN_STEP_BUFFERS_H
