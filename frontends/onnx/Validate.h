// Checks of an ONNX model that must hold before libonnx's shape inference or mlc's importer sees it.
#ifndef MLC_FRONTENDS_ONNX_VALIDATE_H
#define MLC_FRONTENDS_ONNX_VALIDATE_H

#include <onnx/onnx_pb.h>

#include <string>

namespace mlc::onnx_import {

/// "node 'name' (Op)", or the node's first output, or its index when it has neither.
std::string nodeLabel(const onnx::NodeProto &node, int index = -1);

/// Throws ImportError naming the culprit for what would crash, overflow or be misread later: an
/// opset newer than libonnx's schemas, graph inputs or outputs without a shape, window
/// attributes (kernel_shape, strides, dilations, group) that are not positive or pads that are
/// negative in convolutions and poolings (libonnx's shape inference divides by them), and shapes
/// of inputs, outputs, value_info and initializers with a negative dimension or more elements than
/// int64 counts, and tensors (initializers, attributes, subgraphs) whose data does not hold exactly
/// the elements their dims declare.
void validateBeforeInference(const onnx::ModelProto &model);

/// libonnx's multi-line messages as one line: runs of whitespace become one space, the result is
/// cut at `limit` characters.
std::string oneLine(const std::string &message, size_t limit = 400);

} // namespace mlc::onnx_import

#endif
