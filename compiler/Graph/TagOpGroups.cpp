// mlc-tag-op-groups: names what each matrix product of a training step is for (a convolution's
// forward pass, its gradient with respect to the input or to the filters, or a plain GEMM), and
// which products are the transforms of a Winograd convolution (products with a constant matrix).
#include "compiler/Graph/Passes.h"
#include "dialects/Mlc/StepSignature.h"
#include "dialects/Mlc/MlcOpGroups.h"
#include "dialects/Mlc/MlcOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

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

/// Whether `v` is a trained parameter of the step (a block argument marked as one).
static bool isParameter(Value v) {
  auto arg = dyn_cast<BlockArgument>(v);
  auto func = arg ? dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp()) : func::FuncOp();
  return func && func.getArgAttr(arg.getArgNumber(), mlc::attr::kParam);
}

/// The operand of a product with a constant matrix (a Winograd transform) other than the
/// constant, followed back through views; null when `v` is not such a product.
static Value transformed(Value v) {
  auto mm = throughViews(v).getDefiningOp<mlc::MatmulOp>();
  if (!mm)
    return {};
  Value lhs = throughViews(mm.getLhs()), rhs = throughViews(mm.getRhs());
  if (lhs.getDefiningOp<arith::ConstantOp>())
    return rhs;
  if (rhs.getDefiningOp<arith::ConstantOp>())
    return lhs;
  return {};
}

/// A batch of products is a Winograd convolution's: transformed image tiles (im2col windows)
/// times transformed filters is its forward pass; either one times an incoming gradient is the
/// gradient with respect to the other.
static StringRef batchGroupOf(mlc::MatmulOp op) {
  Value lhs = transformed(op.getLhs()), rhs = transformed(op.getRhs());
  auto isImage = [](Value v) { return v && v.getDefiningOp<mlc::Im2ColOp>(); };
  auto isFilters = [](Value v) { return v && isParameter(v); };
  bool image = isImage(lhs) || isImage(rhs), filters = isFilters(lhs) || isFilters(rhs);
  if (image && filters)
    return mlc::group::kConvForward;
  if (filters)
    return mlc::group::kConvBackwardData;
  if (image)
    return mlc::group::kConvBackwardWeights;
  return mlc::group::kGemm;
}

static StringRef groupOf(mlc::MatmulOp op) {
  // Products with a constant (Winograd's transforms) move data between layouts, like im2col.
  if (throughViews(op.getLhs()).getDefiningOp<arith::ConstantOp>() ||
      throughViews(op.getRhs()).getDefiningOp<arith::ConstantOp>())
    return mlc::group::kWindows;
  if (op.getResult().getType().getRank() == 3)
    return batchGroupOf(op);
  if (feedsCol2Im(op.getResult()))
    return mlc::group::kConvBackwardData;
  Value lhs = throughViews(op.getLhs()), rhs = throughViews(op.getRhs());
  bool lhsWindows = lhs.getDefiningOp<mlc::Im2ColOp>() != nullptr;
  bool rhsWindows = rhs.getDefiningOp<mlc::Im2ColOp>() != nullptr;
  if (!lhsWindows && !rhsWindows)
    return mlc::group::kGemm;
  // Windows times the filters (a trained parameter of the step) is the forward convolution;
  // windows times an incoming gradient is the filters' gradient.
  return isParameter(lhsWindows ? rhs : lhs) ? mlc::group::kConvForward : mlc::group::kConvBackwardWeights;
}

struct TagOpGroupsPass : public mlc::impl::TagOpGroupsBase<TagOpGroupsPass> {
  void runOnOperation() override {
    getOperation().walk([&](mlc::MatmulOp op) {
      if (op->hasAttr(mlc::group::kAttr))
        return;
      op->setAttr(mlc::group::kAttr, StringAttr::get(op.getContext(), groupOf(op)));
    });
  }
};

} // namespace
