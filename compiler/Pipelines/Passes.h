// Passes that belong to the pipelines themselves (the stage contracts).
#ifndef MLC_COMPILER_PIPELINES_PASSES_H
#define MLC_COMPILER_PIPELINES_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlc {

#define GEN_PASS_DECL
#include "compiler/Pipelines/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "compiler/Pipelines/Passes.h.inc"

} // namespace mlc

#endif
