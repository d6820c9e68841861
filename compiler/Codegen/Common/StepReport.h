// `mlc compile --report`: what one training step costs (FLOPs and bytes per op group) and what
// memory it needs (parameters, optimizer state, buffers, data, the planned workspace).
#ifndef MLC_COMPILER_CODEGEN_COMMON_STEPREPORT_H
#define MLC_COMPILER_CODEGEN_COMMON_STEPREPORT_H

#include "compiler/Codegen/Common/OpCost.h"

#include "mlir/IR/BuiltinOps.h"

#include "llvm/Support/raw_ostream.h"

#include <map>

namespace mlc {

struct StepReport {
  struct Group {
    int64_t ops = 0, flops = 0, bytes = 0;
  };
  std::map<std::string, Group> groups; // by op group name
  Group total;
  // Bytes of @train_step's arguments by role, and its planned workspace.
  int64_t parameters = 0, optimizerState = 0, buffers = 0, data = 0, workspace = 0;
  int64_t parameterCount = 0;
  int64_t evalWorkspace = 0;
  int64_t batch = 0; // the input's first dimension
};

/// Adds up the costs of @train_step's top-level linalg ops (after the linalg stage).
void collectStepCosts(mlir::ModuleOp module, StepReport &report);
/// Reads the memory plan off @train_step and @eval_step (after the bufferize stage).
void collectMemoryPlan(mlir::ModuleOp module, StepReport &report);
void printStepReport(const StepReport &report, llvm::raw_ostream &os);

} // namespace mlc

#endif
