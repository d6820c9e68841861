// Which reductions the CUDA target runs as parallel tree reductions, and their thread layout.
#include "compiler/Codegen/GPU/GPUReduction.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;

namespace {

/// How the init `out` of `op` combines its terms, and the op that does it; nullopt if it is
/// neither elementwise nor a reduction the tree reduction can regroup.
std::optional<std::pair<mlc::Combiner, Operation *>>
classifyInit(linalg::GenericOp op, OpOperand *out, ArrayRef<int64_t> parallelDims) {
  AffineMap map = op.getMatchingIndexingMap(out);
  BlockArgument acc = op.getMatchingBlockArgument(out);
  if (map.isPermutation()) {
    if (!acc.use_empty())
      return std::nullopt;
    return std::make_pair(mlc::Combiner::Elementwise, nullptr);
  }
  // A reduction output: indexed by exactly the parallel dimensions.
  if (!map.isProjectedPermutation() || map.getNumResults() != (unsigned)parallelDims.size())
    return std::nullopt;
  for (AffineExpr e : map.getResults())
    if (!llvm::is_contained(parallelDims, cast<AffineDimExpr>(e).getPosition()))
      return std::nullopt;
  if (!getElementTypeOrSelf(out->get().getType()).isF32() || !acc.hasOneUse())
    return std::nullopt;
  auto yield = cast<linalg::YieldOp>(op.getBody()->getTerminator());
  Value yielded = yield.getOperand(out->getOperandNumber() - op.getNumDpsInputs());
  Operation *combiner = yielded.getDefiningOp();
  if (!combiner || combiner != *acc.getUsers().begin() || !yielded.hasOneUse())
    return std::nullopt;
  using mlc::Combiner;
  std::optional<Combiner> kind =
      llvm::TypeSwitch<Operation *, std::optional<Combiner>>(combiner)
          .Case([](arith::AddFOp) { return Combiner::Add; })
          .Case([](arith::MaximumFOp) { return Combiner::Maximum; })
          .Case([](arith::MaxNumFOp) { return Combiner::MaxNum; })
          .Case([](arith::MinimumFOp) { return Combiner::Minimum; })
          .Case([](arith::MinNumFOp) { return Combiner::MinNum; })
          .Case([&](arith::SelectOp select) -> std::optional<Combiner> {
            // Only "keep acc unless p": the last iteration where p holds decides.
            if (select.getFalseValue() != acc)
              return std::nullopt;
            return Combiner::SelectLast;
          })
          .Default([](Operation *) { return std::nullopt; });
  if (!kind)
    return std::nullopt;
  return std::make_pair(*kind, combiner);
}

} // namespace

std::optional<mlc::TreeReductionPlan> mlc::planTreeReduction(linalg::LinalgOp linalgOp) {
  auto op = dyn_cast<linalg::GenericOp>(linalgOp.getOperation());
  if (!op || op.getNumReductionLoops() == 0)
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (llvm::any_of(ranges, ShapedType::isDynamic))
    return std::nullopt;
  TreeReductionPlan plan;
  for (auto [d, it] : llvm::enumerate(op.getIteratorTypesArray())) {
    if (it == utils::IteratorType::parallel) {
      plan.parallelDims.push_back(d);
      plan.numOutputs *= ranges[d];
    } else {
      plan.reductionDims.push_back(d);
      plan.length *= ranges[d];
    }
  }
  // Each lane takes about four elements before the tree; shorter reductions stay in a thread.
  int64_t lanes = std::min<int64_t>(256, llvm::PowerOf2Ceil(llvm::divideCeil(plan.length, 4)));
  if (lanes < 2)
    return std::nullopt;

  int64_t widestRank = -1;
  for (OpOperand *in : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(in);
    if (!map.isProjectedPermutation())
      return std::nullopt;
    if ((int64_t)map.getNumResults() > widestRank && map.getNumResults() > 0) {
      widestRank = map.getNumResults();
      unsigned innermost = cast<AffineDimExpr>(map.getResults().back()).getPosition();
      plan.lanesContiguous = llvm::is_contained(plan.reductionDims, innermost);
    }
  }
  bool anyReduction = false;
  for (OpOperand &out : op.getDpsInitsMutable()) {
    auto kind = classifyInit(op, &out, plan.parallelDims);
    if (!kind)
      return std::nullopt;
    plan.combiners.push_back(kind->first);
    plan.combinerOps.push_back(kind->second);
    anyReduction |= kind->first != Combiner::Elementwise;
  }
  if (!anyReduction)
    return std::nullopt;

  int64_t outputs = llvm::PowerOf2Ceil(plan.numOutputs);
  if (plan.lanesContiguous) {
    plan.lanes = lanes;
    plan.outputsPerBlock = std::min<int64_t>(256 / lanes, outputs);
  } else {
    plan.outputsPerBlock = std::min<int64_t>(32, outputs);
    plan.lanes = std::min<int64_t>(lanes, 256 / plan.outputsPerBlock);
  }
  return plan;
}
