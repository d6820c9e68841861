// Canonical model text, its FNV-1a hash, and a readable account of how two models differ.
#include "state/model_fingerprint.h"

#include <vector>

namespace mlc {
namespace {

std::string dims_text(const std::vector<std::size_t>& dims, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < dims.size(); ++i) out += (i > from ? "x" : "") + std::to_string(dims[i]);
  return out.empty() ? "scalar" : out;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) nl = text.size();
    out.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

}  // namespace

std::string canonical_model_text(const ModelMeta& meta) {
  std::string t;
  t += std::string("loss ") + loss_name(meta.loss) + "\n";
  t += std::string("optimizer ") + optimizer_name(meta.optimizer) + "\n";
  t += "state " + std::to_string(meta.state_slots) + "\n";
  t += "hyper";
  for (const std::string& h : meta.hypers) t += " " + h;
  t += "\n";
  t += "input " + meta.input.name + (meta.token_input ? " i32 " : " f32 ") + dims_text(meta.input.dims, 1) + "\n";
  t += "output " + meta.output.name + " " + dims_text(meta.output.dims, 1) + "\n";
  for (const ParamMeta& p : meta.params) t += "param " + p.name + " " + dims_text(p.model_dims(), 0) + "\n";
  for (const ParamMeta& b : meta.buffers) t += "buffer " + b.name + " " + dims_text(b.dims, 0) + "\n";
  return t;
}

std::uint64_t fingerprint_of(const std::string& canonical_text) {
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : canonical_text) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

std::string describe_model_difference(const std::string& checkpoint_text, const std::string& ours) {
  const std::vector<std::string> a = lines(checkpoint_text), b = lines(ours);
  for (std::size_t i = 0; i < a.size() || i < b.size(); ++i) {
    if (i < a.size() && i < b.size() && a[i] == b[i]) continue;
    if (i >= a.size()) return "this trainer has '" + b[i] + "', the checkpoint does not";
    if (i >= b.size()) return "the checkpoint has '" + a[i] + "', this trainer does not";
    return "the checkpoint has '" + a[i] + "', this trainer '" + b[i] + "'";
  }
  return "the fingerprints differ";
}

}  // namespace mlc
