// --export: the compiler's ONNX inference template completed with the trained weights as initializers.
#ifndef MLC_RUNTIME_STATE_ONNX_EXPORT_H
#define MLC_RUNTIME_STATE_ONNX_EXPORT_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mlc {

struct ExportTensor {
  std::string name;
  std::vector<std::size_t> dims;
  const float* values;  // product(dims) floats
};

// Writes an ONNX ModelProto: the template's model fields, then its graph with one FLOAT initializer
// per tensor appended (protobuf merges repeated fields, so appending to the serialized graph adds
// them). `tmpl` is the compiler's template (frontends/onnx/InferenceExport.h). Throws mlc::Error on a
// malformed template or a write failure; the file is written to PATH.tmp and renamed.
void write_onnx_export(const std::string& path, const std::uint8_t* tmpl, std::size_t tmpl_size,
                       const std::vector<ExportTensor>& tensors);

}  // namespace mlc

#endif  // MLC_RUNTIME_STATE_ONNX_EXPORT_H
