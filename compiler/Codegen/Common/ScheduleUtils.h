// Helpers shared by the CPU and GPU schedules.
#ifndef MLC_COMPILER_CODEGEN_COMMON_SCHEDULEUTILS_H
#define MLC_COMPILER_CODEGEN_COMMON_SCHEDULEUTILS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

#include <optional>

namespace mlc {

/// The largest divisor of `n` that is at most `cap`, preferring multiples of `preferMultiple`
/// (static tiles that divide the loop ranges need no boundary handling).
int64_t divisorAtMost(int64_t n, int64_t cap, int64_t preferMultiple = 1);

/// Gives every output of `op` its own init tensor. CSE merges identical `tensor.empty` (and
/// fill) ops, so a multi-result op can have one init for two outputs; tiling then threads only
/// one of them through the loop and bufferization copies the other inside it.
void uniquifyInits(mlir::RewriterBase &rewriter, mlir::linalg::LinalgOp op);

/// A copy of `fill` (at the rewriter's insertion point) with a fresh tensor.empty destination when
/// it filled one, so that the two no longer share a buffer.
mlir::linalg::FillOp cloneFill(mlir::RewriterBase &rewriter, mlir::linalg::FillOp fill);

/// The linalg.fill (on buffers) that sets `init` of `op` just before it, with only
/// side-effect-free ops and fills of the op's other inits between; kernels that fold it into
/// their initial accumulator value erase it.
mlir::linalg::FillOp precedingFill(mlir::linalg::LinalgOp op, mlir::OpOperand &init);

/// The dimensions of `op` if the CUDA target runs it as a tensor-core GEMM (mlc-gpu-matmul):
/// an f32 multiply-accumulate contraction with static shapes, one M, N and K dimension, at most
/// one batch dimension, and operands indexed by (projected) permutations.
std::optional<mlir::linalg::ContractionDimensions> tensorCoreContraction(mlir::linalg::LinalgOp op);

} // namespace mlc

#endif
