// Reading ONNX TensorProto payloads (raw_data or typed fields) into plain vectors.
#include "frontends/onnx/Tensors.h"

#include <cstring>

using namespace mlc::onnx_import;

std::vector<int64_t> mlc::onnx_import::tensorDims(const onnx::TensorProto &t) {
  return std::vector<int64_t>(t.dims().begin(), t.dims().end());
}

/// The element count of `t`'s dims, or -1 when a dimension is negative or the count leaves int64
/// (a constant's dims are not checked before import as initializers are).
static int64_t numElements(const onnx::TensorProto &t) {
  int64_t n = 1;
  for (int64_t d : t.dims())
    if (d < 0 || __builtin_mul_overflow(n, d, &n))
      return -1;
  return n;
}

template <typename T, typename Field>
static std::optional<std::vector<T>> read(const onnx::TensorProto &t, const Field &field,
                                          std::string &error) {
  int64_t n = numElements(t);
  if (n < 0) {
    error = "tensor '" + t.name() + "' has a negative dimension or more elements than int64 counts";
    return std::nullopt;
  }
  if (t.has_data_location() && t.data_location() == onnx::TensorProto::EXTERNAL) {
    error = "tensor '" + t.name() + "' uses external data where mlc does not load it (only initializers and Constant nodes of the main graph)";
    return std::nullopt;
  }
  std::vector<T> out;
  if (t.has_raw_data()) {
    // Compared as a division: n * sizeof(T) can leave int64.
    if (t.raw_data().size() % sizeof(T) != 0 || static_cast<int64_t>(t.raw_data().size() / sizeof(T)) != n) {
      error = "tensor '" + t.name() + "' has " + std::to_string(t.raw_data().size()) +
              " bytes of data for " + std::to_string(n) + " elements";
      return std::nullopt;
    }
    out.resize(n);
    if (n > 0) // memcpy into an empty vector's null data is undefined even for 0 bytes
      std::memcpy(out.data(), t.raw_data().data(), t.raw_data().size());
    return out;
  }
  if (static_cast<int64_t>(field.size()) != n) {
    error = "tensor '" + t.name() + "' has " + std::to_string(field.size()) + " values for " +
            std::to_string(n) + " elements";
    return std::nullopt;
  }
  out.assign(field.begin(), field.end());
  return out;
}

std::optional<std::vector<float>> mlc::onnx_import::floatValues(const onnx::TensorProto &t,
                                                                std::string &error) {
  if (t.data_type() != onnx::TensorProto::FLOAT) {
    error = "tensor '" + t.name() + "' is not float32";
    return std::nullopt;
  }
  return read<float>(t, t.float_data(), error);
}

std::optional<std::vector<double>> mlc::onnx_import::doubleValues(const onnx::TensorProto &t,
                                                                  std::string &error) {
  if (t.data_type() != onnx::TensorProto::DOUBLE) {
    error = "tensor '" + t.name() + "' is not float64";
    return std::nullopt;
  }
  return read<double>(t, t.double_data(), error);
}

std::optional<std::vector<int64_t>> mlc::onnx_import::intValues(const onnx::TensorProto &t,
                                                                std::string &error) {
  if (t.data_type() == onnx::TensorProto::INT64)
    return read<int64_t>(t, t.int64_data(), error);
  if (t.data_type() == onnx::TensorProto::INT32) {
    auto v = read<int32_t>(t, t.int32_data(), error);
    if (!v)
      return std::nullopt;
    return std::vector<int64_t>(v->begin(), v->end());
  }
  if (t.data_type() == onnx::TensorProto::BOOL) {
    // Bools: one byte each in raw_data, or int32 values in int32_data.
    if (!t.has_raw_data()) {
      auto v = read<int32_t>(t, t.int32_data(), error);
      return v ? std::optional<std::vector<int64_t>>(std::vector<int64_t>(v->begin(), v->end())) : std::nullopt;
    }
    auto v = read<uint8_t>(t, t.int32_data(), error);
    return v ? std::optional<std::vector<int64_t>>(std::vector<int64_t>(v->begin(), v->end())) : std::nullopt;
  }
  error = "tensor '" + t.name() + "' is not an integer tensor";
  return std::nullopt;
}
