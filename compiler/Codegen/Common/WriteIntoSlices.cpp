// mlc-write-into-slices: ops whose result is inserted into a strided slice of another tensor compute into that slice.
#include "compiler/Codegen/Common/Passes.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/IR/Dominance.h"

namespace mlc {
#define GEN_PASS_DEF_WRITEINTOSLICES
#include "compiler/Codegen/Common/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc;

namespace {

/// The init operand that `value` (a result of a destination-style op, an scf.forall or the
/// scf.for of a tiled op) is computed into, or null.
OpOperand *tiedInit(Value value) {
  auto result = dyn_cast<OpResult>(value);
  if (!result)
    return nullptr;
  Operation *op = result.getOwner();
  if (auto dps = dyn_cast<DestinationStyleOpInterface>(op))
    return dps.getTiedOpOperand(result);
  if (auto forall = dyn_cast<scf::ForallOp>(op))
    return forall.getTiedOpOperand(result);
  if (auto loop = dyn_cast<scf::ForOp>(op))
    return loop.getTiedLoopInit(result);
  return nullptr;
}

/// Computes `insert`'s source into an extract_slice of its destination when the source is
/// computed into a tensor.empty: bufferization then writes it there, not into a temporary that
/// is copied. Only for strided slices: their copy is a scalar loop (col2im's residue classes),
/// and their destinations are chains of inserts into one fresh tensor. Upstream empty tensor
/// elimination, run on the whole step, also rewrote inserts into padded activations that CSE had
/// merged into one zero-bordered tensor, and ResNet-18 then trained on wrong values.
LogicalResult writeIntoSlice(tensor::InsertSliceOp insert, DominanceInfo &dominance) {
  if (llvm::all_of(insert.getStaticStrides(), [](int64_t s) { return s == 1; }))
    return failure();
  OpOperand *init = tiedInit(insert.getSource());
  if (!init)
    return failure();
  auto empty = init->get().getDefiningOp<tensor::EmptyOp>();
  if (!empty || empty.getType() != insert.getSourceType())
    return failure();
  Operation *producer = init->getOwner();
  if (!dominance.properlyDominates(insert.getDest(), producer))
    return failure();
  OpBuilder b(producer);
  Value slice = b.create<tensor::ExtractSliceOp>(insert.getLoc(), insert.getSourceType(), insert.getDest(),
                                                 insert.getMixedOffsets(), insert.getMixedSizes(),
                                                 insert.getMixedStrides());
  init->set(slice);
  if (empty->use_empty())
    empty->erase();
  return success();
}

struct WriteIntoSlices : public mlc::impl::WriteIntoSlicesBase<WriteIntoSlices> {
  void runOnOperation() override {
    DominanceInfo dominance(getOperation());
    SmallVector<tensor::InsertSliceOp> inserts;
    getOperation().walk([&](tensor::InsertSliceOp op) { inserts.push_back(op); });
    for (tensor::InsertSliceOp insert : inserts)
      (void)writeIntoSlice(insert, dominance);
  }
};

} // namespace
