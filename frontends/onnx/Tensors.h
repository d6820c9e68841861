// Reading ONNX TensorProto payloads (raw_data or typed fields) into plain vectors.
#ifndef MLC_FRONTENDS_ONNX_TENSORS_H
#define MLC_FRONTENDS_ONNX_TENSORS_H

#include <onnx/onnx_pb.h>

#include <optional>
#include <string>
#include <vector>

namespace mlc::onnx_import {

std::vector<int64_t> tensorDims(const onnx::TensorProto &t);
/// Float values of a FLOAT tensor; nullopt (with `error`) for other types or bad sizes.
std::optional<std::vector<float>> floatValues(const onnx::TensorProto &t, std::string &error);
/// Values of a DOUBLE tensor.
std::optional<std::vector<double>> doubleValues(const onnx::TensorProto &t, std::string &error);
/// Integer values of an INT64/INT32 tensor.
std::optional<std::vector<int64_t>> intValues(const onnx::TensorProto &t, std::string &error);

} // namespace mlc::onnx_import

#endif
