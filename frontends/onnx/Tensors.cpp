// Reading ONNX TensorProto payloads (raw_data or typed fields) into plain vectors.
#include "frontends/onnx/Tensors.h"

#include <cstring>

using namespace mlc::onnx_import;

std::vector<int64_t> mlc::onnx_import::tensorDims(const onnx::TensorProto &t) {
  return std::vector<int64_t>(t.dims().begin(), t.dims().end());
}

int64_t mlc::onnx_import::elementBytes(int32_t type) {
  switch (type) {
  case onnx::TensorProto::UINT8:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::BOOL:
    return 1;
  case onnx::TensorProto::UINT16:
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16:
    return 2;
  case onnx::TensorProto::FLOAT:
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::UINT32:
    return 4;
  case onnx::TensorProto::DOUBLE:
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::UINT64:
  case onnx::TensorProto::COMPLEX64:
    return 8;
  case onnx::TensorProto::COMPLEX128:
    return 16;
  default:
    return 0;
  }
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

std::string mlc::onnx_import::payloadMismatch(const onnx::TensorProto &t) {
  if (t.has_data_location() && t.data_location() == onnx::TensorProto::EXTERNAL)
    return "";
  int64_t n = numElements(t);
  if (n < 0)
    return "has a negative dimension or more elements than int64 counts";
  if (t.data_type() == onnx::TensorProto::STRING) {
    if (t.has_raw_data())
      return "is a string tensor with raw_data (strings live in string_data)";
    if (static_cast<int64_t>(t.string_data_size()) != n)
      return "has " + std::to_string(t.string_data_size()) + " strings for " + std::to_string(n) + " elements";
    return "";
  }
  int64_t bytes = elementBytes(t.data_type());
  if (bytes == 0)
    return "has element type " + std::to_string(t.data_type()) + ", which is not an ONNX tensor type";
  if (t.has_raw_data()) {
    // Compared as a division: n * bytes can leave int64.
    int64_t size = static_cast<int64_t>(t.raw_data().size());
    if (size % bytes != 0 || size / bytes != n)
      return "has " + std::to_string(size) + " bytes of data for " + std::to_string(n) + " elements";
    return "";
  }
  // The typed field each element type is stored in; complex numbers take two values each.
  int64_t values = 0, perElement = 1;
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT:
    values = t.float_data_size();
    break;
  case onnx::TensorProto::COMPLEX64:
    values = t.float_data_size(), perElement = 2;
    break;
  case onnx::TensorProto::DOUBLE:
    values = t.double_data_size();
    break;
  case onnx::TensorProto::COMPLEX128:
    values = t.double_data_size(), perElement = 2;
    break;
  case onnx::TensorProto::INT64:
    values = t.int64_data_size();
    break;
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64:
    values = t.uint64_data_size();
    break;
  default: // the 1- and 2-byte types, INT32 and BOOL
    values = t.int32_data_size();
    break;
  }
  if (values % perElement != 0 || values / perElement != n)
    return "has " + std::to_string(values) + " values for " + std::to_string(n) + " elements";
  return "";
}
