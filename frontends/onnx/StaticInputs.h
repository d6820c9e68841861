// Whole-graph imports (the conformance runner): graph inputs that only feed operands mlc needs at
// compile time (shapes, axes, split sizes, repeats, pads, Range's bounds), specialized to given values.
#ifndef MLC_FRONTENDS_ONNX_STATICINPUTS_H
#define MLC_FRONTENDS_ONNX_STATICINPUTS_H

#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

namespace mlc::onnx_import {

/// Whether input `index` of `node` must be known at compile time in mlc (a Reshape's shape, a
/// Slice's starts, ...): mlc compiles static shapes, so these are constants or folded at import.
bool isStaticOperand(const onnx::NodeProto &node, int index, int64_t opset);

/// `valueFiles` holds a TensorProto file per graph input without an initializer, in graph order.
/// Each input whose every use is a static operand (integers mostly; Range's bounds may be floats)
/// becomes an initializer with its file's values (the input stays listed, as ONNX allows, so it is no longer an argument). Throws
/// ImportError when a file is missing or unreadable or the counts disagree.
void specializeStaticInputs(onnx::ModelProto &model, const std::vector<std::string> &valueFiles);

} // namespace mlc::onnx_import

#endif
