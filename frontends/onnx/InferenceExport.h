// The inference form of an imported ONNX model, which a trainer fills with its trained weights (--export).
#ifndef MLC_FRONTENDS_ONNX_INFERENCE_EXPORT_H
#define MLC_FRONTENDS_ONNX_INFERENCE_EXPORT_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace mlc {

/// Reads the ONNX model at `path` and returns the export template the runtime completes
/// (runtime/src/state/onnx_export.h): a little-endian u64 byte count, that many bytes of the
/// ModelProto without its graph, then the GraphProto in inference form: training-mode Dropout nodes
/// become Identity, BatchNormalization runs on its running statistics (training_mode removed, only
/// output Y), and every float initializer (what the trainer trains or updates: its parameters and
/// buffers, by the same names) is removed from the initializers and the graph inputs. On failure
/// returns nullopt and sets `error` to one line.
std::optional<std::string> buildOnnxExportTemplate(llvm::StringRef path, std::string &error);

} // namespace mlc

#endif
