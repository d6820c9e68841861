// Turning a lowered training module into a native object, and an object into a trainer executable.
#ifndef MLC_COMPILER_TARGET_CPU_EMIT_H
#define MLC_COMPILER_TARGET_CPU_EMIT_H

#include "mlir/IR/BuiltinOps.h"

#include "llvm/IR/Module.h"

#include <string>
#include <vector>

namespace mlc {

/// What the runtime needs to know about a compiled model (see runtime/include/mlc_runtime.h).
struct ModelMeta {
  std::string text;              // the metadata record lines, without the workspace line
  std::vector<float> paramInit;  // every parameter's initial value, concatenated
  int64_t trainWorkspace = 0, evalWorkspace = 0;
  // One "GROUP FLOPS BYTES" per op of @train_step that the trainer's --profile times.
  std::vector<std::string> profileOps;
  // The ONNX inference model the trainer's --export completes with its weights (empty: the model
  // did not come from ONNX); format in frontends/onnx/InferenceExport.h.
  std::string exportTemplate;
  std::string fullText() const;
};

/// Reads the model description off @train_step and @eval_step after the graph stage.
mlir::FailureOr<ModelMeta> collectModelMeta(mlir::ModuleOp module, llvm::StringRef loss, llvm::StringRef reduction,
                                            llvm::StringRef optimizer, llvm::StringRef target);
/// Reads the profiled ops' records that mlc-cpu-profile-ops left on @train_step (none: fine).
void collectProfileOps(mlir::ModuleOp module, ModelMeta &meta);
/// Reads the planned workspace sizes after the bufferize stage.
mlir::LogicalResult collectWorkspaceSizes(mlir::ModuleOp module, ModelMeta &meta);

/// Translates an LLVM-dialect module, adds the packed step entry points (mlc_train_step,
/// mlc_eval_step) and the metadata globals.
std::unique_ptr<llvm::Module> translateTrainingModule(mlir::ModuleOp module, llvm::LLVMContext &ctx,
                                                      const ModelMeta &meta);

/// Adds `void mlc_<name>(void **args)` that unpacks an array of buffer pointers and calls the
/// bare-pointer function `name`: one signature for every model, whatever its parameter count.
void addPackedEntryPoint(llvm::Module &module, llvm::StringRef name);

/// Drops mlc's argument attributes (model description) before translation to LLVM IR.
void stripMlcArgAttrs(mlir::ModuleOp module);

struct HostTarget {
  std::string cpu;       // empty: the host's CPU
  std::string features;  // empty: the host's features (with an empty cpu)
};

/// The width in bits of the target's widest f32 vector registers (512 with AVX-512F, 256 with
/// AVX, 128 otherwise), which sizes the CPU schedule's register tiles; 0 with `error` set when
/// the target is unknown.
int64_t vectorBits(const HostTarget &target, std::string &error);

/// Optimizes at -O3 for the target and writes object files (temporary files, on several
/// threads: the code in pieces, the data globals apart); returns their paths.
mlir::FailureOr<std::vector<std::string>> emitObjects(llvm::Module &module, const HostTarget &target,
                                                      std::string &error);

/// Removes files (emitObjects' temporaries), ignoring errors.
void removeFiles(llvm::ArrayRef<std::string> paths);

/// Optimizes at -O3 for the target and writes one object file (or LLVM IR text with `asText`).
mlir::LogicalResult emitObject(llvm::Module &module, const HostTarget &target,
                               llvm::StringRef path, bool asText, std::string &error);

/// Links object files into one relocatable object at `outputPath` (ld -r, through clang++-19).
mlir::LogicalResult linkRelocatable(llvm::ArrayRef<std::string> objects, llvm::StringRef outputPath,
                                    std::string &error);

/// Links `objects` with the mlc runtime (found beside the running mlc) into an executable.
mlir::LogicalResult linkTrainer(llvm::ArrayRef<std::string> objects, llvm::StringRef outputPath,
                                std::string &error);

} // namespace mlc

#endif
