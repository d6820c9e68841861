// Helpers shared by the CPU and GPU schedules.
#ifndef MLC_COMPILER_TRANSFORMS_SCHEDULEUTILS_H
#define MLC_COMPILER_TRANSFORMS_SCHEDULEUTILS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace mlc {

/// Gives every output of `op` its own init tensor. CSE merges identical `tensor.empty` (and
/// fill) ops, so a multi-result op can have one init for two outputs; tiling then threads only
/// one of them through the loop and bufferization copies the other inside it.
void uniquifyInits(mlir::RewriterBase &rewriter, mlir::linalg::LinalgOp op);

} // namespace mlc

#endif
