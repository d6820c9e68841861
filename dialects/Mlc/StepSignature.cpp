// Queries over the attributes that describe a step function's arguments, and phase resolution.
#include "dialects/Mlc/StepSignature.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "dialects/Mlc/MlcOps.h"

llvm::SmallVector<unsigned> mlc::argsWithAttr(mlir::func::FuncOp func, llvm::StringRef name) {
  llvm::SmallVector<unsigned> result;
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    if (func.getArgAttr(i, name))
      result.push_back(i);
  return result;
}

llvm::SmallVector<unsigned> mlc::resultsWithAttr(mlir::func::FuncOp func, llvm::StringRef name) {
  llvm::SmallVector<unsigned> result;
  for (unsigned i = 0; i < func.getNumResults(); ++i)
    if (func.getResultAttr(i, name))
      result.push_back(i);
  return result;
}

void mlc::resolvePhase(mlir::func::FuncOp func, Phase phase) {
  func.walk([&](PhaseSelectOp select) {
    select.replaceAllUsesWith(phase == Phase::Train ? select.getTrain() : select.getEval());
    select.erase();
  });
}

std::optional<llvm::SmallVector<float>> mlc::initialValues(mlir::Attribute init) {
  if (auto dense = llvm::dyn_cast<mlir::DenseElementsAttr>(init); dense && dense.getElementType().isF32())
    return llvm::to_vector(dense.getValues<float>());
  if (auto blob = llvm::dyn_cast<mlir::DenseF32ResourceElementsAttr>(init))
    if (auto values = blob.tryGetAsArrayRef())
      return llvm::SmallVector<float>(values->begin(), values->end());
  return std::nullopt;
}
