// Queries over the attributes that describe a step function's arguments, and phase resolution.
#include "dialects/Mlc/StepSignature.h"
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
