// The CUDA pipeline as typed code (the graph stage is the CPU pipeline's): GPU blocks and
// threads, buffers and kernels, NVVM, PTX/cubin.
#include "compiler/Pipelines/Pipelines.h"
#include "compiler/Pipelines/StagePasses.h"

#include "compiler/Codegen/Common/Passes.h"
#include "compiler/Codegen/GPU/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

bool mlc::hasTensorCores(llvm::StringRef gpuArch) {
  unsigned sm = 0;
  llvm::StringRef digits = gpuArch.drop_front(3).take_while([](char ch) { return ch >= '0' && ch <= '9'; });
  return gpuArch.starts_with("sm_") && !digits.getAsInteger(10, sm) && sm >= 80;
}

// Blocks and threads (innermost dimension on x for coalescing), one kernel per fused op. f32
// contractions stay whole for the tensor-core GEMM kernels (TF32 mma.sync needs sm_80).
static void addGPUSchedule(OpPassManager &pm, const mlc::PipelineOptions &o) {
  mlc::GPUScheduleOptions schedule;
  schedule.tensorCores = mlc::hasTensorCores(o.gpuArch);
  pm.addPass(mlc::createGPUSchedule(schedule));
  mlc::addCanonicalizeCSE(pm);
}

// Buffers (all device memory), the step ABI, one workspace; then every memory access moves into
// a kernel: mapped loop nests become gpu.launch, the rest single-thread launches.
static void addGPUBufferize(OpPassManager &pm, const mlc::PipelineOptions &o) {
  mlc::addBufferize(pm);
  pm.addPass(mlc::createFinalizeStepABI());
  pm.addPass(mlc::createPlanBuffers());
  mlc::addCanonicalizeCSE(pm);
  OpPassManager &funcs = pm.nest<func::FuncOp>();
  if (mlc::hasTensorCores(o.gpuArch)) {
    mlc::GPUMatmulOptions gemm;
    gemm.precision = o.gpuMatmulPrecision;
    funcs.addPass(mlc::createGPUMatmul(gemm));
  }
  funcs.addPass(mlc::createGPUTreeReduce());
  funcs.addPass(mlc::createGPUMapForall());
  funcs.addPass(mlc::createGPUWrapSerial());
  pm.addPass(createConvertLinalgToLoopsPass());
  mlc::addCanonicalizeCSE(pm);
}

// Kernels outlined and lowered to NVVM, serialized by LLVM's NVPTX backend (and ptxas for
// fatbin); host code calls the mgpu* runtime ABI. Every memref is static, so host functions and
// kernels both take bare pointers: the launch's argument array and the kernel's parameters must
// use the same convention (one pointer per memref). gpu-async-region chains the launches on one
// stream with a single wait at the end: the host blocks once per step, not per kernel.
static void addGPULLVMStage(OpPassManager &pm, const mlc::PipelineOptions &o) {
  pm.addPass(createGpuLauchSinkIndexComputationsPass());
  pm.addPass(createGpuKernelOutliningPass());
  pm.addPass(mlc::createGPUMergeModules());
  pm.addNestedPass<func::FuncOp>(createGpuAsyncRegionPass());
  GpuNVVMAttachTargetOptions target;
  target.chip = o.gpuArch;
  target.optLevel = 3;
  pm.addPass(createGpuNVVMAttachTarget(target));
  pm.addPass(createConvertSCFToCFPass());
  OpPassManager &kernels = pm.nest<gpu::GPUModuleOp>();
  kernels.addPass(createConvertNVGPUToNVVMPass());
  ConvertGpuOpsToNVVMOpsOptions nvvm;
  nvvm.useBarePtrCallConv = true;
  kernels.addPass(createConvertGpuOpsToNVVMOps(nvvm));
  kernels.addPass(createCanonicalizerPass());
  kernels.addPass(createCSEPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  ConvertFuncToLLVMPassOptions func;
  func.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(func));
  pm.addPass(createConvertControlFlowToLLVMPass());
  GpuToLLVMConversionPassOptions host;
  host.hostBarePtrCallConv = true;
  host.kernelBarePtrCallConv = true;
  pm.addPass(createGpuToLLVMConversionPass(host));
  pm.addPass(createReconcileUnrealizedCastsPass());
  GpuModuleToBinaryPassOptions binary;
  binary.compilationTarget = o.gpuFormat;
  binary.toolkitPath = o.cudaToolkit;
  pm.addPass(createGpuModuleToBinaryPass(binary));
  pm.addPass(createCanonicalizerPass());
}

void mlc::addCUDAStage(OpPassManager &pm, Stage stage, const PipelineOptions &o) {
  switch (stage) {
  case Stage::Graph:
    return addGraphStage(pm, o);
  // As on the CPU, but embedding adjoints stay parallel reductions (no atomics, many threads),
  // and the GEMM kernels read transposed operands in place.
  case Stage::Linalg:
    return addLinalgStage(pm, "reduce", /*transposedProducts=*/false, /*splitLongProducts=*/false);
  case Stage::Schedule:
    return addGPUSchedule(pm, o);
  case Stage::Bufferize:
    return addGPUBufferize(pm, o);
  case Stage::LLVM:
    return addGPULLVMStage(pm, o);
  }
  llvm_unreachable("unknown stage");
}
