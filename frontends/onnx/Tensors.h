// Reading ONNX TensorProto payloads (raw_data or typed fields) into plain vectors.
#ifndef MLC_FRONTENDS_ONNX_TENSORS_H
#define MLC_FRONTENDS_ONNX_TENSORS_H

#include <onnx/onnx_pb.h>

#include <optional>
#include <string>
#include <vector>

namespace mlc::onnx_import {

std::vector<int64_t> tensorDims(const onnx::TensorProto &t);
/// Bytes per element of the fixed-size element types; 0 for strings and unknown types.
int64_t elementBytes(int32_t type);
/// Why `t`'s inline payload (raw_data or its typed field) does not hold exactly the elements its
/// dims declare, or "" when it does. External tensors are the external-data loader's to check.
std::string payloadMismatch(const onnx::TensorProto &t);
/// Float values of a FLOAT tensor; nullopt (with `error`) for other types or bad sizes.
std::optional<std::vector<float>> floatValues(const onnx::TensorProto &t, std::string &error);
/// Values of a DOUBLE tensor.
std::optional<std::vector<double>> doubleValues(const onnx::TensorProto &t, std::string &error);
/// Integer values of an INT64/INT32 tensor.
std::optional<std::vector<int64_t>> intValues(const onnx::TensorProto &t, std::string &error);

} // namespace mlc::onnx_import

#endif
