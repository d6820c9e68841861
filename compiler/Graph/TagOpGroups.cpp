// mlc-tag-op-groups: names what each matrix product of a training step is for (a convolution's
// forward pass, its gradient with respect to the input or to the filters, or a plain GEMM).
#include "compiler/Graph/Passes.h"
#include "dialects/Mlc/StepSignature.h"
#include "dialects/Mlc/MlcOpGroups.h"
#include "dialects/Mlc/MlcOps.h"

namespace mlc {
#define GEN_PASS_DEF_TAGOPGROUPS
#include "compiler/Graph/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

/// The value `v` is a reshape or transpose of, followed back to where it was computed.
static Value throughViews(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (!isa<mlc::ReshapeOp, mlc::TransposeOp>(def))
      break;
    v = def->getOperand(0);
  }
  return v;
}

/// Whether some use of `v`, through reshapes and transposes, is a col2im.
static bool feedsCol2Im(Value v) {
  for (Operation *user : v.getUsers()) {
    if (isa<mlc::Col2ImOp>(user))
      return true;
    if (isa<mlc::ReshapeOp, mlc::TransposeOp>(user) && feedsCol2Im(user->getResult(0)))
      return true;
  }
  return false;
}

static StringRef groupOf(mlc::MatmulOp op) {
  if (feedsCol2Im(op.getResult()))
    return mlc::group::kConvBackwardData;
  Value lhs = throughViews(op.getLhs()), rhs = throughViews(op.getRhs());
  bool lhsWindows = lhs.getDefiningOp<mlc::Im2ColOp>() != nullptr;
  bool rhsWindows = rhs.getDefiningOp<mlc::Im2ColOp>() != nullptr;
  if (!lhsWindows && !rhsWindows)
    return mlc::group::kGemm;
  // Windows times the filters (a trained parameter of the step) is the forward convolution;
  // windows times an incoming gradient is the filters' gradient.
  auto other = dyn_cast<BlockArgument>(lhsWindows ? rhs : lhs);
  auto func = other ? dyn_cast<func::FuncOp>(other.getOwner()->getParentOp()) : func::FuncOp();
  bool filters = func && func.getArgAttr(other.getArgNumber(), mlc::attr::kParam);
  return filters ? mlc::group::kConvForward : mlc::group::kConvBackwardWeights;
}

struct TagOpGroupsPass : public mlc::impl::TagOpGroupsBase<TagOpGroupsPass> {
  void runOnOperation() override {
    getOperation().walk([&](mlc::MatmulOp op) {
      op->setAttr(mlc::group::kAttr, StringAttr::get(op.getContext(), groupOf(op)));
    });
  }
};

} // namespace
