// Helpers shared by the CPU and GPU schedules.
#include "compiler/Codegen/Common/ScheduleUtils.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/IRMapping.h"

#include "llvm/ADT/DenseSet.h"

using namespace mlir;

int64_t mlc::divisorAtMost(int64_t n, int64_t cap, int64_t preferMultiple) {
  int64_t best = 1;
  for (int64_t d = std::min(n, cap); d >= 1; --d) {
    if (n % d != 0)
      continue;
    if (d % preferMultiple == 0)
      return d;
    best = std::max(best, d);
  }
  return best;
}

void mlc::uniquifyInits(RewriterBase &rewriter, linalg::LinalgOp op) {
  llvm::SmallDenseSet<Value, 4> seen;
  for (OpOperand &init : op.getDpsInitsMutable()) {
    if (seen.insert(init.get()).second)
      continue;
    Operation *def = init.get().getDefiningOp();
    if (!def || !isa<tensor::EmptyOp, linalg::FillOp>(def))
      continue;
    rewriter.setInsertionPoint(op);
    Operation *copy;
    if (auto fill = dyn_cast<linalg::FillOp>(def)) {
      copy = cloneFill(rewriter, fill);
    } else {
      copy = rewriter.clone(*def);
    }
    rewriter.modifyOpInPlace(op, [&] { init.set(copy->getResult(0)); });
  }
}

linalg::FillOp mlc::cloneFill(RewriterBase &rewriter, linalg::FillOp fill) {
  IRMapping map;
  if (auto empty = fill.getOutputs()[0].getDefiningOp<tensor::EmptyOp>())
    map.map(empty.getResult(), rewriter.clone(*empty)->getResult(0));
  return cast<linalg::FillOp>(rewriter.clone(*fill, map));
}

linalg::FillOp mlc::precedingFill(linalg::LinalgOp op, OpOperand &init) {
  ValueRange inits = op.getDpsInits();
  for (Operation *prev = op->getPrevNode(); prev; prev = prev->getPrevNode()) {
    if (auto fill = dyn_cast<linalg::FillOp>(prev)) {
      Value filled = fill.getDpsInits()[0];
      if (filled == init.get())
        return fill;
      if (llvm::is_contained(inits, filled))
        continue;
      return nullptr;
    }
    if (!isMemoryEffectFree(prev))
      return nullptr;
  }
  return nullptr;
}

std::optional<linalg::ContractionDimensions> mlc::tensorCoreContraction(linalg::LinalgOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 || !linalg::isaContractionOpInterface(op))
    return std::nullopt;
  if (llvm::any_of(op.getStaticLoopRanges(), ShapedType::isDynamic))
    return std::nullopt;
  for (OpOperand &operand : op->getOpOperands()) {
    auto type = dyn_cast<ShapedType>(operand.get().getType());
    if (!type || !type.getElementType().isF32() ||
        !op.getMatchingIndexingMap(&operand).isProjectedPermutation())
      return std::nullopt;
  }
  auto dims = linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.size() != 1 || dims->n.size() != 1 || dims->k.size() != 1 ||
      dims->batch.size() > 1)
    return std::nullopt;
  return *dims;
}
