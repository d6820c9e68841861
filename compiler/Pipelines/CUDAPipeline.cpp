// The CUDA pipeline, as a straight list of named stages (the graph and linalg stages are the
// CPU pipeline's): GPU blocks and threads, buffers and kernels, NVVM, PTX/cubin.
#include "compiler/Pipelines/Pipelines.h"

#include "llvm/Support/FormatVariadic.h"

bool mlc::hasTensorCores(llvm::StringRef gpuArch) {
  unsigned sm = 0;
  llvm::StringRef digits = gpuArch.drop_front(3).take_while([](char ch) { return ch >= '0' && ch <= '9'; });
  return gpuArch.starts_with("sm_") && !digits.getAsInteger(10, sm) && sm >= 80;
}

std::string mlc::cudaStagePipeline(Stage stage, const PipelineOptions &o) {
  switch (stage) {
  case Stage::Graph:
    return cpuStagePipeline(stage, o);
  // As on the CPU, but embedding adjoints stay parallel reductions (no atomics, many threads).
  case Stage::Linalg:
    return linalgStagePipeline("reduce", /*transposedProducts=*/false);
  // Blocks and threads (innermost dimension on x for coalescing), one kernel per fused op.
  // f32 contractions stay whole for the tensor-core GEMM kernels (TF32 mma.sync needs sm_80).
  case Stage::Schedule:
    return llvm::formatv("builtin.module(mlc-gpu-schedule{{tensor-cores={0}}, canonicalize, cse)",
                         hasTensorCores(o.gpuArch) ? "true" : "false");
  // Buffers (all device memory), the step ABI, one workspace; then every memory access moves
  // into a kernel: mapped loop nests become gpu.launch, the rest single-thread launches.
  case Stage::Bufferize: {
    std::string gemms = hasTensorCores(o.gpuArch)
                            ? "mlc-gpu-matmul{precision=" + o.gpuMatmulPrecision + "}, "
                            : "";
    return "builtin.module(one-shot-bufferize{bufferize-function-boundaries "
           "function-boundary-type-conversion=identity-layout-map}, canonicalize, cse, "
           "mlc-finalize-step-abi, mlc-plan-buffers, canonicalize, cse, "
           "func.func(" + gemms + "mlc-gpu-tree-reduce, mlc-gpu-map-forall, mlc-gpu-wrap-serial), convert-linalg-to-loops, "
           "canonicalize, cse)";
  }
  // Kernels outlined and lowered to NVVM, serialized by LLVM's NVPTX backend (and ptxas for
  // fatbin); host code calls the mgpu* runtime ABI. Every memref is static, so host functions and
  // kernels both take bare pointers: the launch's argument array and the kernel's parameters
  // must use the same convention (one pointer per memref). gpu-async-region chains the launches
  // on one stream with a single wait at the end: the host blocks once per step, not per kernel.
  case Stage::LLVM:
    return llvm::formatv(
        "builtin.module(gpu-launch-sink-index-computations, gpu-kernel-outlining, mlc-gpu-merge-modules, func.func(gpu-async-region), "
        "nvvm-attach-target{{chip={0} O=3}, convert-scf-to-cf, "
        "gpu.module(convert-nvgpu-to-nvvm, convert-gpu-to-nvvm{{use-bare-ptr-memref-call-conv=1}, canonicalize, cse), "
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
