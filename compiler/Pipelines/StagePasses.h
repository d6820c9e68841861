// The stage builders the CPU and CUDA pipelines are made of (typed: passes constructed with their
// options), shared between the two targets where a stage is the same.
#ifndef MLC_COMPILER_PIPELINES_STAGEPASSES_H
#define MLC_COMPILER_PIPELINES_STAGEPASSES_H

#include "compiler/Pipelines/Pipelines.h"

namespace mlc {

void addCanonicalizeCSE(mlir::OpPassManager &pm);
/// Loss, autodiff, optimizer, inlining; the same for every target.
void addGraphStage(mlir::OpPassManager &pm, const PipelineOptions &options);
/// mlc -> linalg with convert-mlc-to-linalg's gather-grad strategy and whether large transposed
/// right-hand sides are avoided (CPU) or read in place (CUDA) and whether long weight-gradient
/// contractions are split into slices (CPU); fusion; in-place updates.
void addLinalgStage(mlir::OpPassManager &pm, llvm::StringRef gatherGrad, bool transposedProducts,
                    bool splitLongProducts);
/// One-shot bufferization of the whole module (identity layouts at function boundaries).
void addBufferize(mlir::OpPassManager &pm);
/// The CPU's lowering to the LLVM dialect (also the host half of cuda-emulated).
void addCPULLVMStage(mlir::OpPassManager &pm);

void addCPUStage(mlir::OpPassManager &pm, Stage stage, const PipelineOptions &options);
void addCUDAStage(mlir::OpPassManager &pm, Stage stage, const PipelineOptions &options);

} // namespace mlc

#endif
