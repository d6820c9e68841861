// Transposes between a parameter's stored layout (its `param_layout` record) and the model's.
#include "core/param_layout.h"

#include <cstddef>

namespace mlc {
namespace {

// Calls visit(stored_index, model_index) for every element of p.
template <typename Visit>
void for_each_element(const ParamMeta& p, Visit visit) {
  const std::size_t rank = p.dims.size();
  const std::vector<std::size_t> model = p.model_dims();
  std::vector<std::size_t> model_strides(rank, 1);
  for (std::size_t d = rank; d-- > 1;) model_strides[d - 1] = model_strides[d] * model[d];
  // The model's stride of each stored dimension.
  std::vector<std::size_t> strides(rank);
  for (std::size_t i = 0; i < rank; ++i) strides[i] = model_strides[p.layout[i]];
  std::vector<std::size_t> index(rank, 0);
  std::size_t from = 0;
  const std::size_t n = p.elements();
  for (std::size_t s = 0; s < n; ++s) {
    visit(s, from);
    // Next stored index, odometer-wise, keeping the model offset in step.
    for (std::size_t i = rank; i-- > 0;) {
      from += strides[i];
      if (++index[i] < p.dims[i]) break;
      from -= strides[i] * index[i];
      index[i] = 0;
    }
  }
}

}  // namespace

std::vector<float> to_model_layout(const ParamMeta& p, std::vector<float> stored) {
  if (p.layout.empty()) return stored;
  std::vector<float> model(stored.size());
  for_each_element(p, [&](std::size_t s, std::size_t m) { model[m] = stored[s]; });
  return model;
}

std::vector<float> to_stored_layout(const ParamMeta& p, std::vector<float> model) {
  if (p.layout.empty()) return model;
  std::vector<float> stored(model.size());
  for_each_element(p, [&](std::size_t s, std::size_t m) { stored[s] = model[m]; });
  return stored;
}

}  // namespace mlc
