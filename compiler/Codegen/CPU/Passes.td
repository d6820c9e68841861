// CPU code generation: thread and register tiling, vectorization, packing, profiling hooks, vector lowering, outlining.
#ifndef MLC_COMPILER_CODEGEN_CPU_PASSES_TD
#define MLC_COMPILER_CODEGEN_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def CPUSchedule : Pass<"mlc-cpu-schedule", "mlir::ModuleOp"> {
  let summary = "Tile linalg ops for threads and registers, and vectorize them";
  let description = [{
    For every statically shaped linalg op: first, for generic ops other than contractions, merge
    runs of consecutive loops that iterate alike and that every operand indexes contiguously (or
    not at all) into one loop (`tensor.collapse_shape` around the op), so a 64x16x5x5 update is
    one loop of 25600 elements in 64-wide vectors rather than 5-wide vectors in three loops, and a
    channel broadcast over [N, C, H, W] runs over H*W; ops that compute indices or read windows
    (`h * stride + kh`) are not collapsed. Then tile the first parallel dimension into an `scf.forall`
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

def CPUOutlineLoopNests : Pass<"mlc-cpu-outline-loop-nests", "mlir::ModuleOp"> {
  let summary = "Move each loop nest of a step into a function of its own; equal nests share one";
  let description = [{
    After bufferization, every top-level op with regions of a public function (a step) — the
    `scf.forall` of a threaded op, the `scf.for` nest of a serial one, a leftover `linalg.generic`
    — becomes a call of a private `no_inline` function that holds it. The values it reads from the
    step become arguments, except constants and pure computations of constants (the index and
    mask vectors of gathers), which are copied in: loop bounds stay static and no vector crosses
    a call by value.
    An outlined function whose body equals an earlier one's (same types, ops and attributes,
    locations aside) is erased and the earlier one called instead: the repeated blocks of a deep
    network (ResNet's stages, MobileNet's inverted residuals) and the ops that the train and eval
    steps share are lowered and compiled once. Small functions also keep the OpenMP translation
    linear: it scans the whole enclosing function for every parallel region it outlines.

    ```mlir
    func.func @train_step(%a: memref<64x128xf32>, ...) {
      scf.forall (%i) in (8) { ... %a ... }
    // becomes
    func.func @train_step(%a: memref<64x128xf32>, ...) {
      call @train_step_nest0(%a) : (memref<64x128xf32>) -> ()
    func.func private @train_step_nest0(%arg0: memref<64x128xf32>) attributes {no_inline} {
      %c8 = arith.constant 8 : index
      scf.forall (%i) in (8) { ... %arg0 ... }
    ```
    Nests that read a memref without a static layout stay where they are (steps pass memrefs as
    bare pointers).
  }];
  let statistics = [
    Statistic<"numOutlined", "outlined", "Loop nests moved into functions">,
    Statistic<"numShared", "shared", "Outlined functions replaced by an equal earlier one">,
  ];
  let dependentDialects = ["::mlir::func::FuncDialect"];
}

#endif // MLC_COMPILER_CODEGEN_CPU_PASSES_TD
