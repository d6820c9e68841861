// mlc-update-in-place: let elementwise updates write into the argument they replace.
#include "compiler/Codegen/Common/Passes.h"
#include "dialects/Mlc/StepSignature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

namespace mlc {
#define GEN_PASS_DEF_UPDATEINPLACE
#include "compiler/Codegen/Common/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc;

namespace {

/// Whether result `r` of `generic` can be computed into any buffer of its type: an elementwise
/// op that never reads the initial value of that output.
static bool canRetarget(linalg::GenericOp generic, unsigned r) {
  if (generic.getNumReductionLoops() != 0)
    return false;
  OpOperand *init = generic.getDpsInitOperand(r);
  if (!init->get().getDefiningOp<tensor::EmptyOp>())
    return false;
  return !generic.payloadUsesValueFromOperand(init);
}

/// An input that is the init of output `r`, read at the same indices, becomes a read of the
/// output's block argument. Tiled, the op then reads the destination slice it writes, which
/// bufferization can prove in place; reading the captured tensor would look like a conflict.
static void readThroughInit(linalg::GenericOp generic, unsigned r) {
  OpOperand *init = generic.getDpsInitOperand(r);
  AffineMap initMap = generic.getMatchingIndexingMap(init);
  Block &body = generic.getRegion().front();
  for (int i = generic.getNumDpsInputs() - 1; i >= 0; --i) {
    OpOperand *input = generic.getDpsInputOperand(i);
    if (input->get() != init->get() || generic.getMatchingIndexingMap(input) != initMap)
      continue;
    body.getArgument(i).replaceAllUsesWith(generic.getMatchingBlockArgument(init));
    SmallVector<Attribute> maps(generic.getIndexingMaps().getValue());
    maps.erase(maps.begin() + i);
    generic.setIndexingMapsAttr(ArrayAttr::get(generic.getContext(), maps));
    generic.getInputsMutable().erase(i);
    body.eraseArgument(i);
  }
}

struct UpdateInPlacePass : public mlc::impl::UpdateInPlaceBase<UpdateInPlacePass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal() || !func.getBody().hasOneBlock())
        continue;
      auto ret = dyn_cast<func::ReturnOp>(func.getBody().front().getTerminator());
      if (!ret)
        continue;
      for (unsigned r = 0; r < func.getNumResults(); ++r) {
        auto k = func.getResultAttrOfType<IntegerAttr>(r, attr::kUpdates);
        if (!k)
          continue;
        if (k.getInt() < 0 || k.getInt() >= func.getNumArguments()) {
          func.emitError("mlc-update-in-place: result ")
              << r << " updates argument " << k.getInt() << ", but there are only "
              << func.getNumArguments();
          return signalPassFailure();
        }
        Value arg = func.getArgument(k.getInt());
        auto result = dyn_cast<OpResult>(ret.getOperand(r));
        if (!result || arg.getType() != result.getType())
          continue;
        auto generic = dyn_cast<linalg::GenericOp>(result.getOwner());
        if (!generic || !canRetarget(generic, result.getResultNumber()))
          continue;
        generic.getDpsInitOperand(result.getResultNumber())->set(arg);
        readThroughInit(generic, result.getResultNumber());
        func.setArgAttr(k.getInt(), bufferization::BufferizationDialect::kWritableAttrName,
                        BoolAttr::get(func.getContext(), true));
      }
    }
  }
};

} // namespace
