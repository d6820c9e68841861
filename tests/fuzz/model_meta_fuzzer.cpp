// libFuzzer target: arbitrary text as model metadata (the records `mlc compile` writes into a trainer):
// the parser must accept it or throw mlc::Error, never crash, overflow or allocate without bound.
// An accepted model's parameters are also converted between their stored and model layouts.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "core/model_meta.h"
#include "core/param_layout.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    mlc::ModelMeta m = mlc::parse_model_meta(std::string_view(reinterpret_cast<const char*>(data), size));
    (void)m.param_count();
    (void)m.classes();
    for (const mlc::ParamMeta& p : m.params) {
      if (p.elements() > (1u << 16)) continue;  // the conversion itself is not what is fuzzed
      std::vector<float> v(p.elements(), 1.0f);
      (void)mlc::to_model_layout(p, mlc::to_stored_layout(p, v));
    }
  } catch (const mlc::Error&) {
  }
  return 0;
}
