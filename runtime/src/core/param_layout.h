// Converting a parameter (or its optimizer state) between the layout the step stores it in and the model's.
#ifndef MLC_RUNTIME_CORE_PARAM_LAYOUT_H
#define MLC_RUNTIME_CORE_PARAM_LAYOUT_H

#include <vector>

#include "core/model_meta.h"

namespace mlc {

// `stored` (p.elements() floats in p's stored layout) in the model's layout; itself (moved) without a layout.
std::vector<float> to_model_layout(const ParamMeta& p, std::vector<float> stored);
// `model` (p.elements() floats in the model's layout) as the step stores it; itself (moved) without a layout.
std::vector<float> to_stored_layout(const ParamMeta& p, std::vector<float> model);

}  // namespace mlc

#endif  // MLC_RUNTIME_CORE_PARAM_LAYOUT_H
