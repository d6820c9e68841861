// Allocation and argument-array layout of the step buffers (the order mlc_runtime.h defines).
#include "train/step_buffers.h"

#include <algorithm>
#include <cstdint>

#include "mlc_runtime.h"

namespace mlc {
namespace {

// Each scalar hyper gets its own aligned slot, as the ABI promises for every argument.
constexpr std::size_t kFloatsPerSlot = MLC_BUFFER_ALIGNMENT / sizeof(float);

}  // namespace

StepBuffers::StepBuffers(Memory& mem, const ModelMeta& meta, const std::vector<float>& hyper_values,
                         const std::vector<float>& weights) {
  auto initialized = [&](const ParamMeta& p) {
    void* device = mem.alloc(p.elements() * sizeof(float));
    mem.copy_to_device(device, mlc_param_init + p.offset, p.elements() * sizeof(float));
    return device;
  };
  for (const ParamMeta& p : meta.params) params.push_back(initialized(p));
  for (std::size_t s = 0; s < meta.state_slots; ++s) {
    for (const ParamMeta& p : meta.params) state.push_back(mem.alloc(p.elements() * sizeof(float)));
  }
  for (const ParamMeta& b : meta.buffers) buffers.push_back(initialized(b));
  const int slots = std::max(1, mem.upload_slots());
  for (int i = 0; i < slots; ++i) {
    input.push_back(mem.alloc_staged(meta.input.elements() * sizeof(float)));
    label.push_back(mem.alloc_staged(meta.label.elements() * sizeof(std::int32_t)));
  }
  output = mem.alloc_staged(meta.output.elements() * sizeof(float));
  // One buffer for all hypers (one copy per step), each in its own aligned slot as the ABI promises.
  hypers = mem.alloc_staged(hyper_values.size() * MLC_BUFFER_ALIGNMENT);
  for (std::size_t i = 0; i < hyper_values.size(); ++i) hyper(i) = hyper_values[i];
  mem.upload(hypers);
  loss = mem.alloc_staged(sizeof(float));
  if (meta.class_weights) {
    const std::vector<float> ones(meta.class_weights, 1.0f);
    class_weights = mem.alloc(meta.class_weights * sizeof(float));
    mem.copy_to_device(class_weights, (weights.empty() ? ones : weights).data(), meta.class_weights * sizeof(float));
  }
  // The two steps never run concurrently, so one scratch area of the larger size serves both.
  workspace = mem.alloc(std::max(meta.workspace_train, meta.workspace_eval));

  for (int slot = 0; slot < slots; ++slot) {
    std::vector<void*> args = params;
    args.insert(args.end(), state.begin(), state.end());
    args.insert(args.end(), buffers.begin(), buffers.end());
    args.push_back(input[slot].device);
    args.push_back(label[slot].device);
    if (class_weights) args.push_back(class_weights);
    for (std::size_t i = 0; i < hyper_values.size(); ++i) {
      args.push_back(static_cast<char*>(hypers.device) + i * MLC_BUFFER_ALIGNMENT);
    }
    args.push_back(loss.device);
    args.push_back(workspace);
    train_args.push_back(std::move(args));
  }

  eval_args = params;
  eval_args.insert(eval_args.end(), buffers.begin(), buffers.end());
  eval_args.push_back(input[0].device);
  eval_args.push_back(output.device);
  eval_args.push_back(workspace);
  mem.synchronize();
}

float& StepBuffers::hyper(std::size_t i) { return hypers.host_as<float>()[i * kFloatsPerSlot]; }

}  // namespace mlc
