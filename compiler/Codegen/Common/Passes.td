// Code generation shared by the targets: rematerialization and elementwise fusion, in-place updates, the step ABI, the buffer plan, op costs and the --report.
#ifndef MLC_COMPILER_CODEGEN_COMMON_PASSES_TD
#define MLC_COMPILER_CODEGEN_COMMON_PASSES_TD

include "mlir/Pass/PassBase.td"

def Rematerialize : Pass<"mlc-rematerialize", "mlir::func::FuncOp"> {
  let summary = "Recompute cheap elementwise values where distant ops read them";
  let description = [{
    A training step computes each activation in the forward pass and reads it again in the
    backward pass, so by default every intermediate of a batch norm and activation (x - mean,
    x-hat, its scaled and shifted value, each clamp of a ReLU6, a padded copy) stays alive
    across the whole step. Most of them are cheap elementwise functions of one value the
    backward pass reads anyway. This pass clones such a producer before each of its distant
    users (more than 48 ops after its first user), reading values that are live there anyway or
    are in turn recomputed the same way (up to 8 producers deep), and only when every distant
    user can be served so: the original then dies after its near users. Elementwise fusion then
    folds each clone into the backward op that reads it, so the recomputation costs a few
    instructions per element and no memory traffic: the fused op reads the one kept value where
    it read the recomputed one. Values of 64 KB or less, returned values and producers with
    more than 12 payload ops are left alone.

    Before (`%y` and `%r` live from the forward pass to the backward pass):
    ```mlir
    %y = linalg.generic ins(%x, %scale) ...     // batch norm's output
    %r = linalg.generic ins(%y) ...             // ReLU
    ... 48 and more ops, the forward pass's rest and the backward pass's start ...
    %dy = linalg.generic ins(%g, %y) ...        // ReLU's gradient reads %y
    ```
    After (only `%x`, read by a later op anyway, lives across):
    ```mlir
    %y2 = linalg.generic ins(%x, %scale) ...
    %dy = linalg.generic ins(%g, %y2) ...
    ```
  }];
  let options = [
    Option<"nearOps", "near-ops", "unsigned", /*default=*/"48",
           "Users within this many ops of a value's first user read the value itself">,
    Option<"smallBytes", "small-bytes", "int64_t", /*default=*/"65536",
           "Values of at most this many bytes are kept, never recomputed">,
  ];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"];
}

def FuseElementwise : Pass<"mlc-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Fuse elementwise linalg ops, also producers whose value is used again later";
  let description = [{
    `linalg-fuse-elementwise-ops` fuses a producer into its consumer only when the consumer is its
    only user. In a training step most values are used again: the optimizer's new moments are
    stored and also feed the parameter update; the forward pre-activation is used again by the
    backward pass. This pass also fuses such a producer when all its other users come after the
    consumer: the fused op yields the producer's value as an extra result and those users read
    it, so nothing is computed twice and one loop replaces two. A producer that only copies (a
    broadcast of a per-channel value, a splat) is the exception: each consumer fuses a copy of
    it, because keeping it as a result would write the broadcast out at full size and keep it
    alive for the backward pass (MobileNetV2's batch-norm scales and ReLU6 bounds: 1.2 GB of its
    1.85 GB workspace).

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

def ExplicitSliceCopies : Pass<"mlc-explicit-slice-copies", "mlir::func::FuncOp"> {
  let summary = "Make the copies of tensor.insert_slice linalg.copy ops before scheduling";
  let description = [{
    A `tensor.insert_slice` whose source was not computed into the destination's box (a
    padding's interior once canonicalization has erased its identity copy, a value inserted
    into a larger one) becomes a copy during bufferization: an unscheduled `linalg.copy` on
    strided memrefs that ends up a scalar loop nest on one thread between the step's ops
    (MobileNetV2: 58 of them, 42 million elements per step). This pass makes that copy a
    `linalg.copy` into the destination's box before the schedule, which tiles it for threads
    and vectorizes it like any other op; bufferization then writes the box in place.

    Before:
    ```mlir
    %r = tensor.insert_slice %x into %padded[0, 0, 1, 1] [64, 8, 4, 4] [1, 1, 1, 1]
    ```
    After:
    ```mlir
    %box = tensor.extract_slice %padded[0, 0, 1, 1] [64, 8, 4, 4] [1, 1, 1, 1]
    %c = linalg.copy ins(%x : tensor<64x8x4x4xf32>) outs(%box : tensor<64x8x4x4xf32>)
    %r = tensor.insert_slice %c into %padded[0, 0, 1, 1] [64, 8, 4, 4] [1, 1, 1, 1]
    ```
    An insert_slice whose source a destination-style op already computes into that box is left
    alone. Where the source's producer is a linalg op that only writes its init (a fresh
    tensor) and nothing else reads the source, the producer is made to compute into the box
    instead (the destination's making, an allocation with its border filled, moved before it):
    an activation lands in the next convolution's padded input with no copy at all
    (MobileNetV2: 21 copies fewer, a workspace of 262 MB instead of 294 MB). A source read
    elsewhere keeps its own tensor: in the padded tensor's buffer, bufferization would copy it
    out and back whenever that buffer is reused.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect"];
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

#endif // MLC_COMPILER_CODEGEN_COMMON_PASSES_TD
