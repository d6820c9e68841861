// Reading the serialized GPU code (PTX text) out of a lowered CUDA module.
#ifndef MLC_COMPILER_TARGET_NVPTX_GPUBINARIES_H
#define MLC_COMPILER_TARGET_NVPTX_GPUBINARIES_H

#include "mlir/IR/BuiltinOps.h"

#include <string>

namespace mlc {

/// The PTX of every gpu.binary in `module` (serialized with format=isa), one module after the
/// other. Fails when a binary holds no PTX (another format was used).
mlir::LogicalResult collectPTX(mlir::ModuleOp module, std::string &ptx);

} // namespace mlc

#endif
