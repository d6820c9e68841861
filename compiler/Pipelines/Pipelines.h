// mlc's pass pipelines: a training graph from a model, and its lowering for a target, as named
// stages built from typed pass constructors.
#ifndef MLC_COMPILER_PIPELINES_PIPELINES_H
#define MLC_COMPILER_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassManager.h"

#include <optional>
#include <string>

namespace mlc {

/// The stages of every target's pipeline, in order. The driver can stop after any of them.
enum class Stage { Graph, Linalg, Schedule, Bufferize, LLVM };

/// CUDAEmulated compiles the CUDA pipeline's kernels but runs them on the host as loops
/// (mlc-gpu-launch-to-loops), so that their numerics can be tested without a GPU.
enum class Target { CPU, CUDA, CUDAEmulated };

struct PipelineOptions {
  std::string loss = "cross_entropy";
  std::string reduction = "mean";  // how the loss's terms combine over a batch: mean or sum
  bool labelSmoothing = false;     // cross_entropy takes a label_smoothing hyperparameter
  bool classWeights = false;       // the loss takes class weights
  std::string optimizer = "sgd";
  bool channelsLast = true;     // convolutions and poolings channels last where that transposes less
  bool weightDecay = false;     // the optimizer takes a weight_decay hyperparameter
  bool decayAll = false;        // weight decay and L1 on every parameter, not only weights
  bool l1 = false;              // the step takes an l1 hyperparameter
  bool clip = false;            // the step takes clip_norm and clip_value hyperparameters
  int64_t parallelChunks = 8;   // cpu: scf.forall iterations per op
  int64_t vectorBits = 512;     // cpu: the target's vector register width (register tiles)
  bool profile = false;         // cpu: @train_step calls the runtime's --profile hooks per op
  Target target = Target::CPU;
  std::string gpuArch = "sm_80"; // cuda: the chip PTX is generated for
  std::string gpuFormat = "isa"; // cuda: isa (PTX) or fatbin (cubin + PTX, needs ptxas)
  std::string gpuMatmulPrecision = "fp32"; // cuda: fp32 (3xTF32) or tf32 tensor-core GEMMs
  std::string cudaToolkit = "/usr/local/cuda";
};

/// Stage names as the driver's --stage takes them ("graph", "linalg", ...).
llvm::StringRef stageName(Stage stage);
std::optional<Stage> parseStage(llvm::StringRef name);
/// Whether `gpuArch` (sm_XY) has the TF32 tensor cores that mlc-gpu-matmul's kernels use.
bool hasTensorCores(llvm::StringRef gpuArch);
/// Appends one stage to a pass manager anchored on builtin.module: its passes, constructed with
/// their options (compiler/Pipelines/{CPU,CUDA}Pipeline.cpp), then the stage's contract check.
mlir::LogicalResult addStage(mlir::OpPassManager &pm, Stage stage, const PipelineOptions &options);
/// Appends the stages up to and including `last`.
mlir::LogicalResult buildPipeline(mlir::OpPassManager &pm, const PipelineOptions &options,
                                  Stage last = Stage::LLVM);

/// Registers mlc-cpu-pipeline, mlc-cuda-pipeline and one pipeline per stage
/// (mlc-stage-graph, ...; with target=cuda for the CUDA variant) for mlc-opt.
void registerPipelines();

} // namespace mlc

#endif
