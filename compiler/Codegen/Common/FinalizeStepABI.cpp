// mlc-finalize-step-abi: bufferized step functions return nothing; the caller owns every buffer.
#include "compiler/Codegen/Common/Passes.h"
#include "dialects/Mlc/StepSignature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mlc {
#define GEN_PASS_DEF_FINALIZESTEPABI
#include "compiler/Codegen/Common/Passes.h.inc"
} // namespace mlc

using namespace mlir;
using namespace mlc;

namespace {

/// Follows casts back to the buffer they view.
static Value stripCasts(Value v) {
  while (auto cast = v.getDefiningOp<memref::CastOp>())
    v = cast.getSource();
  return v;
}

/// An identity-layout memref type of the same shape, for a new output argument.
static MemRefType identityType(Type t) {
  auto m = cast<MemRefType>(t);
  return MemRefType::get(m.getShape(), m.getElementType());
}

static LogicalResult finalize(func::FuncOp func) {
  if (!func.getBody().hasOneBlock())
    return func.emitError("mlc-finalize-step-abi: step functions must be one block");
  Block &entry = func.getBody().front();
  auto ret = dyn_cast<func::ReturnOp>(entry.getTerminator());
  if (!ret)
    return func.emitError("mlc-finalize-step-abi: the step function must end in func.return");
  OpBuilder b(ret);
  Location loc = ret.getLoc();
  for (unsigned r = 0; r < func.getNumResults(); ++r) {
    Value v = ret.getOperand(r);
    if (!isa<MemRefType>(v.getType()))
      return func.emitError("mlc-finalize-step-abi: result ") << r << " is not a memref";
    if (auto k = func.getResultAttrOfType<IntegerAttr>(r, attr::kUpdates)) {
      if (k.getInt() < 0 || k.getInt() >= func.getNumArguments())
        return func.emitError("mlc-finalize-step-abi: result ")
               << r << " updates argument " << k.getInt() << ", but there are only "
               << func.getNumArguments();
      Value arg = func.getArgument(k.getInt());
      if (stripCasts(v) != arg)
        b.create<memref::CopyOp>(loc, v, arg);
      continue;
    }
    // Any other result becomes an output argument.
    auto type = identityType(v.getType());
    unsigned argIndex = func.getNumArguments();
    func.insertArgument(argIndex, type, func.getResultAttrDict(r), loc);
    Value out = func.getArgument(argIndex);
    auto alloc = stripCasts(v).getDefiningOp<memref::AllocOp>();
    if (alloc && alloc->getBlock() == &entry && alloc.getType() == type) {
      alloc.getResult().replaceAllUsesWith(out);
      alloc.erase();
    } else {
      b.create<memref::CopyOp>(loc, v, out);
    }
  }
  b.create<func::ReturnOp>(loc);
  ret.erase();
  func.removeResAttrsAttr();
  func.setFunctionType(FunctionType::get(func.getContext(), func.getArgumentTypes(), {}));
  return success();
}

struct FinalizeStepABIPass : public mlc::impl::FinalizeStepABIBase<FinalizeStepABIPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal() || func.isPrivate())
        continue;
      if (failed(finalize(func)))
        return signalPassFailure();
    }
  }
};

} // namespace
