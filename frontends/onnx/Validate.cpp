// Validation of an ONNX model before shape inference: attributes it divides by, shapes it multiplies.
#include "frontends/onnx/Validate.h"
#include "frontends/onnx/NodeImporter.h"
#include "frontends/onnx/Tensors.h"

#include <onnx/defs/schema.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

using namespace mlc::onnx_import;

namespace {

/// Ops whose window attributes libonnx's shape inference divides by or sizes outputs with.
const std::set<std::string> kWindowOps = {"Conv",          "ConvTranspose",    "ConvInteger",   "QLinearConv",
                                          "AveragePool",   "MaxPool",          "LpPool",        "MaxUnpool",
                                          "MaxRoiPool",    "DeformConv",       "Col2Im"};

void checkWindowAttributes(const onnx::NodeProto &node, int index) {
  if (!kWindowOps.count(node.op_type()) || !(node.domain().empty() || node.domain() == "ai.onnx"))
    return;
  for (const onnx::AttributeProto &a : node.attribute()) {
    bool positive = a.name() == "kernel_shape" || a.name() == "strides" || a.name() == "dilations";
    bool nonNegative = a.name() == "pads";
    if (a.name() == "group") {
      if (a.i() <= 0)
        throw ImportError{nodeLabel(node, index) + ": attribute 'group' is " + std::to_string(a.i()) +
                          "; it must be positive"};
      continue;
    }
    if (!positive && !nonNegative)
      continue;
    for (int64_t v : a.ints())
      if (positive ? v <= 0 : v < 0)
        throw ImportError{nodeLabel(node, index) + ": attribute '" + a.name() + "' has " + std::to_string(v) +
                          (positive ? "; each must be positive" : "; pads must not be negative")};
  }
}

/// `dims` multiplied, or an error naming `what` when a dimension is negative or the product
/// leaves int64.
void checkElements(const std::string &what, const std::vector<int64_t> &dims) {
  int64_t n = 1;
  std::string shape;
  for (int64_t d : dims)
    shape += (shape.empty() ? "" : " x ") + std::to_string(d);
  for (int64_t d : dims) {
    if (d < 0)
      throw ImportError{what + " has a negative dimension (" + shape + ")"};
    if (__builtin_mul_overflow(n, d, &n))
      throw ImportError{what + " has more elements than int64 counts (" + shape + ")"};
  }
}

void checkValueInfo(const std::string &kind, const onnx::ValueInfoProto &v) {
  if (!v.type().has_tensor_type() || !v.type().tensor_type().has_shape())
    return;
  std::vector<int64_t> dims;
  for (const auto &d : v.type().tensor_type().shape().dim())
    if (d.has_dim_value())
      dims.push_back(d.dim_value());
  checkElements(kind + " '" + v.name() + "'", dims);
}

/// Gemm's A and B must be matrices: libonnx's shape inference for Gemm (opset 6) reads two
/// dimensions of each without looking (a rank-1 initializer as A crashed it). Checked where the
/// rank is known before inference: initializers and graph inputs.
void checkGemmRanks(const onnx::NodeProto &node, int index, const std::map<std::string, int> &ranks) {
  if (node.op_type() != "Gemm" || !(node.domain().empty() || node.domain() == "ai.onnx"))
    return;
  for (int k = 0; k < std::min(node.input_size(), 2); ++k) {
    auto it = ranks.find(node.input(k));
    if (it != ranks.end() && it->second != 2)
      throw ImportError{nodeLabel(node, index) + ": input '" + node.input(k) + "' has rank " +
                        std::to_string(it->second) + "; Gemm multiplies matrices (rank 2)"};
  }
}

void checkPayload(const onnx::TensorProto &t, const std::string &what, bool mainGraph) {
  if (!mainGraph && t.has_data_location() && t.data_location() == onnx::TensorProto::EXTERNAL)
    throw ImportError{what + " is external data inside a subgraph (mlc loads it for the main graph only)"};
  std::string why = payloadMismatch(t);
  if (!why.empty())
    throw ImportError{what + " " + why};
}

/// Every tensor's payload against its dims, in `graph` and its subgraphs: libonnx's shape
/// inference copies a constant input's raw_data into a vector sized by the dims (Resize's
/// `sizes` with 20 bytes for 1 element overflowed the heap) before mlc's importer reads it.
void checkPayloads(const onnx::GraphProto &graph, bool mainGraph) {
  for (const auto &t : graph.initializer())
    checkPayload(t, "initializer '" + t.name() + "'", mainGraph);
  if (graph.sparse_initializer_size() > 0)
    throw ImportError{"sparse initializer '" + graph.sparse_initializer(0).values().name() +
                      "': mlc does not read sparse tensors (store it dense)"};
  for (int i = 0; i < graph.node_size(); ++i) {
    const onnx::NodeProto &node = graph.node(i);
    for (const onnx::AttributeProto &a : node.attribute()) {
      std::string what = nodeLabel(node, i) + ": attribute '" + a.name() + "'";
      if (a.has_t())
        checkPayload(a.t(), what, mainGraph);
      for (const auto &t : a.tensors())
        checkPayload(t, what, false);
      if (a.has_sparse_tensor() || a.sparse_tensors_size() > 0)
        throw ImportError{what + " is a sparse tensor; mlc does not read sparse tensors (store it dense)"};
      if (a.has_g())
        checkPayloads(a.g(), false);
      for (const auto &g : a.graphs())
        checkPayloads(g, false);
    }
  }
}

} // namespace

