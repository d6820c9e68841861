// GPU code generation: block/thread mapping, tensor-core GEMMs, tree reductions, kernel modules, and the host emulation of launches.
#ifndef MLC_COMPILER_CODEGEN_GPU_PASSES_TD
#define MLC_COMPILER_CODEGEN_GPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def GPUSchedule : Pass<"mlc-gpu-schedule", "mlir::ModuleOp"> {
  let summary = "Tile linalg ops into GPU blocks and threads";
  let description = [{
    For every statically shaped linalg op with at most three parallel dimensions: tile the parallel
    dimensions into an `scf.forall` mapped to GPU blocks, with a block tile of up to 256 threads
    whose innermost dimension (the contiguous one, up to 32 wide when other dimensions share the
    block, up to the whole block for 1-D ops) maps to `x` so that neighbouring
    threads touch neighbouring elements (coalesced accesses); then tile that tile into an
    `scf.forall` of one element per thread, mapped to GPU threads. Reductions that
    `mlc-gpu-tree-reduce` runs as tree reductions stay whole (with the fills of their outputs,
    moved right before them); other reductions run inside each thread. Elementwise chains were fused before, so each fused op becomes one kernel.

    ```mlir
    %r = linalg.generic {...} ins(%a : tensor<64x128xf32>) outs(%e : tensor<64x128xf32>)
    // becomes
    scf.forall (%i, %j) ... step (8, 32) { // mapping [#gpu.block<y>, #gpu.block<x>]
      scf.forall (%ti, %tj) ... {         // mapping [#gpu.thread<y>, #gpu.thread<x>]
        linalg.generic ... tensor<1x1xf32>
      }
    }
    ```
  }];
  let options = [
    Option<"maxThreads", "max-threads", "int64_t", /*default=*/"256", "Threads per block">,
    Option<"tensorCores", "tensor-cores", "bool", /*default=*/"false",
           "Leave f32 contractions (and their accumulator fills) to mlc-gpu-matmul, reading "
           "transposed operands in place">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::gpu::GPUDialect",
                           "::mlir::tensor::TensorDialect", "::mlir::affine::AffineDialect"];
}

