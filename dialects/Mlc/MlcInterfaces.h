// Op interfaces of the mlc dialect (VJPOpInterface).
#ifndef MLC_DIALECTS_MLC_MLCINTERFACES_H
#define MLC_DIALECTS_MLC_MLCINTERFACES_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpDefinition.h"

#include "dialects/Mlc/MlcInterfaces.h.inc"

#endif
