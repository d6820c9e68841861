// Helpers shared by the CPU and GPU schedules.
#ifndef MLC_COMPILER_TRANSFORMS_SCHEDULEUTILS_H
#define MLC_COMPILER_TRANSFORMS_SCHEDULEUTILS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace mlc {

/// The largest divisor of `n` that is at most `cap`, preferring multiples of `preferMultiple`
/// (static tiles that divide the loop ranges need no boundary handling).
int64_t divisorAtMost(int64_t n, int64_t cap, int64_t preferMultiple = 1);

/// Gives every output of `op` its own init tensor. CSE merges identical `tensor.empty` (and
/// fill) ops, so a multi-result op can have one init for two outputs; tiling then threads only
/// one of them through the loop and bufferization copies the other inside it.
void uniquifyInits(mlir::RewriterBase &rewriter, mlir::linalg::LinalgOp op);

} // namespace mlc

#endif
