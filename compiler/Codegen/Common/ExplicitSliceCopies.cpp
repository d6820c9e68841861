// mlc-explicit-slice-copies: the copies that bufferization would make for tensor.insert_slice
// made linalg.copy ops beforehand, so that the schedule tiles, vectorizes and threads them; and
// no copy at all where the inserted value's producer can compute straight into the box.
#include "compiler/Codegen/Common/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Dominance.h"

#include "llvm/ADT/SetVector.h"

namespace mlc {
#define GEN_PASS_DEF_EXPLICITSLICECOPIES
#include "compiler/Codegen/Common/Passes.h.inc"
} // namespace mlc

using namespace mlir;

namespace {

/// Whether bufferization writes `insert`'s source in place: the source is computed by a
/// destination-style op into the very box of the destination that the insert_slice fills.
static bool writtenInPlace(tensor::InsertSliceOp insert) {
  auto result = dyn_cast<OpResult>(insert.getSource());
  if (!result)
    return false;
  auto dps = dyn_cast<DestinationStyleOpInterface>(result.getOwner());
  if (!dps)
    return false;
  auto box = dps.getDpsInitOperand(result.getResultNumber())->get().getDefiningOp<tensor::ExtractSliceOp>();
  return box && box.getSource() == insert.getDest() && box.getMixedOffsets() == insert.getMixedOffsets() &&
         box.getMixedSizes() == insert.getMixedSizes() && box.getMixedStrides() == insert.getMixedStrides();
}

/// A fresh tensor whose contents nothing reads: tensor.empty or bufferization.alloc_tensor
/// without a copy.
static bool isFresh(Value v) {
  if (v.getDefiningOp<tensor::EmptyOp>())
    return true;
  auto alloc = v.getDefiningOp<bufferization::AllocTensorOp>();
  return alloc && !alloc.getCopy();
}

/// Collects, operands first, the ops after `producer` that compute `v` from values defined
/// before it, when they are the making of a fresh tensor (allocations, fills, slices of it,
/// constants): moving them before `producer` changes no value. False when `v` depends on
/// anything else.
static bool collectMovable(Value v, Operation *producer, DominanceInfo &dominance,
                           llvm::SetVector<Operation *> &chain) {
  if (dominance.properlyDominates(v, producer))
    return true;
  Operation *def = v.getDefiningOp();
  if (!def || def->getBlock() != producer->getBlock() ||
      !isa<bufferization::AllocTensorOp, tensor::EmptyOp, linalg::FillOp, tensor::ExtractSliceOp,
           tensor::InsertSliceOp, arith::ConstantOp>(def))
    return false;
  if (isa<bufferization::AllocTensorOp>(def) && !isFresh(v))
    return false;
  for (Value operand : def->getOperands())
    if (!collectMovable(operand, producer, dominance, chain))
      return false;
  chain.insert(def);
  return true;
}

/// The destination of `insert` as a value defined before `producer`: itself when it is, else
/// its making (a zero-filled tensor, or one with only its border filled) moved there. Null when
/// it depends on anything else.
static Value destinationBefore(tensor::InsertSliceOp insert, Operation *producer, DominanceInfo &dominance) {
  llvm::SetVector<Operation *> chain;
  if (!collectMovable(insert.getDest(), producer, dominance, chain))
    return nullptr;
  for (Operation *op : chain)
    op->moveBefore(producer);
  return insert.getDest();
}

/// Makes the linalg op that computes `insert`'s source compute it into the destination's box
/// when the op only writes its init (a fresh tensor) and nothing else reads the source: an
/// activation then lands in the interior of the next convolution's padded input directly, where
/// a copy read and wrote it once more (MobileNetV2: 21 copies per step fewer, its workspace 294
/// -> 262 MB). A source read elsewhere would live in the padded tensor's buffer, which
/// bufferization then copies out and back when that buffer is reused (60 such copies, unthreaded,
/// when this was tried without the one-use condition).
static bool computeIntoBox(tensor::InsertSliceOp insert, DominanceInfo &dominance) {
  auto result = dyn_cast<OpResult>(insert.getSource());
  if (!result || !result.hasOneUse() || insert.getSourceType() != insert.getSource().getType())
    return false;
  auto producer = dyn_cast<linalg::LinalgOp>(result.getOwner());
  if (!producer || producer->getBlock() != insert->getBlock() || !producer.hasPureTensorSemantics())
    return false;
  OpOperand *init = producer.getDpsInitOperand(result.getResultNumber());
  if (!isFresh(init->get()) || producer.payloadUsesValueFromOperand(init))
    return false;
  for (Value v : insert->getOperands().drop_front(2))
    if (!dominance.properlyDominates(v, producer))
      return false;
  Value dest = destinationBefore(insert, producer, dominance);
  if (!dest)
    return false;
  OpBuilder b(producer);
  auto box = b.create<tensor::ExtractSliceOp>(insert.getLoc(), insert.getSourceType(), dest,
                                              insert.getMixedOffsets(), insert.getMixedSizes(),
                                              insert.getMixedStrides());
  init->set(box.getResult());
  return true;
}

struct ExplicitSliceCopiesPass : public mlc::impl::ExplicitSliceCopiesBase<ExplicitSliceCopiesPass> {
  void runOnOperation() override {
    SmallVector<tensor::InsertSliceOp> inserts;
    DominanceInfo dominance(getOperation());
    for (Block &block : getOperation().getBody())
      for (auto insert : llvm::make_early_inc_range(block.getOps<tensor::InsertSliceOp>()))
        if (!writtenInPlace(insert) && !computeIntoBox(insert, dominance))
          inserts.push_back(insert);
    OpBuilder b(&getContext());
    for (tensor::InsertSliceOp insert : inserts) {
      b.setInsertionPoint(insert);
      Location loc = insert.getLoc();
      // The box has the source's (rank-reduced) type: extract_slice infers the full rank.
      auto box = b.create<tensor::ExtractSliceOp>(loc, insert.getSourceType(), insert.getDest(),
                                                  insert.getMixedOffsets(), insert.getMixedSizes(),
                                                  insert.getMixedStrides());
      auto copy = b.create<linalg::CopyOp>(loc, insert.getSource(), box.getResult());
      insert.getSourceMutable().assign(copy.getResult(0));
    }
  }
};

} // namespace
