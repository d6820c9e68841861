// The CUDA pipeline, as a straight list of named stages (the graph and linalg stages are the
// CPU pipeline's): GPU blocks and threads, buffers and kernels, NVVM, PTX/cubin.
#include "compiler/Pipelines/Pipelines.h"

#include "llvm/Support/FormatVariadic.h"

std::string mlc::cudaStagePipeline(Stage stage, const PipelineOptions &o) {
  switch (stage) {
  case Stage::Graph:
  case Stage::Linalg:
    return cpuStagePipeline(stage, o);
  // Blocks and threads (innermost dimension on x for coalescing), one kernel per fused op.
  case Stage::Schedule:
    return "builtin.module(mlc-gpu-schedule, canonicalize, cse)";
  // Buffers (all device memory), the step ABI, one workspace; then every memory access moves
  // into a kernel: mapped loop nests become gpu.launch, the rest single-thread launches.
  case Stage::Bufferize:
    return "builtin.module(one-shot-bufferize{bufferize-function-boundaries "
           "function-boundary-type-conversion=identity-layout-map}, canonicalize, cse, "
           "mlc-finalize-step-abi, mlc-plan-buffers, canonicalize, cse, "
           "func.func(mlc-gpu-map-forall, mlc-gpu-wrap-serial), convert-linalg-to-loops, "
           "canonicalize, cse)";
  // Kernels outlined and lowered to NVVM, serialized by LLVM's NVPTX backend (and ptxas for
  // fatbin); host code calls the mgpu* runtime ABI. Every memref is static, so host functions and
  // kernels both take bare pointers: the launch's argument array and the kernel's parameters
  // must use the same convention (one pointer per memref). gpu-async-region chains the launches
  // on one stream with a single wait at the end: the host blocks once per step, not per kernel.
  case Stage::LLVM:
    return llvm::formatv(
        "builtin.module(gpu-launch-sink-index-computations, gpu-kernel-outlining, mlc-gpu-merge-modules, func.func(gpu-async-region), "
        "nvvm-attach-target{{chip={0} O=3}, convert-scf-to-cf, "
        "gpu.module(convert-gpu-to-nvvm{{use-bare-ptr-memref-call-conv=1}, canonicalize, cse), "
        "expand-strided-metadata, lower-affine, "
        "convert-arith-to-llvm, convert-index-to-llvm, convert-math-to-llvm, finalize-memref-to-llvm, "
        "convert-func-to-llvm{{use-bare-ptr-memref-call-conv=1}, convert-cf-to-llvm, "
        "gpu-to-llvm{{use-bare-pointers-for-host=1 use-bare-pointers-for-kernels=1}, "
        "reconcile-unrealized-casts, "
        "gpu-module-to-binary{{format={1} toolkit={2}}, canonicalize)",
        o.gpuArch, o.gpuFormat, o.cudaToolkit);
  }
  llvm_unreachable("unknown stage");
}
