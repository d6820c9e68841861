// Imports an ONNX model as the mlc dialect's @forward function.
#ifndef MLC_FRONTENDS_ONNX_IMPORTER_H
#define MLC_FRONTENDS_ONNX_IMPORTER_H

#include "dialects/Mlc/WinogradConv.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <string>
#include <vector>

namespace mlc {

struct OnnxImportOptions {
  /// The batch size: replaces the first dimension of the model's input (symbolic or fixed).
  /// 0 keeps a fixed dimension from the file.
  int64_t batch = 0;
  /// Imports the graph as it is, for inference (the conformance runner): every graph input is an
  /// argument (float32, float64, int32 or int64, static shapes), every output a result, and float
  /// initializers are constants rather than trainable parameters.
  bool wholeGraph = false;
  /// With wholeGraph: a TensorProto file per graph input (those without initializers, in order).
  /// Inputs that only feed operands mlc needs at compile time (a Reshape's shape, a Slice's
  /// starts, split sizes, Range's bounds, ...) become constants of these values; the others stay
  /// arguments.
  std::vector<std::string> inputValueFiles;
  /// How dense 3x3 stride-1 convolutions are built (mlc compile --conv).
  ConvAlgorithm convAlgorithm = ConvAlgorithm::Auto;
};

/// Loads, checks and imports `path`. On failure returns null and sets `error` to one line that
/// names the culprit (file, node and op type).
mlir::OwningOpRef<mlir::ModuleOp> importOnnxModel(llvm::StringRef path, mlir::MLIRContext &ctx,
                                                  const OnnxImportOptions &options,
                                                  std::string &error);

} // namespace mlc

#endif
