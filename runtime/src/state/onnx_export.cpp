// Protobuf wire format by hand (varints and length-delimited fields): the runtime links no protobuf.
#include "state/onnx_export.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/error.h"

namespace mlc {
namespace {

// Field numbers of onnx.proto: ModelProto.graph, GraphProto.initializer, TensorProto's fields.
constexpr unsigned kModelGraph = 7, kGraphInitializer = 5;
constexpr unsigned kTensorDims = 1, kTensorDataType = 2, kTensorName = 8, kTensorRawData = 9;
constexpr unsigned kFloat = 1;  // TensorProto.DataType.FLOAT
constexpr unsigned kVarint = 0, kLengthDelimited = 2;

void varint(std::string& out, std::uint64_t v) {
  while (v >= 0x80) {
    out += static_cast<char>((v & 0x7f) | 0x80);
    v >>= 7;
  }
  out += static_cast<char>(v);
}

void tag(std::string& out, unsigned field, unsigned wire) { varint(out, (field << 3) | wire); }

void bytes_field(std::string& out, unsigned field, const void* data, std::size_t size) {
  tag(out, field, kLengthDelimited);
  varint(out, size);
  out.append(static_cast<const char*>(data), size);
}

std::string tensor_proto(const ExportTensor& t) {
  std::string out;
  std::size_t count = 1;
  for (std::size_t d : t.dims) {
    tag(out, kTensorDims, kVarint);
    varint(out, d);
    count *= d;
  }
  tag(out, kTensorDataType, kVarint);
  varint(out, kFloat);
  bytes_field(out, kTensorName, t.name.data(), t.name.size());
  // raw_data is little-endian, as the host's floats are.
  bytes_field(out, kTensorRawData, t.values, count * sizeof(float));
  return out;
}

}  // namespace

void write_onnx_export(const std::string& path, const std::uint8_t* tmpl, std::size_t tmpl_size,
                       const std::vector<ExportTensor>& tensors) {
  if (tmpl == nullptr || tmpl_size < 8) {
    throw Error("--export: this trainer was not compiled from an ONNX model (nothing to export into)");
  }
  std::uint64_t prefix = 0;
  for (int i = 7; i >= 0; --i) prefix = (prefix << 8) | tmpl[i];
  if (prefix > tmpl_size - 8) throw Error("--export: the trainer's ONNX template is malformed");
  std::string initializers;
  for (const ExportTensor& t : tensors) {
    const std::string proto = tensor_proto(t);
    bytes_field(initializers, kGraphInitializer, proto.data(), proto.size());
  }
  const char* graph = reinterpret_cast<const char*>(tmpl) + 8 + prefix;
  const std::size_t graph_size = tmpl_size - 8 - prefix;
  std::string head(reinterpret_cast<const char*>(tmpl) + 8, prefix);
  tag(head, kModelGraph, kLengthDelimited);
  varint(head, graph_size + initializers.size());

  const std::string tmp = path + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (!f) throw Error(path + ": cannot write the ONNX export: " + std::strerror(errno));
  bool ok = std::fwrite(head.data(), 1, head.size(), f) == head.size() &&
            std::fwrite(graph, 1, graph_size, f) == graph_size &&
            std::fwrite(initializers.data(), 1, initializers.size(), f) == initializers.size();
  ok = (std::fclose(f) == 0) && ok;
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    throw Error(path + ": error writing the ONNX export");
  }
}

}  // namespace mlc