std::string mlc::onnx_import::nodeLabel(const onnx::NodeProto &node, int index) {
  std::string name = node.name();
  if (name.empty() && node.output_size() > 0)
    name = node.output(0);
  if (name.empty())
    name = index >= 0 ? "#" + std::to_string(index) : "?";
  return "node '" + name + "' (" + node.op_type() + ")";
}

void mlc::onnx_import::validateBeforeInference(const onnx::ModelProto &model) {
  const onnx::GraphProto &graph = model.graph();
  // An opset newer than libonnx knows would be read with the newest schemas it has: silently wrong
  // where an op changed.
  int64_t newest = onnx::OpSchemaRegistry::DomainToVersionRange::Instance().Map().at(onnx::ONNX_DOMAIN).second;
  for (const auto &opset : model.opset_import())
    if ((opset.domain().empty() || opset.domain() == "ai.onnx") && opset.version() > newest)
      throw ImportError{"opset " + std::to_string(opset.version()) + " is newer than this mlc reads (up to " +
                        std::to_string(newest) + "); export with opset_version=" + std::to_string(newest) +
                        " (torch.onnx.export writes GELU and the other newer ops in older forms there)"};
  std::map<std::string, int> ranks; // of the values known before inference
  for (const auto &v : graph.input())
    if (v.type().has_tensor_type() && v.type().tensor_type().has_shape())
      ranks[v.name()] = v.type().tensor_type().shape().dim_size();
  for (const auto &t : graph.initializer())
    ranks[t.name()] = t.dims_size();
  for (int i = 0; i < graph.node_size(); ++i) {
    checkWindowAttributes(graph.node(i), i);
    checkGemmRanks(graph.node(i), i, ranks);
  }
  std::set<std::string> initializers;
  for (const auto &t : graph.initializer())
    initializers.insert(t.name());
  auto requireShape = [](const std::string &kind, const onnx::ValueInfoProto &v) {
    if (v.type().has_tensor_type() && !v.type().tensor_type().has_shape())
      throw ImportError{kind + " '" + v.name() + "' has no shape"};
  };
  for (const auto &v : graph.input())
    if (!initializers.count(v.name()))
      requireShape("input", v);
  for (const auto &v : graph.output())
    requireShape("output", v);
  for (const auto &v : graph.input())
    checkValueInfo("input", v);
  for (const auto &v : graph.output())
    checkValueInfo("output", v);
  for (const auto &v : graph.value_info())
    checkValueInfo("value", v);
  for (const auto &t : graph.initializer())
    checkElements("initializer '" + t.name() + "'", std::vector<int64_t>(t.dims().begin(), t.dims().end()));
  checkPayloads(graph, true);
}

std::string mlc::onnx_import::oneLine(const std::string &message, size_t limit) {
  std::string out;
  for (char c : message) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!out.empty() && out.back() != ' ')
        out += ' ';
      continue;
    }
    out += c;
  }
  while (!out.empty() && out.back() == ' ')
    out.pop_back();
  if (out.size() > limit)
    out = out.substr(0, limit) + "...";
  return out;
}
