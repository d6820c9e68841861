// Loading ONNX tensors stored as external data (files beside the model), confined to the model's directory.
#ifndef MLC_FRONTENDS_ONNX_EXTERNALDATA_H
#define MLC_FRONTENDS_ONNX_EXTERNALDATA_H

#include <onnx/onnx_pb.h>

#include <string>

namespace mlc::onnx_import {

/// Reads the external data of the main graph's initializers and of its Constant nodes' tensors
/// into their raw_data, so what follows sees ordinary tensors. Each `location` must name a regular
/// file inside `modelDir` (a relative path without "..", not reaching out through a symbolic
/// link); `offset` and `length` must be decimal byte counts; the tensor's size (dims x element
/// size) must equal `length` when given and fit the file from `offset`, all checked before
/// anything is allocated. Throws ImportError naming the tensor and the file otherwise.
void loadExternalData(onnx::ModelProto &model, const std::string &modelDir);

} // namespace mlc::onnx_import

#endif
