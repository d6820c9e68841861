// Host copies of the model's state (parameters, optimizer state, buffers) and their checkpoint sections.
#ifndef MLC_RUNTIME_TRAIN_MODEL_STATE_H
#define MLC_RUNTIME_TRAIN_MODEL_STATE_H

#include <string>
#include <vector>

#include "core/memory.h"
#include "core/model_meta.h"
#include "state/checkpoint_file.h"
#include "train/step_buffers.h"

namespace mlc {

// Parameters and optimizer state in the model's layout (the step's own, transposed where a param has one).
struct HostModelState {
  std::vector<std::vector<float>> params;
  std::vector<std::vector<float>> state;  // slot-major, as in the step arguments; empty without optimizer state
  std::vector<std::vector<float>> buffers;
};

// Copies the step buffers to the host (parameters and buffers; optimizer state too if asked), in the model's
// layout.
HostModelState download_state(Memory& mem, const ModelMeta& meta, const StepBuffers& buf, bool with_optimizer);
// Copies into the step buffers what `s` holds (optimizer state only if present), in the step's layout.
void upload_state(Memory& mem, const ModelMeta& meta, StepBuffers& buf, const HostModelState& s);

// Sections "<prefix>param/NAME", "<prefix>state/SLOT/NAME", "<prefix>buffer/NAME".
void write_state(CheckpointWriter& w, const ModelMeta& meta, const HostModelState& s, const std::string& prefix);
HostModelState read_state(const Checkpoint& ck, const ModelMeta& meta, const std::string& prefix, bool with_optimizer);

// "parameter 'w'" for the first tensor holding a NaN or an infinity, or "" if all are finite.
std::string first_non_finite(const ModelMeta& meta, const HostModelState& s);

}  // namespace mlc

#endif  // MLC_RUNTIME_TRAIN_MODEL_STATE_H
