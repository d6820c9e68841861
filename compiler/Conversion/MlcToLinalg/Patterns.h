// Lowering patterns from mlc to linalg, grouped by op family, and the helpers they share.
#ifndef MLC_COMPILER_CONVERSION_MLCTOLINALG_PATTERNS_H
#define MLC_COMPILER_CONVERSION_MLCTOLINALG_PATTERNS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"

namespace mlc {

void populateElementwisePatterns(mlir::RewritePatternSet &patterns);
void populateShapePatterns(mlir::RewritePatternSet &patterns);
/// `transposedProducts`: lhs x rhs^T with a large rhs lowers to (rhs x lhs^T)^T; `splitLongProducts`:
/// lhs^T x rhs over a long contraction lowers to a batch of slices, summed (see the pass options).
void populateContractionPatterns(mlir::RewritePatternSet &patterns, bool transposedProducts,
                                 bool splitLongProducts);
void populateSoftmaxPatterns(mlir::RewritePatternSet &patterns);
void populateWindowPatterns(mlir::RewritePatternSet &patterns);
void populateDropoutPatterns(mlir::RewritePatternSet &patterns);
void populateSlicePadPatterns(mlir::RewritePatternSet &patterns);
/// With `scatterGatherGrad`, gather_grad becomes sequential scatter loops instead of a reduction.
void populateGatherPatterns(mlir::RewritePatternSet &patterns, bool scatterGatherGrad);

/// `tensor.empty` of `type`.
mlir::Value makeEmpty(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType type);
/// `tensor.empty` of `type` filled with `value`.
mlir::Value makeFilled(mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType type,
                       double value);
/// Iterator types: parallel, except the dimensions in `reduced`.
llvm::SmallVector<mlir::utils::IteratorType> iterators(int64_t rank,
                                                       llvm::ArrayRef<int64_t> reduced = {});
/// The map from an iteration space of `rank` dims to the dims that remain after dropping
/// `dropped` (or replacing them by constant 0 when `keepAsZero`).
mlir::AffineMap projectionMap(mlir::MLIRContext *ctx, int64_t rank, llvm::ArrayRef<int64_t> dropped,
                              bool keepAsZero = false);
/// For an index `t` (index type) on a grid of step `step` and `size` points starting at 0: whether
/// t lies on a grid point, and that point's number (0 when it does not). The gathers of pad and
/// col2im use it.
std::pair<mlir::Value, mlir::Value> gridPoint(mlir::OpBuilder &b, mlir::Location loc, mlir::Value t,
                                              int64_t step, int64_t size);
/// A float constant of `type`.
mlir::Value floatConst(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type, double value);

} // namespace mlc

#endif
