// Graph-level passes of mlc: training-graph construction and the step functions' calling convention.
#ifndef MLC_TRANSFORMS_PASSES_TD
#define MLC_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def AttachLoss : Pass<"mlc-attach-loss", "mlir::ModuleOp"> {
  let summary = "Append a loss to the model's @forward function, giving @loss";
  let description = [{
    Creates `@loss(params..., input, label) -> tensor<f32>` that computes the model's output as
    `@forward` does and reduces it against the label with the chosen loss, as torch.nn's loss of the
    same name with `reduction` computes it. `cross_entropy` (softmax cross-entropy of logits) and `nll`
    (of log-probabilities) take integer class indices (`tensor<Nxi32>`); `mse`, `l1`, `huber`,
    `smooth_l1`, `bce_logits` (binary cross-entropy of logits) and `bce` (of probabilities) take a
    float target of the output's shape. Runtime scalars the loss reads (`delta` for huber and
    smooth_l1, `label_smoothing` with `label-smoothing`) become `mlc.hyper` arguments of `@loss`.
    With `class-weights`, `@loss` takes a `tensor<Kxf32> {mlc.class_weights}` after the label and
    weighs the terms as torch's `weight` argument does: cross_entropy and nll per class (K classes;
    a mean divides by the sum of the batch's weights), bce_logits and bce per target value (K = 2:
    the weights of a 0 and a 1 target) or per output column (K outputs).

    Before:
    ```mlir
    func.func @forward(%w: tensor<10x784xf32> {mlc.param = "w"}, %x: tensor<64x784xf32> {mlc.input = "x"})
        -> (tensor<64x10xf32> {mlc.output = "logits"})
    ```
    After (`loss=cross_entropy`), in addition:
    ```mlir
    func.func private @loss(%w: ..., %x: ..., %y: tensor<64xi32> {mlc.label = "label"}) -> tensor<f32> {
      %logits = ...
      %l = mlc.softmax_cross_entropy %logits, %y : tensor<64x10xf32>, tensor<64xi32> -> tensor<f32>
      return %l : tensor<f32>
    }
    ```
    With `loss=mse` the loss is the mean over all elements of `(output - label)^2`.

    `@loss` is the training phase of the model: every `mlc.phase_select` becomes its `train`
    operand. @forward's results after the output (the new values of its `mlc.buffer` state, such
    as batch-norm running statistics) stay results of `@loss`, after the loss.
  }];
  let options = [
    Option<"loss", "loss", "std::string", /*default=*/"\"cross_entropy\"",
           "The loss: cross_entropy, nll, mse, l1, huber, smooth_l1, bce_logits or bce">,
    Option<"reduction", "reduction", "std::string", /*default=*/"\"mean\"",
           "How the loss's terms combine over the batch: mean or sum">,
    Option<"labelSmoothing", "label-smoothing", "bool", /*default=*/"false",
           "cross_entropy takes a label_smoothing runtime scalar">,
    Option<"classWeights", "class-weights", "bool", /*default=*/"false",
           "The loss takes class weights (cross_entropy, nll, bce_logits, bce)">,
  ];
  let dependentDialects = ["::mlc::MlcDialect", "::mlir::arith::ArithDialect"];
}

