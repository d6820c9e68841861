// What a linalg op of a step costs: its op group, floating-point operations and bytes moved,
// from its static shapes. Shared by the trainer's --profile instrumentation and --report.
#ifndef MLC_COMPILER_CODEGEN_COMMON_OPCOST_H
#define MLC_COMPILER_CODEGEN_COMMON_OPCOST_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlc {

struct OpCost {
  llvm::StringRef group; // one of mlc::group's names
  int64_t flops = 0;     // floating-point operations (an FMA counts two)
  int64_t bytes = 0;     // operands read plus results written, each once
};

/// Bytes of a value of type `t` (a shaped type's elements, or one scalar); 0 for dynamic shapes.
int64_t byteSize(mlir::Type t);

/// The cost of a statically shaped linalg op on tensors (zero counts for dynamic shapes).
OpCost costOf(mlir::linalg::LinalgOp op);

} // namespace mlc

#endif
