// Stage names, stage dispatch per target, and the registration of every pipeline for mlc-opt.
#include "compiler/Pipelines/Pipelines.h"
#include "compiler/Codegen/GPU/Passes.h"
#include "compiler/Pipelines/Passes.h"
#include "compiler/Pipelines/StagePasses.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/Passes.h"

#include "mlir/Pass/PassRegistry.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;

static constexpr mlc::Stage kStages[] = {mlc::Stage::Graph, mlc::Stage::Linalg,
                                            mlc::Stage::Schedule, mlc::Stage::Bufferize,
                                            mlc::Stage::LLVM};

llvm::StringRef mlc::stageName(Stage stage) {
  switch (stage) {
  case Stage::Graph: return "graph";
  case Stage::Linalg: return "linalg";
  case Stage::Schedule: return "schedule";
  case Stage::Bufferize: return "bufferize";
  case Stage::LLVM: return "llvm";
  }
  llvm_unreachable("unknown stage");
}

std::optional<mlc::Stage> mlc::parseStage(llvm::StringRef name) {
  for (Stage s : kStages)
    if (stageName(s) == name)
      return s;
  return std::nullopt;
}

LogicalResult mlc::addStage(OpPassManager &pm, Stage stage, const PipelineOptions &options) {
  bool kernels = options.target == Target::CUDA || (options.target == Target::CUDAEmulated && stage != Stage::LLVM);
  if (options.target == Target::CPU) {
    addCPUStage(pm, stage, options);
  } else if (kernels) {
    addCUDAStage(pm, stage, options);
  } else {
    // cuda-emulated's last stage: the kernels become host loops, then the CPU's LLVM lowering.
    pm.addNestedPass<func::FuncOp>(createGPULaunchToLoops());
    pm.addPass(createCanonicalizerPass());
    addCPULLVMStage(pm);
  }
  // Every stage ends by checking what it promises the next.
  CheckStageContractOptions contract;
  contract.stage = stageName(stage).str();
  contract.target = kernels ? "cuda" : "cpu";
  pm.addPass(createCheckStageContract(contract));
  return success();
}

LogicalResult mlc::buildPipeline(OpPassManager &pm, const PipelineOptions &options,
                                    Stage last) {
  for (Stage s : kStages) {
    if (failed(addStage(pm, s, options)))
      return failure();
    if (s == last)
      break;
  }
  return success();
}

