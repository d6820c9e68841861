// The CPU pipeline, as a straight list of named stages; each stage is a textual pass pipeline so
// that `mlc-opt --pass-pipeline=...` reproduces exactly what the driver runs.
#include "compiler/Pipelines/Pipelines.h"

#include "mlir/Pass/PassRegistry.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;

static constexpr mlc::CPUStage kStages[] = {mlc::CPUStage::Graph, mlc::CPUStage::Linalg,
                                            mlc::CPUStage::Schedule, mlc::CPUStage::Bufferize,
                                            mlc::CPUStage::LLVM};

llvm::StringRef mlc::stageName(CPUStage stage) {
  switch (stage) {
  case CPUStage::Graph: return "graph";
  case CPUStage::Linalg: return "linalg";
  case CPUStage::Schedule: return "schedule";
  case CPUStage::Bufferize: return "bufferize";
  case CPUStage::LLVM: return "llvm";
  }
  llvm_unreachable("unknown stage");
}

std::optional<mlc::CPUStage> mlc::parseStage(llvm::StringRef name) {
  for (CPUStage s : kStages)
    if (stageName(s) == name)
      return s;
  return std::nullopt;
}

std::string mlc::stagePipeline(CPUStage stage, const CPUPipelineOptions &o) {
  switch (stage) {
  // Model + loss + optimizer -> @train_step / @eval_step in the mlc dialect.
  case CPUStage::Graph:
    return llvm::formatv("builtin.module(mlc-attach-loss{{loss={0}}, mlc-autodiff{{function=loss}, "
                         "mlc-attach-optimizer{{optimizer={1}}, inline, symbol-dce, canonicalize, cse)",
                         o.loss, o.optimizer);
  // mlc -> linalg on tensors; elementwise chains fused; updates computed into their arguments.
  case CPUStage::Linalg:
    return "builtin.module(convert-mlc-to-linalg, canonicalize, cse, linalg-fuse-elementwise-ops, "
           "mlc-update-in-place, canonicalize, cse)";
  // Threads (scf.forall), register tiles, vectors.
  case CPUStage::Schedule:
    return llvm::formatv("builtin.module(mlc-cpu-schedule{{parallel-chunks={0}}, canonicalize, cse)",
                         o.parallelChunks);
  // Buffers: in place where possible, the step ABI, vector lowering, one planned workspace.
  // Vector hoisting runs while temporaries are still distinct allocations: once they are views
  // of one workspace, they may alias as far as the hoisting can tell.
  case CPUStage::Bufferize:
    return "builtin.module(one-shot-bufferize{bufferize-function-boundaries "
           "function-boundary-type-conversion=identity-layout-map}, canonicalize, cse, "
           "mlc-finalize-step-abi, func.func(mlc-cpu-lower-vectors), canonicalize, cse, "
           "mlc-plan-buffers, canonicalize, cse)";
  // Loops, OpenMP, LLVM dialect (memrefs passed as bare pointers: every shape is static). Math
  // ops become LLVM intrinsics where one exists (sqrt, fma stay vector instructions); the rest
  // (f64 tanh, ...) become libm calls, before vectors are lowered since that unrolls them.
  case CPUStage::LLVM:
    return "builtin.module(convert-linalg-to-loops, scf-forall-to-parallel, convert-scf-to-openmp, "
           "convert-vector-to-scf, convert-math-to-llvm, convert-math-to-libm, expand-strided-metadata, lower-affine, finalize-memref-to-llvm, "
           "convert-scf-to-cf, convert-vector-to-llvm, "
           "convert-arith-to-llvm, convert-index-to-llvm, "
           "convert-func-to-llvm{use-bare-ptr-memref-call-conv=1}, convert-cf-to-llvm, "
           "convert-openmp-to-llvm, reconcile-unrealized-casts, canonicalize)";
  }
  llvm_unreachable("unknown stage");
}

LogicalResult mlc::addStage(OpPassManager &pm, CPUStage stage, const CPUPipelineOptions &options) {
  // `pm` is anchored on builtin.module already: add the passes inside the stage's anchor.
  std::string text = stagePipeline(stage, options);
  return parsePassPipeline(StringRef(text).drop_front(strlen("builtin.module(")).drop_back(), pm);
}

LogicalResult mlc::buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options,
                                    CPUStage last) {
  for (CPUStage s : kStages) {
    if (failed(addStage(pm, s, options)))
      return failure();
    if (s == last)
      break;
  }
  return success();
}

namespace {
struct CPUPipelineCLOptions : public PassPipelineOptions<CPUPipelineCLOptions> {
  Option<std::string> loss{*this, "loss", llvm::cl::desc("cross_entropy or mse"),
                           llvm::cl::init("cross_entropy")};
  Option<std::string> optimizer{*this, "optimizer", llvm::cl::desc("sgd or adam"),
                                llvm::cl::init("sgd")};
  Option<int64_t> parallelChunks{*this, "parallel-chunks",
                                 llvm::cl::desc("scf.forall iterations per op"), llvm::cl::init(8)};
  mlc::CPUPipelineOptions get() const { return {loss, optimizer, parallelChunks}; }
};
} // namespace

void mlc::registerPipelines() {
  PassPipelineRegistration<CPUPipelineCLOptions>(
      "mlc-cpu-pipeline", "Model in the mlc dialect to LLVM dialect (every stage)",
      [](OpPassManager &pm, const CPUPipelineCLOptions &o) {
        (void)buildCPUPipeline(pm, o.get());
      });
  // One pipeline per stage, so that any stage the driver runs can be rerun on its input IR.
  static const std::string names[] = {"mlc-stage-graph", "mlc-stage-linalg", "mlc-stage-schedule",
                                      "mlc-stage-bufferize", "mlc-stage-llvm"};
  static const std::string descriptions[] = {
      "Stage graph: attach loss, autodiff, attach optimizer, inline",
      "Stage linalg: lower to linalg, fuse elementwise ops, update in place",
      "Stage schedule: tile for threads and registers, vectorize",
      "Stage bufferize: bufferize, step ABI, lower vectors, plan the workspace",
      "Stage llvm: OpenMP, vector, math, memref, func to the LLVM dialect"};
  for (CPUStage s : kStages) {
    auto i = static_cast<size_t>(s);
    PassPipelineRegistration<CPUPipelineCLOptions>(
        names[i], descriptions[i], [s](OpPassManager &pm, const CPUPipelineCLOptions &o) {
          (void)addStage(pm, s, o.get());
        });
  }
}
