// mlc-explicit-slice-copies: the copies that bufferization would make for tensor.insert_slice
// made linalg.copy ops beforehand, so that the schedule tiles, vectorizes and threads them.
#include "compiler/Codegen/Common/Passes.h"

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

struct ExplicitSliceCopiesPass : public mlc::impl::ExplicitSliceCopiesBase<ExplicitSliceCopiesPass> {
  void runOnOperation() override {
    SmallVector<tensor::InsertSliceOp> inserts;
    for (Block &block : getOperation().getBody())
      for (auto insert : block.getOps<tensor::InsertSliceOp>())
        if (!writtenInPlace(insert))
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
