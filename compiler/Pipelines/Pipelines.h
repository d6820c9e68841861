// mlc's pass pipelines: a training graph from a model, and its CPU lowering, as named stages.
#ifndef MLC_COMPILER_PIPELINES_PIPELINES_H
#define MLC_COMPILER_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"

#include <optional>
#include <string>

namespace mlc {

/// The stages of the CPU pipeline, in order. The driver can stop after any of them.
enum class CPUStage { Graph, Linalg, Schedule, Bufferize, LLVM };

struct CPUPipelineOptions {
  std::string loss = "cross_entropy";
  std::string optimizer = "sgd";
  int64_t parallelChunks = 8;
};

/// Stage names as the driver's --stop-after takes them ("graph", "linalg", ...).
llvm::StringRef stageName(CPUStage stage);
std::optional<CPUStage> parseStage(llvm::StringRef name);
/// The textual pass pipeline of one stage (runs on builtin.module).
std::string stagePipeline(CPUStage stage, const CPUPipelineOptions &options);
/// Appends one stage to a pass manager anchored on builtin.module.
mlir::LogicalResult addStage(mlir::OpPassManager &pm, CPUStage stage, const CPUPipelineOptions &options);
/// Appends the stages up to and including `last`.
mlir::LogicalResult buildCPUPipeline(mlir::OpPassManager &pm, const CPUPipelineOptions &options,
                                     CPUStage last = CPUStage::LLVM);

/// Registers mlc-cpu-pipeline and one pipeline per stage (mlc-stage-graph, ...) for mlc-opt.
void registerPipelines();

} // namespace mlc

#endif