def GPUMatmul : Pass<"mlc-gpu-matmul", "mlir::func::FuncOp"> {
  let summary = "Run f32 contractions as shared-memory tiled GEMM kernels on tensor cores";
  let description = [{
    After bufferization: each f32 multiply-accumulate contraction (one M, N and K dimension, at
    most one batch dimension on the grid's z, operands indexed by permutations, so transposed
    operands are read in place) becomes a `gpu.launch` of up to 2x2 warps. Per 32-deep K step
    the block stages its A and B tiles in shared (workgroup) memory with coalesced loads
    (zero-padded at partial edge tiles), synchronizes, and each warp runs `nvgpu.mma.sync`
    (m16n8k8, TF32 inputs, f32 accumulation) on fragments of up to 32x32 outputs held in
    registers across the K loop. A `linalg.fill` of the output just before the op becomes the
    accumulators' initial value; otherwise they start from the output's contents. Needs sm_80.

    `precision=fp32` (the default) splits each operand into a TF32 high part and a low part and
    runs three tensor-core passes (lo*hi + hi*lo + hi*hi), which is about as accurate as f32
    arithmetic (PyTorch's default matmul precision is f32, too); `precision=tf32` runs one pass
    on TF32-truncated inputs (10-bit mantissa), about three times fewer tensor-core instructions.

    ```mlir
    linalg.fill ins(%zero : f32) outs(%c : memref<64x128xf32>)
    linalg.matmul ins(%a, %b : memref<64x784xf32>, memref<784x128xf32>) outs(%c : memref<64x128xf32>)
    // becomes
    gpu.launch blocks(...) in (%c2, %c1, %c1) threads(...) in (%c128, %c1, %c1)
        workgroup(%ta : memref<64x36xf32, #gpu.address_space<workgroup>>,
                  %tb : memref<32x72xf32, #gpu.address_space<workgroup>>) {
      scf.for %k0 = %c0 to %c784 step %c32 iter_args(%acc = ...) -> (vector<2x2xf32>, ...) {
        ... stage tiles ...; gpu.barrier
        %d = nvgpu.mma.sync(%fa, %fb, %acc) {mmaShape = [16, 8, 8], tf32Enabled} ...
        gpu.barrier
      }
      ... store the accumulators ...
    }
    ```
  }];
  let options = [
    Option<"precision", "precision", "std::string", /*default=*/"\"fp32\"",
           "fp32 (three TF32 passes, f32 accuracy) or tf32 (one pass)">,
  ];
  let dependentDialects = ["::mlir::gpu::GPUDialect", "::mlir::nvgpu::NVGPUDialect",
                           "::mlir::vector::VectorDialect", "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect"];
}

def GPUTreeReduce : Pass<"mlc-gpu-tree-reduce", "mlir::func::FuncOp"> {
  let summary = "Run reductions as shared-memory tree reductions, a group of threads per output";
  let description = [{
    After bufferization: a `linalg.generic` that `mlc::planTreeReduction` accepts (static shapes,
    more than 4 elements per output, every result either elementwise or an f32 reduction over the
    reduction dimensions through `addf`, `maximumf`, `maxnumf`, `minimumf`, `minnumf` or a
    "last match" `select(p, x, acc)`) becomes a `gpu.launch` in which a group of lanes (a power of
    two, about 4 elements per lane, at most 256) shares each output: each lane folds a strided
    share of the elements (and stores the elementwise results fused into the op on the way), the
    lanes' partial states go to shared memory, log2(lanes) halving steps separated by barriers
    combine them, and lane 0 combines the total with the output's value. Row reductions (the
    inputs' contiguous dimension is reduced: softmax, cross-entropy) put a group's lanes on
    neighbouring threads; column reductions (bias gradients over the batch) put neighbouring
    outputs on neighbouring threads, so loads stay coalesced. A "last match" keeps the iteration
    that set it next to the value, so partials combine to the later one. A `linalg.fill` of a
    reduction's output just before the op is folded into its start value.

    ```mlir
    linalg.generic {iterator_types = ["reduction", "parallel"]} ins(%g : memref<64x128xf32>) outs(%db : memref<128xf32>) {
    ^bb0(%a: f32, %acc: f32):
      %t = arith.addf %a, %acc : f32
      linalg.yield %t : f32
    }
    // becomes (32 outputs x 8 lanes per block)
    gpu.launch blocks(...) in (%c4, %c1, %c1) threads(%tx, ...) in (%c256, %c1, %c1)
        workgroup(%p : memref<256xf32, #gpu.address_space<workgroup>>) {
      %out = %bx * 32 + %tx % 32, %lane = %tx / 32
      %part = scf.for %i = %lane to %c64 step %c8 iter_args(...) { ... %g[%i, %out] ... }
      memref.store %part, %p[%tx]; gpu.barrier
      scf.if (%lane < 4) { %p[%tx] += %p[%tx + 128] }; gpu.barrier  ... down to 1 lane
      scf.if (%lane == 0) { %db[%out] += %p[%tx] }
    }
    ```
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect", "::mlir::scf::SCFDialect",
                           "::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect"];
}

def GPUMapForall : Pass<"mlc-gpu-map-forall", "mlir::func::FuncOp"> {
  let summary = "Turn block- and thread-mapped scf.forall nests into gpu.launch";
  let description = [{
    After bufferization: an `scf.forall` mapped to `#gpu.block<...>` that contains one
    `scf.forall` mapped to `#gpu.thread<...>` (and otherwise only side-effect-free index and view
    computations) becomes a `gpu.launch` with the outer trip counts as grid size and the inner
    ones as block size; the induction variables become block and thread ids.

    ```mlir
    scf.forall (%i) = (0) to (64) step (8) { scf.forall (%t) in (8) { ... } {mapping = [#gpu.thread<x>]} }
        {mapping = [#gpu.block<x>]}
    // becomes
    gpu.launch blocks(%bx, %by, %bz) in (8, 1, 1) threads(%tx, %ty, %tz) in (8, 1, 1) { ... }
    ```
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect", "::mlir::arith::ArithDialect"];
}

def GPUWrapSerial : Pass<"mlc-gpu-wrap-serial", "mlir::func::FuncOp"> {
  let summary = "Run the remaining memory-touching host ops on the device, one thread each";
  let description = [{
    In a CUDA step function every buffer is device memory, so the host may only compute indices
    and views and launch kernels. Each remaining top-level op that reads or writes memory (a
    scalar linalg op such as the loss mean or Adam's bias correction, a copy) is wrapped in its
    own single-thread `gpu.launch`; `memref.copy` becomes `linalg.copy` (lowered to loops later).

    ```mlir
    linalg.generic {iterator_types = []} ins(%a : memref<f32>) outs(%b : memref<f32>) {...}
    // becomes
    gpu.launch blocks(...) in (1, 1, 1) threads(...) in (1, 1, 1) { linalg.generic ...; gpu.terminator }
    ```
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect", "::mlir::linalg::LinalgDialect"];
}

def GPUMergeModules : Pass<"mlc-gpu-merge-modules", "mlir::ModuleOp"> {
  let summary = "Put every outlined kernel in one gpu.module";
  let description = [{
    `gpu-kernel-outlining` creates one `gpu.module` per kernel; a training step has dozens. This
    pass moves every kernel into the first module (renamed `mlc_kernels`), giving each a unique
    name, and updates the `gpu.launch_func` references: the step then loads one GPU binary (one
    PTX JIT or cubin load) instead of one per kernel, and `--emit=ptx` writes one PTX file.

    ```mlir
    gpu.module @step_kernel { gpu.func @step_kernel(...) kernel {...} }
    gpu.module @step_kernel_0 { gpu.func @step_kernel(...) kernel {...} }
    // becomes
    gpu.module @mlc_kernels { gpu.func @step_kernel(...) kernel {...} gpu.func @step_kernel_0(...) kernel {...} }
    ```
  }];
  let dependentDialects = ["::mlir::gpu::GPUDialect"];
}

def GPULaunchToLoops : Pass<"mlc-gpu-launch-to-loops", "mlir::func::FuncOp"> {
  let summary = "Run gpu.launch bodies on the host, block after block and thread after thread";
  let description = [{
    Testing without a GPU: each `gpu.launch` becomes a nest of `scf.for` over the grid (z, y, x)
    and, inside, the block's threads (z, y, x), with block and thread ids bound to the loop
    variables, so the CPU backend can execute the CUDA pipeline's kernels and check their
    numerics (`mlc-gradcheck --target=cuda-emulated`, `mlc compile --target=cuda-emulated`).

    Barriers keep their meaning: each `gpu.barrier` ends a segment, and every thread of a block
    runs a segment before any thread starts the next (one thread loop nest per segment). An
    `scf.for` that contains barriers (a K loop staging tiles in shared memory) becomes a host loop
    around the segments of its body. `nvgpu.mma.sync` (m16n8k8, f32/TF32) is a segment of its own
    in which each thread computes its share of the warp's product from the fragments the other
    lanes hold, in PTX's register layout, with TF32 inputs truncated to 10 mantissa bits as the
    tensor cores do. Workgroup (shared) memory becomes one buffer that the blocks use in turn; a
    loaded value, an mma.sync operand or result, or a loop-carried value that a later segment uses
    is kept in a per-thread slot; side-effect-free values are recomputed where needed. A barrier
    inside other control flow (scf.if) is rejected.

    ```mlir
    gpu.launch blocks(%bx, %by, %bz) in (%c4, %c1, %c1) threads(%tx, %ty, %tz) in (%c32, %c1, %c1) {
      A; gpu.barrier; B
    }
    // becomes
    scf.for %bz ... { scf.for %by ... { scf.for %bx = %c0 to %c4 ... {
      scf.for %tz ... { scf.for %ty ... { scf.for %tx ... { A } } }
      scf.for %tz ... { scf.for %ty ... { scf.for %tx ... { B } } }
    } } }
    ```
  }];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::arith::ArithDialect",
                           "::mlir::memref::MemRefDialect", "::mlir::vector::VectorDialect"];
}

#endif // MLC_COMPILER_CODEGEN_GPU_PASSES_TD
