// Moving the model's state between the step buffers, the host and checkpoint sections.
#include "train/model_state.h"

#include <cmath>

#include "core/param_layout.h"

namespace mlc {
namespace {

std::vector<float> download(Memory& mem, const void* device, std::size_t elements) {
  std::vector<float> out(elements);
  mem.copy_to_host(out.data(), device, elements * sizeof(float));
  return out;
}

std::string state_name(const std::string& prefix, std::size_t slot, const std::string& param) {
  return prefix + "state/" + std::to_string(slot) + "/" + param;
}

}  // namespace

HostModelState download_state(Memory& mem, const ModelMeta& meta, const StepBuffers& buf, bool with_optimizer) {
  HostModelState s;
  for (std::size_t i = 0; i < meta.params.size(); ++i) {
    const ParamMeta& p = meta.params[i];
    s.params.push_back(to_model_layout(p, download(mem, buf.params[i], p.elements())));
  }
  if (with_optimizer) {
    for (std::size_t k = 0; k < buf.state.size(); ++k) {
      const ParamMeta& p = meta.params[k % meta.params.size()];
      s.state.push_back(to_model_layout(p, download(mem, buf.state[k], p.elements())));
    }
  }
  for (std::size_t i = 0; i < meta.buffers.size(); ++i) s.buffers.push_back(download(mem, buf.buffers[i], meta.buffers[i].elements()));
  return s;
}

void upload_state(Memory& mem, const ModelMeta& meta, StepBuffers& buf, const HostModelState& s) {
  auto upload = [&](void* device, const ParamMeta& p, const std::vector<float>& model) {
    if (p.layout.empty()) {
      mem.copy_to_device(device, model.data(), model.size() * sizeof(float));
      return;
    }
    const std::vector<float> stored = to_stored_layout(p, model);
    mem.copy_to_device(device, stored.data(), stored.size() * sizeof(float));
  };
  for (std::size_t i = 0; i < s.params.size(); ++i) upload(buf.params[i], meta.params[i], s.params[i]);
  for (std::size_t k = 0; k < s.state.size(); ++k) upload(buf.state[k], meta.params[k % meta.params.size()], s.state[k]);
  for (std::size_t i = 0; i < s.buffers.size(); ++i) mem.copy_to_device(buf.buffers[i], s.buffers[i].data(), s.buffers[i].size() * sizeof(float));
  mem.synchronize();
}

void write_state(CheckpointWriter& w, const ModelMeta& meta, const HostModelState& s, const std::string& prefix) {
  for (std::size_t i = 0; i < s.params.size(); ++i) w.floats(prefix + "param/" + meta.params[i].name, s.params[i].data(), s.params[i].size());
  for (std::size_t k = 0; k < s.state.size(); ++k) {
    const std::size_t p = k % meta.params.size();
    w.floats(state_name(prefix, k / meta.params.size(), meta.params[p].name), s.state[k].data(), s.state[k].size());
  }
  for (std::size_t i = 0; i < s.buffers.size(); ++i) w.floats(prefix + "buffer/" + meta.buffers[i].name, s.buffers[i].data(), s.buffers[i].size());
}

HostModelState read_state(const Checkpoint& ck, const ModelMeta& meta, const std::string& prefix, bool with_optimizer) {
  HostModelState s;
  for (const ParamMeta& p : meta.params) {
    s.params.emplace_back(p.elements());
    ck.floats(prefix + "param/" + p.name, s.params.back().data(), p.elements());
  }
  if (with_optimizer) {
    for (std::size_t slot = 0; slot < meta.state_slots; ++slot) {
      for (const ParamMeta& p : meta.params) {
        s.state.emplace_back(p.elements());
        ck.floats(state_name(prefix, slot, p.name), s.state.back().data(), p.elements());
      }
    }
  }
  for (const ParamMeta& b : meta.buffers) {
    s.buffers.emplace_back(b.elements());
    ck.floats(prefix + "buffer/" + b.name, s.buffers.back().data(), b.elements());
  }
  return s;
}

std::string first_non_finite(const ModelMeta& meta, const HostModelState& s) {
  auto finite = [](const std::vector<float>& v) {
    for (float x : v) {
      if (!std::isfinite(x)) return false;
    }
    return true;
  };
  for (std::size_t i = 0; i < s.params.size(); ++i) {
    if (!finite(s.params[i])) return "parameter '" + meta.params[i].name + "'";
  }
  for (std::size_t k = 0; k < s.state.size(); ++k) {
    if (!finite(s.state[k])) return "optimizer state of '" + meta.params[k % meta.params.size()].name + "'";
  }
  for (std::size_t i = 0; i < s.buffers.size(); ++i) {
    if (!finite(s.buffers[i])) return "buffer '" + meta.buffers[i].name + "'";
  }
  return "";
}

}  // namespace mlc
