// Whole-graph imports (the conformance runner): graph inputs that only feed operands mlc needs at
// compile time (shapes, axes, split sizes, repeats, pads, Range's bounds), specialized to given values.
#include "frontends/onnx/StaticInputs.h"
#include "frontends/onnx/NodeImporter.h"

#include <fstream>
#include <map>
#include <set>

using namespace mlc::onnx_import;

bool mlc::onnx_import::isStaticOperand(const onnx::NodeProto &node, int index, int64_t opset) {
  const std::string &op = node.op_type();
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return false;
  if (op == "Reshape" || op == "Expand" || op == "Tile")
    return index == 1;
  if (op == "ConstantOfShape")
    return index == 0;
  if (op == "Range")
    return true;
  if (op == "CumSum" || op == "Trilu" || op == "Upsample" || op == "OneHot")
    return index == 1;
  if (op == "Resize")
    return index >= 1;
  if (op == "Slice")
    return opset >= 10 && index >= 1;
  if (op == "Split" || op == "Squeeze" || op == "Unsqueeze" || op == "ReduceSum")
    return opset >= 13 && index == 1;
  if (op == "Pad")
    return opset >= 11 && (index == 1 || index == 3);
  return false;
}

void mlc::onnx_import::specializeStaticInputs(onnx::ModelProto &model, const std::vector<std::string> &valueFiles) {
  onnx::GraphProto *graph = model.mutable_graph();
  int64_t opset = 1;
  for (const auto &o : model.opset_import())
    if (o.domain().empty() || o.domain() == "ai.onnx")
      opset = o.version();
  std::set<std::string> initialized;
  for (const auto &t : graph->initializer())
    initialized.insert(t.name());
  // Per value: whether every use is a static operand (and there is one).
  std::map<std::string, bool> onlyStatic;
  for (const auto &node : graph->node())
    for (int i = 0; i < node.input_size(); ++i) {
      bool isStatic = isStaticOperand(node, i, opset);
      auto [it, fresh] = onlyStatic.emplace(node.input(i), isStatic);
      if (!fresh)
        it->second = it->second && isStatic;
    }
  std::vector<const onnx::ValueInfoProto *> arguments;
  for (const auto &in : graph->input())
    if (!initialized.count(in.name()))
      arguments.push_back(&in);
  if (arguments.size() != valueFiles.size())
    throw ImportError{"the graph takes " + std::to_string(arguments.size()) + " inputs; " +
                      std::to_string(valueFiles.size()) + " value files were given"};
  for (size_t k = 0; k < arguments.size(); ++k) {
    const onnx::ValueInfoProto &in = *arguments[k];
    auto use = onlyStatic.find(in.name());
    if (use == onlyStatic.end() || !use->second)
      continue;
    std::ifstream file(valueFiles[k], std::ios::binary);
    onnx::TensorProto value;
    if (!file || !value.ParseFromIstream(&file))
      throw ImportError{"cannot read the value of input '" + in.name() + "' from '" + valueFiles[k] + "'"};
    value.set_name(in.name());
    *graph->add_initializer() = std::move(value);
  }
}