def AttachOptimizer : Pass<"mlc-attach-optimizer", "mlir::ModuleOp"> {
  let summary = "Build @train_step and @eval_step from @forward and the loss gradient";
  let description = [{
    Expects `@forward` and `@loss_grad` (made by `mlc-autodiff{function=loss}`), and creates

    ```mlir
    func.func @train_step(%params..., %state..., %buffers..., %input, %label, %hypers...)
        -> (%new_params..., %new_state..., %new_buffers..., %loss)
    func.func @eval_step(%params..., %buffers..., %input) -> %output
    ```

    where the hyperparameters are rank-0 f32 arguments, so schedules and resumption need no
    recompilation. Results that replace an argument carry `mlc.updates = <argument index>`; the
    loss carries `mlc.loss`. The optimizers follow torch.optim (rules in MlcUpdateRules.h):

    | optimizer | hyperparameters | state | update |
    |---|---|---|---|
    | sgd | lr | | `p -= lr g` |
    | momentum | lr, momentum | velocity | `v = mu v + g; p -= lr v` |
    | nesterov | lr, momentum | velocity | `v = mu v + g; p -= lr (g + mu v)` |
    | adagrad | lr, lr_decay, epsilon, step | sum | `s += g^2; p -= lr / (1 + (t-1) lr_decay) g / (sqrt(s) + eps)` |
    | rmsprop | lr, alpha, epsilon | square_avg | `a = alpha a + (1-alpha) g^2; p -= lr g / (sqrt(a) + eps)` |
    | adam | lr, beta1, beta2, epsilon, step | m, v | `p -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)` |
    | adamw | adam's, weight_decay | m, v | `p *= 1 - lr wd`, then adam |

    With `weight-decay`, every optimizer but AdamW also takes `weight_decay` and adds
    `weight_decay * p` to the gradient (L2 regularization, torch's weight_decay). Weight decay
    (coupled or AdamW's) applies to the weights only, parameters of rank >= 2, not to biases and
    normalization parameters, unless `decay-all`.

    Between the gradient and the update, in this order (as PyTorch users write them): with `l1`,
    `l1 * sign(p)` is added to the weights' gradients (an L1 penalty `l1 * sum |w|` in the loss);
    with `clip`, every gradient element is clamped to `[-clip_value, clip_value]`, then all
    gradients are scaled by `min(1, clip_norm / (||g|| + 1e-6))` with `||g||` the global L2 norm
    (torch.nn.utils.clip_grad_value_ and clip_grad_norm_); a limit of 0 disables its clip.
    The model's own runtime scalars (`mlc.hyper` arguments of @forward, e.g. dropout's `step` and
    `seed`) become hyperparameters of @train_step too, shared by name with the optimizer's.
    Buffers (`mlc.buffer` arguments, e.g. batch-norm running statistics) are model state that the
    step replaces with @loss's new values of them, not the optimizer. @eval_step has inference
    semantics: a copy of @forward in which dropout is the identity and every `mlc.phase_select` its
    `eval` operand (batch norm with running statistics), without the training-only scalars.
  }];
  let options = [
    Option<"optimizer", "optimizer", "std::string", /*default=*/"\"sgd\"",
           "The optimizer: sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw">,
    Option<"weightDecay", "weight-decay", "bool", /*default=*/"false",
           "Take a weight_decay hyperparameter (L2 regularization added to the gradient)">,
    Option<"decayAll", "decay-all", "bool", /*default=*/"false",
           "Weight decay and L1 on every parameter, not only the weights (rank >= 2)">,
    Option<"l1", "l1", "bool", /*default=*/"false",
           "Take an l1 hyperparameter: l1 * sign(w) added to the weights' gradients">,
    Option<"clip", "clip", "bool", /*default=*/"false",
           "Take clip_norm and clip_value hyperparameters (gradient clipping; 0 disables)">,
  ];
  let dependentDialects = ["::mlc::MlcDialect", "::mlir::arith::ArithDialect"];
}

def UpdateInPlace : Pass<"mlc-update-in-place", "mlir::ModuleOp"> {
  let summary = "Compute updated arguments into the arguments' own tensors";
  let description = [{
    For every result of a step function marked `mlc.updates = k` that is produced by an elementwise
    `linalg.generic` whose init is a `tensor.empty`, use argument `k` as the init instead, and mark
    argument `k` writable. An input that is that same argument, read at the same indices, is then
    read through the init instead, so that after tiling each tile reads the slice it writes.
    One-shot bufferization then updates parameters and optimizer state in place instead of
    allocating new buffers and copying them back.

    Before:
    ```mlir
    %e = tensor.empty() : tensor<10xf32>
    %new = linalg.generic {...} ins(%p, %g : ...) outs(%e : tensor<10xf32>) {...}
    return %new : tensor<10xf32>   // {mlc.updates = 0}
    ```
    After (the payload reads `%p` through its init block argument):
    ```mlir
    %new = linalg.generic {...} ins(%g : ...) outs(%p : tensor<10xf32>) {...}
    ```
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect"];
}

def FinalizeStepABI : Pass<"mlc-finalize-step-abi", "mlir::ModuleOp"> {
  let summary = "Give bufferized step functions mlc's calling convention";
  let description = [{
    Runs after one-shot bufferization. For each public function: a result marked
    `mlc.updates = k` is dropped when it is argument `k`'s buffer (the update happened in place) and
    otherwise copied into argument `k`; every other result becomes a new trailing output argument
    that the result is copied into (or, when the result is a fresh allocation, that replaces the
    allocation). The function then returns nothing: the caller owns every buffer.

    Before:
    ```mlir
    func.func @train_step(%p: memref<10xf32>, ...) -> (memref<10xf32> {mlc.updates = 0}, memref<f32> {mlc.loss})
    ```
    After:
    ```mlir
    func.func @train_step(%p: memref<10xf32>, ..., %loss: memref<f32> {mlc.loss})
    ```
  }];
  let dependentDialects = ["::mlir::memref::MemRefDialect"];
}

def PlanBuffers : Pass<"mlc-plan-buffers", "mlir::ModuleOp"> {
  let summary = "Place every temporary buffer of a step function in one caller-provided workspace";
  let description = [{
    Replaces each statically shaped `memref.alloc` at the top level of a public function by a
    `memref.view` into a new trailing argument `%workspace: memref<Nxi8>`, at an offset chosen by a
    liveness-based first-fit planner (buffers whose live ranges do not overlap share bytes). Allocs
    nested in loops (per-iteration scratch of tiled code) become stack allocations. Deallocations
    are removed. The workspace size is recorded as `mlc.workspace_bytes` on the function, so the
    runtime allocates it once and the step does no heap allocation.

    Before:
    ```mlir
    %a = memref.alloc() {alignment = 64 : i64} : memref<64x128xf32>
    ```
    After:
    ```mlir
    %c0 = arith.constant 0 : index
    %a = memref.view %workspace[%c0][] : memref<32768xi8> to memref<64x128xf32>
    ```
  }];
  let options = [
    Option<"maxStackBytes", "max-stack-bytes", "int64_t", /*default=*/"262144",
           "Largest loop-nested allocation moved to the stack">,
  ];
  let dependentDialects = ["::mlir::memref::MemRefDialect", "::mlir::arith::ArithDialect"];
}


def CPUSchedule : Pass<"mlc-cpu-schedule", "mlir::ModuleOp"> {
  let summary = "Tile linalg ops for threads and registers, and vectorize them";
  let description = [{
    For every statically shaped linalg op: tile the first parallel dimension into an `scf.forall`
    of about `parallel-chunks` iterations (threads, later OpenMP), when the op has enough work;
    tile the result to register-sized tiles with `scf.for` (for matmuls up to 8 rows x 2 vectors
    with AVX-512's 32 registers, up to 6 x 2 with AVX2's 16, k by 1; otherwise one vector of up
    to 64 elements along the innermost dimension) whose sizes divide the loop ranges, so
    every tile is static; and vectorize the innermost tiled op. Ops that do not tile or vectorize
    are left for `convert-linalg-to-loops`.

    ```mlir
    %r = linalg.matmul ins(%a, %b : tensor<64x784xf32>, tensor<784x128xf32>) outs(%c : tensor<64x128xf32>)
    // becomes
    %r = scf.forall (%i) = (0) to (64) step (8) shared_outs(%o = %c) -> tensor<64x128xf32> {
      scf.for %j ... { scf.for %k ... {   // 8x32 register tile, k by 1
        vector.contract ... : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
      } }
    }
    ```
  }];
  let options = [
    Option<"parallelChunks", "parallel-chunks", "int64_t", /*default=*/"8",
           "Target number of scf.forall iterations per op">,
    Option<"minParallelWork", "min-parallel-work", "int64_t", /*default=*/"16384",
           "Ops with fewer iterations than this stay on one thread">,
    Option<"vectorBits", "vector-bits", "int64_t", /*default=*/"512",
           "Width of the target's vector registers (512: AVX-512, 32 registers; 256: AVX2, 16 "
           "registers; 128: SSE): sizes the register tiles">,
  ];
  let dependentDialects = ["::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect",
                           "::mlir::tensor::TensorDialect", "::mlir::affine::AffineDialect"];
}

def CPUProfileOps : Pass<"mlc-cpu-profile-ops", "mlir::ModuleOp"> {
  let summary = "Bracket each op of @train_step with the trainer's profiling calls";
  let description = [{
    Before scheduling, every top-level linalg op of `@train_step` gets a call of
    `@mlc_profile_begin(id)` before it and `@mlc_profile_end(id)` after it (the runtime's
    `--profile` times the interval; when it is off the calls return at once). `@train_step`
    gets `mlc.profile_ops`, one string per op in id order, "GROUP FLOPS BYTES" (see
    `dialects/Mlc/MlcOpGroups.h`), which `mlc` writes into the model metadata as `profile_op`
    records. Scheduling replaces each op by its loop nest in place, so the calls still bracket
    the op's code.
  }];
  let dependentDialects = ["::mlir::func::FuncDialect", "::mlir::arith::ArithDialect"];
}

def CPULowerVectors : Pass<"mlc-cpu-lower-vectors", "mlir::func::FuncOp"> {
  let summary = "Hoist vector accumulators and lower vector ops towards LLVM's";
  let description = [{
    Runs after bufferization: hoists loop-invariant transfer pairs (matmul accumulators stay in
    registers across the reduction loop), lowers `vector.contract` to outer products and FMAs,
    `vector.multi_reduction` to reductions, transfers with permutation maps to plain ones, and
    `math` functions (exp, log, tanh) to vectorizable polynomial approximations. Copies between
    non-contiguous views become `linalg.copy` (loops later) instead of a runtime library call.

    ```mlir
    %acc = vector.contract {...} %a, %b, %c : vector<8x1xf32>, vector<1x32xf32> into vector<8x32xf32>
    // becomes a sequence of vector.fma on vector<32xf32>
    ```
  }];
  let dependentDialects = ["::mlir::vector::VectorDialect", "::mlir::scf::SCFDialect",
                           "::mlir::linalg::LinalgDialect"];
}

//===----------------------------------------------------------------------===//
// GPU (--target=cuda)
//===----------------------------------------------------------------------===//

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


def TagOpGroups : Pass<"mlc-tag-op-groups", "mlir::ModuleOp"> {
  let summary = "Name what each matrix product is for: convolution forward or gradient, or GEMM";
  let description = [{
    Sets `mlc.op_group` on every `mlc.matmul`: `conv_fwd` when one operand is (a reshape of) an
    `mlc.im2col` and the other a step argument (the filters), `conv_bwd_weights` when the other
    operand is computed (an incoming gradient), `conv_bwd_data` when the product feeds a
    `mlc.col2im`, and `gemm` otherwise. Lowering copies the attribute onto the linalg op, so that
    `mlc compile --report` and the trainer's `--profile` can account time and FLOPs per group.
  }];
}

def FuseElementwise : Pass<"mlc-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Fuse elementwise linalg ops, also producers whose value is used again later";
  let description = [{
    `linalg-fuse-elementwise-ops` fuses a producer into its consumer only when the consumer is its
    only user. In a training step most values are used again: the optimizer's new moments are
    stored and also feed the parameter update; the forward pre-activation is used again by the
    backward pass. This pass also fuses such a producer when all its other users come after the
    consumer: the fused op yields the producer's value as an extra result and those users read
    it, so nothing is computed twice and one loop replaces two.

    Before:
    ```mlir
    %m = linalg.generic ins(%m0, %g) outs(%e0)          // new first moment
    %p = linalg.generic ins(%p0, %m) outs(%e1)          // parameter update reads it
    return %p, %m
    ```
    After:
    ```mlir
    %f:2 = linalg.generic ins(%p0, %m0, %g) outs(%e1, %e0)
    return %f#0, %f#1
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // MLC_TRANSFORMS_PASSES_TD
