// Queries over the attributes that describe a step function's arguments.
#include "compiler/Transforms/StepSignature.h"

llvm::SmallVector<unsigned> mlc::argsWithAttr(mlir::func::FuncOp func, llvm::StringRef name) {
  llvm::SmallVector<unsigned> result;
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    if (func.getArgAttr(i, name))
      result.push_back(i);
  return result;
}
