// Which reductions the CUDA target runs as parallel tree reductions, and how they are laid out
// on threads; shared by mlc-gpu-schedule (which leaves them whole) and mlc-gpu-tree-reduce.
#ifndef MLC_COMPILER_CODEGEN_GPU_GPUREDUCTION_H
#define MLC_COMPILER_CODEGEN_GPU_GPUREDUCTION_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace mlc {

/// How a result of a reduction op combines its terms.
enum class Combiner {
  Elementwise, ///< not a reduction: indexed by every loop, written once per iteration
  Add,         ///< acc + x
  Maximum,     ///< arith.maximumf (NaN-propagating)
  MaxNum,      ///< arith.maxnumf
  Minimum,     ///< arith.minimumf
  MinNum,      ///< arith.minnumf
  SelectLast,  ///< select(p, x, acc): x of the last iteration where p holds (a label's logit)
};

struct TreeReductionPlan {
  /// Per init operand: how it combines, and the body op that does it (null when elementwise).
  llvm::SmallVector<Combiner> combiners;
  llvm::SmallVector<mlir::Operation *> combinerOps;
  llvm::SmallVector<int64_t> parallelDims, reductionDims;
  int64_t numOutputs = 1; ///< product of the parallel loop ranges
  int64_t length = 1;     ///< product of the reduction loop ranges
  /// A row reduction (the reduction runs along the inputs' contiguous dimension): a group's
  /// lanes are neighbouring threads. Otherwise (a column reduction, e.g. a bias gradient over
  /// the batch) neighbouring threads take neighbouring outputs, so loads stay coalesced.
  bool lanesContiguous = true;
  int64_t lanes = 1;           ///< threads that reduce one output together (a power of two)
  int64_t outputsPerBlock = 1; ///< groups of lanes per block
};

/// The plan when the CUDA target runs `op` as tree reductions: a linalg.generic with static
/// shapes, at least one reduction dimension long enough to share (more than 4 elements), inputs
/// read through projected permutations, and every init either elementwise (its block argument
/// unused) or an f32 reduction over exactly the reduction dimensions whose block argument feeds
/// only a recognized combiner whose result is only yielded.
std::optional<TreeReductionPlan> planTreeReduction(mlir::linalg::LinalgOp op);

} // namespace mlc

#endif
