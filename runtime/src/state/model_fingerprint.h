// What makes a checkpoint fit a trainer: a canonical description of the model and its 64-bit hash.
#ifndef MLC_RUNTIME_STATE_MODEL_FINGERPRINT_H
#define MLC_RUNTIME_STATE_MODEL_FINGERPRINT_H

#include <cstdint>
#include <string>

#include "core/model_meta.h"

namespace mlc {

// One line per fact a checkpoint depends on: loss, optimizer, optimizer state slots, hyperparameter
// names, the input and output (without the batch dimension), every parameter and buffer with its
// shape. Not the target, the batch size or the workspace: a checkpoint moves between a CPU and a CUDA
// trainer of the same model, and between batch sizes (the run state checks the batch for resume).
std::string canonical_model_text(const ModelMeta& meta);

// FNV-1a 64 of the text.
std::uint64_t fingerprint_of(const std::string& canonical_text);

// "optimizer adam (this trainer: sgd)" style: the first line where two canonical texts differ.
std::string describe_model_difference(const std::string& checkpoint_text, const std::string& ours);

}  // namespace mlc

#endif  // MLC_RUNTIME_STATE_MODEL_FINGERPRINT_H
