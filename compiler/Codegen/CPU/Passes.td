// CPU code generation: thread and register tiling, vectorization, packing, profiling hooks, vector lowering.
#ifndef MLC_COMPILER_CODEGEN_CPU_PASSES_TD
#define MLC_COMPILER_CODEGEN_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

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

#endif // MLC_COMPILER_CODEGEN_CPU_PASSES_TD
