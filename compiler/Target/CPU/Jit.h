// Compiling mlc-dialect functions for the host and running them in-process (gradient checks,
// the ONNX conformance runner).
#ifndef MLC_COMPILER_TARGET_CPU_JIT_H
#define MLC_COMPILER_TARGET_CPU_JIT_H

#include "compiler/Pipelines/Pipelines.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/IR/BuiltinOps.h"

#include "llvm/ADT/StringMap.h"

#include <memory>
#include <string>

namespace mlc {

class JitModule {
public:
  /// Lowers `module` (functions of mlc ops on tensors) through the linalg, schedule, bufferize
  /// and llvm stages and JIT-compiles the functions `names`. `kernelTarget` CUDAEmulated runs the
  /// CUDA pipeline's kernels on the host as loops. On failure returns null and sets `error`.
  static std::unique_ptr<JitModule> compile(mlir::ModuleOp module, llvm::ArrayRef<std::string> names,
                                            Target kernelTarget, std::string &error);

  /// Calls `name` with one pointer per argument, then one per result (bufferized functions
  /// write their results into caller buffers), and a fresh workspace.
  void call(llvm::StringRef name, llvm::ArrayRef<void *> buffers);

private:
  std::unique_ptr<mlir::ExecutionEngine> engine;
  llvm::StringMap<int64_t> workspaceBytes;
  llvm::StringMap<void (*)(void **)> entryPoints;
};

} // namespace mlc

#endif