namespace {
struct PipelineCLOptions : public PassPipelineOptions<PipelineCLOptions> {
  Option<std::string> loss{*this, "loss",
                           llvm::cl::desc("cross_entropy, nll, mse, l1, huber, smooth_l1, bce_logits or bce"),
                           llvm::cl::init("cross_entropy")};
  Option<std::string> reduction{*this, "reduction", llvm::cl::desc("the loss over a batch: mean or sum"),
                                llvm::cl::init("mean")};
  Option<bool> labelSmoothing{*this, "label-smoothing",
                              llvm::cl::desc("cross_entropy takes a label_smoothing hyperparameter"),
                              llvm::cl::init(false)};
  Option<std::string> optimizer{
      *this, "optimizer", llvm::cl::desc("sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw"),
      llvm::cl::init("sgd")};
  Option<bool> channelsLast{*this, "channels-last",
                            llvm::cl::desc("convolutions and poolings channels last where that transposes less"),
                            llvm::cl::init(true)};
  Option<bool> weightDecay{*this, "weight-decay",
                           llvm::cl::desc("the optimizer takes a weight_decay hyperparameter"),
                           llvm::cl::init(false)};
  Option<bool> classWeights{*this, "class-weights", llvm::cl::desc("the loss takes class weights"),
                            llvm::cl::init(false)};
  Option<bool> decayAll{*this, "decay-all",
                        llvm::cl::desc("weight decay and L1 on every parameter, not only weights"),
                        llvm::cl::init(false)};
  Option<bool> l1{*this, "l1", llvm::cl::desc("the step takes an l1 hyperparameter"), llvm::cl::init(false)};
  Option<bool> clip{*this, "clip", llvm::cl::desc("the step takes clip_norm and clip_value hyperparameters"),
                    llvm::cl::init(false)};
  Option<int64_t> parallelChunks{*this, "parallel-chunks",
                                 llvm::cl::desc("cpu: scf.forall iterations per op"), llvm::cl::init(8)};
  Option<int64_t> vectorBits{*this, "vector-bits",
                             llvm::cl::desc("cpu: vector register width (512 AVX-512, 256 AVX2)"),
                             llvm::cl::init(512)};
  Option<bool> profile{*this, "profile",
                       llvm::cl::desc("cpu: @train_step calls mlc_profile_begin/end around each op"),
                       llvm::cl::init(false)};
  Option<std::string> target{*this, "target", llvm::cl::desc("cpu, cuda or cuda-emulated"),
                             llvm::cl::init("cpu")};
  Option<std::string> gpuArch{*this, "gpu-arch", llvm::cl::desc("cuda: sm_80, sm_90, ..."),
                              llvm::cl::init("sm_80")};
  Option<std::string> gpuFormat{*this, "gpu-format",
                                llvm::cl::desc("cuda: isa (PTX) or fatbin (cubin and PTX; needs ptxas)"),
                                llvm::cl::init("isa")};
  Option<std::string> gpuMatmulPrecision{
      *this, "gpu-matmul-precision",
      llvm::cl::desc("cuda: fp32 (3xTF32 tensor-core GEMMs) or tf32 (one TF32 pass)"),
      llvm::cl::init("fp32")};
  mlc::PipelineOptions get(mlc::Target t) const {
    mlc::PipelineOptions o;
    o.loss = loss;
    o.reduction = reduction;
    o.labelSmoothing = labelSmoothing;
    o.optimizer = optimizer;
    o.channelsLast = channelsLast;
    o.weightDecay = weightDecay;
    o.decayAll = decayAll;
    o.classWeights = classWeights;
    o.l1 = l1;
    o.clip = clip;
    o.parallelChunks = parallelChunks;
    o.vectorBits = vectorBits;
    o.profile = profile;
    o.target = t;
    o.gpuArch = gpuArch;
    o.gpuFormat = gpuFormat;
    o.gpuMatmulPrecision = gpuMatmulPrecision;
    return o;
  }
  mlc::Target parsedTarget() const {
    return target == "cuda" ? mlc::Target::CUDA
           : target == "cuda-emulated" ? mlc::Target::CUDAEmulated
                                       : mlc::Target::CPU;
  }
};
} // namespace

void mlc::registerPipelines() {
  PassPipelineRegistration<PipelineCLOptions>(
      "mlc-cpu-pipeline", "Model in the mlc dialect to LLVM dialect for the CPU (every stage)",
      [](OpPassManager &pm, const PipelineCLOptions &o) {
        (void)buildPipeline(pm, o.get(Target::CPU));
      });
  PassPipelineRegistration<PipelineCLOptions>(
      "mlc-cuda-pipeline", "Model in the mlc dialect to host LLVM dialect + GPU binaries (every stage)",
      [](OpPassManager &pm, const PipelineCLOptions &o) {
        (void)buildPipeline(pm, o.get(Target::CUDA));
      });
  // One pipeline per stage (target=cpu|cuda), so that any stage the driver runs can be rerun on
  // its input IR.
  static const std::string names[] = {"mlc-stage-graph", "mlc-stage-linalg", "mlc-stage-schedule",
                                      "mlc-stage-bufferize", "mlc-stage-llvm"};
  static const std::string descriptions[] = {
      "Stage graph: channels last, attach loss, autodiff, attach optimizer, inline",
      "Stage linalg: lower to linalg, fuse elementwise ops, update in place",
      "Stage schedule: tile for threads (cpu) or GPU blocks and threads (cuda); vectorize (cpu)",
      "Stage bufferize: bufferize, step ABI, plan the workspace; vectors (cpu) or kernels (cuda)",
      "Stage llvm: to the LLVM dialect (cuda: NVVM kernels serialized to GPU binaries)"};
  for (Stage s : kStages) {
    auto i = static_cast<size_t>(s);
    PassPipelineRegistration<PipelineCLOptions>(
        names[i], descriptions[i], [s](OpPassManager &pm, const PipelineCLOptions &o) {
          (void)addStage(pm, s, o.get(o.parsedTarget()));
        });
  }
}
