// Graph surgery for --export: the training-mode graph as PyTorch exported it, turned into inference form.
#include "frontends/onnx/InferenceExport.h"
#include "frontends/onnx/ExternalData.h"
#include "frontends/onnx/NodeImporter.h"

#include "llvm/Support/Path.h"

#include <onnx/onnx_pb.h>

#include <fstream>
#include <set>

namespace {

void setInferenceBatchNorm(onnx::NodeProto &node) {
  // Inference form: Y from the running statistics. Opset 14+ says so with training_mode=0 (its
  // default); older opsets by having one output.
  for (int i = node.attribute_size() - 1; i >= 0; --i) {
    if (node.attribute(i).name() == "training_mode")
      node.mutable_attribute()->DeleteSubrange(i, 1);
  }
  while (node.output_size() > 1)
    node.mutable_output()->RemoveLast();
}

} // namespace

std::optional<std::string> mlc::buildOnnxExportTemplate(llvm::StringRef path, std::string &error) {
  std::ifstream in(path.str(), std::ios::binary);
  onnx::ModelProto model;
  if (!in || !model.ParseFromIstream(&in)) {
    error = path.str() + ": cannot read the model for --export";
    return std::nullopt;
  }
  // The exported model is self-contained: tensors that stay in it (integer constants) are embedded.
  try {
    mlc::onnx_import::loadExternalData(model, llvm::sys::path::parent_path(path).str());
  } catch (const mlc::onnx_import::ImportError &e) {
    error = path.str() + ": " + e.message;
    return std::nullopt;
  }
  onnx::GraphProto graph = model.graph();
  // Outputs that training-only nodes produced and inference drops (Dropout masks, BN statistics).
  std::set<std::string> dropped;
  for (onnx::NodeProto &node : *graph.mutable_node()) {
    if (node.domain().empty() && node.op_type() == "Dropout") {
      for (int i = 1; i < node.output_size(); ++i)
        dropped.insert(node.output(i));
      node.set_op_type("Identity");
      node.clear_attribute();
      while (node.input_size() > 1)
        node.mutable_input()->RemoveLast();
      while (node.output_size() > 1)
        node.mutable_output()->RemoveLast();
    } else if (node.domain().empty() && node.op_type() == "BatchNormalization") {
      for (int i = 1; i < node.output_size(); ++i)
        dropped.insert(node.output(i));
      setInferenceBatchNorm(node);
    }
  }
  for (const onnx::NodeProto &node : graph.node()) {
    for (const std::string &input : node.input()) {
      if (dropped.count(input)) {
        error = path.str() + ": --export: node '" + node.name() + "' (" + node.op_type() + ") reads '" + input +
                "', a training-only output that the inference model does not have";
        return std::nullopt;
      }
    }
  }
  for (int i = graph.output_size() - 1; i >= 0; --i) {
    if (dropped.count(graph.output(i).name()))
      graph.mutable_output()->DeleteSubrange(i, 1);
  }
  // Constants that only fed the removed training inputs (Dropout's ratio and training_mode).
  std::set<std::string> used;
  for (const onnx::NodeProto &node : graph.node())
    used.insert(node.input().begin(), node.input().end());
  for (const onnx::ValueInfoProto &out : graph.output())
    used.insert(out.name());
  for (int i = graph.node_size() - 1; i >= 0; --i) {
    const onnx::NodeProto &node = graph.node(i);
    if (node.domain().empty() && node.op_type() == "Constant" && node.output_size() == 1 && !used.count(node.output(0)))
      graph.mutable_node()->DeleteSubrange(i, 1);
  }
  // The trainer writes its parameters and buffers back under these names.
  std::set<std::string> trained;
  for (int i = graph.initializer_size() - 1; i >= 0; --i) {
    if (graph.initializer(i).data_type() == onnx::TensorProto::FLOAT) {
      trained.insert(graph.initializer(i).name());
      graph.mutable_initializer()->DeleteSubrange(i, 1);
    }
  }
  for (int i = graph.input_size() - 1; i >= 0; --i) {
    if (trained.count(graph.input(i).name()))
      graph.mutable_input()->DeleteSubrange(i, 1);
  }
  graph.clear_value_info();  // inferred shapes of training-only values; ONNX infers them again
  model.clear_graph();
  model.add_metadata_props()->set_key("mlc.export");
  model.mutable_metadata_props()->rbegin()->set_value("inference model with weights trained by mlc");

  std::string prefix = model.SerializeAsString(), body = graph.SerializeAsString();
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i)
    out[i] = static_cast<char>((static_cast<uint64_t>(prefix.size()) >> (8 * i)) & 0xff);
  return out + prefix + body;
}
