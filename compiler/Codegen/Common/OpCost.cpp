// Op groups, FLOPs and bytes of linalg ops (see OpCost.h).
#include "compiler/Codegen/Common/OpCost.h"
#include "dialects/Mlc/MlcOpGroups.h"
#include "runtime/include/mlc_names.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

int64_t mlc::byteSize(Type t) {
  auto shaped = dyn_cast<ShapedType>(t);
  if (shaped && !shaped.hasStaticShape())
    return 0;
  Type elt = shaped ? shaped.getElementType() : t;
  int64_t width = isa<IndexType>(elt) || !elt.isIntOrFloat() ? 8 : std::max<int64_t>(elt.getIntOrFloatBitWidth() / 8, 1);
  return (shaped ? shaped.getNumElements() : 1) * width;
}

/// Floating-point operations per iteration of the op's body.
static int64_t flopsPerIteration(linalg::LinalgOp op) {
  int64_t n = 0;
  op.getBlock()->walk([&](Operation *inner) {
    if (inner->getNumResults() != 1 || !isa<FloatType>(inner->getResult(0).getType()))
      return;
    if (isa<arith::ConstantOp, arith::SelectOp>(inner))
      return;
    if (inner->getDialect() == inner->getContext()->getLoadedDialect<arith::ArithDialect>() ||
        inner->getDialect() == inner->getContext()->getLoadedDialect<math::MathDialect>())
      ++n;
  });
  return n;
}

static bool readsBlockArgumentInit(linalg::LinalgOp op) {
  return llvm::any_of(op.getDpsInits(), [](Value v) { return isa<BlockArgument>(v); });
}

static bool gathers(linalg::LinalgOp op) {
  bool found = false;
  op.getBlock()->walk([&](tensor::ExtractOp) { found = true; });
  return found;
}

/// A generic whose body only yields (some of) its block arguments: a copy, broadcast or
/// transpose.
static bool onlyMovesData(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  return body->getOperations().size() == 1 &&
         llvm::all_of(body->getTerminator()->getOperands(), [](Value v) { return isa<BlockArgument>(v); });
}

mlc::OpCost mlc::costOf(linalg::LinalgOp op) {
  OpCost cost;
  int64_t iterations = 1;
  for (int64_t r : op.getStaticLoopRanges())
    iterations = ShapedType::isDynamic(r) ? 0 : iterations * r;
  for (Value v : op->getOperands())
    cost.bytes += byteSize(v.getType());
  bool contraction = linalg::isaContractionOpInterface(op);
  cost.flops = contraction ? 2 * iterations : iterations * flopsPerIteration(op);

  auto tagged = op->getAttrOfType<StringAttr>(group::kAttr);
  int known = tagged ? names::index_of(names::kOpGroups, tagged.getValue()) : -1;
  if (known >= 0)
    cost.group = names::kOpGroups[known]; // static storage, as OpCost::group needs
  else if (isa<linalg::FillOp>(op))
    cost.group = group::kFill;
  else if (isa<linalg::TransposeOp, linalg::CopyOp, linalg::BroadcastOp>(op))
    cost.group = group::kLayout;
  else if (contraction)
    cost.group = group::kGemm;
  else if (readsBlockArgumentInit(op))
    cost.group = group::kOptimizer;
  else if (gathers(op))
    cost.group = group::kGather;
  else if (onlyMovesData(op))
    cost.group = group::kLayout;
  else if (op.getNumReductionLoops() > 0)
    cost.group = group::kReduction;
  else
    cost.group = group::kElementwise;
  // Data movement counts no FLOPs, except a Winograd transform's product with its constant.
  if (cost.group == group::kFill || cost.group == group::kLayout || cost.group == group::kGather ||
      (cost.group == group::kWindows && !contraction))
    cost.flops = 0;
  return cost;
}
