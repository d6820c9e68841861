// The core ops of the mlc dialect.
#ifndef MLC_DIALECTS_MLC_MLCOPS_H
#define MLC_DIALECTS_MLC_MLCOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "dialects/Mlc/MlcBuilders.h"
#include "dialects/Mlc/MlcDialect.h"
#include "dialects/Mlc/MlcInterfaces.h"

#define GET_OP_CLASSES
#include "dialects/Mlc/MlcOps.h.inc"

#endif
