// The mlc dialect class.
#ifndef MLC_DIALECTS_MLC_MLCDIALECT_H
#define MLC_DIALECTS_MLC_MLCDIALECT_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Dialect.h"

#include "dialects/Mlc/MlcDialect.h.inc"

#endif
